package io.klingrelay.common.kafka;

/**
 * Topic names, one constant per row of the topic table in ARCHITECTURE.md ("Topics").
 * Every topic is keyed by request id except {@link #REQUESTS}, which is keyed by account id so
 * one account's requests keep their order within a partition.
 */
public final class Topics {

    /** Generation requests from upstream systems and the campaign CLI. Key: account id. */
    public static final String REQUESTS = "klingrelay.requests";
    /** Tasks created on Kling. Key: request id. */
    public static final String TASKS_SUBMITTED = "klingrelay.tasks.submitted";
    /** Every observed {@code task_status} change, terminal or not. Key: request id. */
    public static final String TASKS_STATUS = "klingrelay.tasks.status";
    /** Exactly one terminal ({@code succeed} or {@code failed}) event per task. Key: request id. */
    public static final String TASKS_COMPLETED = "klingrelay.tasks.completed";
    /** Assets copied into object storage. Key: request id. */
    public static final String ASSETS_ARCHIVED = "klingrelay.assets.archived";
    /** A request that ended without archived assets, from any stage. Key: request id. */
    public static final String REQUESTS_FAILED = "klingrelay.requests.failed";

    /** Suffix of dead-letter topics; set as spring-kafka's {@code dltTopicSuffix}. */
    public static final String DLT_SUFFIX = ".dlt";

    /** Every topic the pipeline uses, dead-letter topics included, for provisioning. */
    public static final java.util.List<String> ALL = java.util.List.of(
            REQUESTS, dlt(REQUESTS), TASKS_SUBMITTED, TASKS_STATUS, TASKS_COMPLETED,
            ASSETS_ARCHIVED, REQUESTS_FAILED);

    private Topics() {
    }

    /**
     * The topic each event type is published on (the ARCHITECTURE.md topic table).
     *
     * @param event an event
     * @return its topic
     */
    public static String of(io.klingrelay.common.event.KlingRelayEvent event) {
        return switch (event) {
            case io.klingrelay.common.event.GenerationRequest ignored -> REQUESTS;
            case io.klingrelay.common.event.TaskSubmitted ignored -> TASKS_SUBMITTED;
            case io.klingrelay.common.event.TaskStatusChanged ignored -> TASKS_STATUS;
            case io.klingrelay.common.event.TaskCompleted ignored -> TASKS_COMPLETED;
            case io.klingrelay.common.event.AssetsArchived ignored -> ASSETS_ARCHIVED;
            case io.klingrelay.common.event.RequestFailed ignored -> REQUESTS_FAILED;
        };
    }

    /**
     * Derives the dead-letter topic of {@code topic}: {@code dlt(REQUESTS)} is
     * {@code klingrelay.requests.dlt}.
     *
     * @param topic a topic name
     * @return the topic name with {@link #DLT_SUFFIX} appended
     */
    public static String dlt(String topic) {
        return topic + DLT_SUFFIX;
    }
}
