package io.klingrelay.deploy.stack;

/** The Spring Boot services the local stack runs from {@code deploy/target/services/<module>-exec.jar}. */
public enum Service {
    KLING_EMULATOR("kling-emulator", "512m"),
    SUBMITTER("submitter", "384m"),
    WEBHOOK_RECEIVER("webhook-receiver", "384m"),
    POLLER("poller", "384m"),
    ARCHIVER("archiver", "384m"),
    /** The read model of requests and campaigns (Kafka Streams), its HTTP API and the campaign page (issue 11). */
    STATUS("status", "384m");

    private final String moduleName;
    private final String maxHeap;

    Service(String moduleName, String maxHeap) {
        this.moduleName = moduleName;
        this.maxHeap = maxHeap;
    }

    /** @return the Maven module name, e.g. {@code webhook-receiver} */
    public String moduleName() {
        return moduleName;
    }

    /** @return the {@code -Xmx} value */
    public String maxHeap() {
        return maxHeap;
    }

    /** @return the exec jar's file name as the build copies it, e.g. {@code submitter-exec.jar} */
    public String jarName() {
        return moduleName + "-exec.jar";
    }
}
