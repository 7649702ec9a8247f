package io.klingrelay.klingemulator.task;

/** Kling's legacy task statuses, spelled exactly as on the wire (kling-api.md §10.1). */
public enum TaskStatus {
    SUBMITTED("submitted"),
    PROCESSING("processing"),
    SUCCEED("succeed"),
    FAILED("failed");

    private final String wire;

    TaskStatus(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** @return the spelling of the 2026 API (kling-api.md §15): {@code succeeded} instead of {@code succeed} */
    public String newApiWire() {
        return this == SUCCEED ? "succeeded" : wire;
    }

    /** @return the status whose 2026 spelling is {@code wire}, if any */
    public static java.util.Optional<TaskStatus> ofNewApiWire(String wire) {
        return java.util.Arrays.stream(values()).filter(status -> status.newApiWire().equals(wire)).findFirst();
    }

    public boolean isTerminal() {
        return this == SUCCEED || this == FAILED;
    }

    /** The one transition table: submitted → processing → succeed | failed. */
    public static boolean isAllowed(TaskStatus from, TaskStatus to) {
        return switch (from) {
            case SUBMITTED -> to == PROCESSING;
            case PROCESSING -> to.isTerminal();
            case SUCCEED, FAILED -> false;
        };
    }
}
