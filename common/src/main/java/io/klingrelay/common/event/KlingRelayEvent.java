package io.klingrelay.common.event;

/**
 * An event on one of the {@code klingrelay.*} topics. Every event carries the schema version of
 * its payload and a unique {@code eventId} consumers de-duplicate by; terminal events use
 * deterministic ids ({@link EventIds#forRequest}) so that a rare re-publication after a crash
 * carries the same id.
 */
public sealed interface KlingRelayEvent
        permits GenerationRequest, TaskSubmitted, TaskStatusChanged, TaskCompleted, AssetsArchived, RequestFailed {

    /** The schema version this code writes. */
    int CURRENT_SCHEMA_VERSION = 1;

    /** @return the payload schema version, {@link #CURRENT_SCHEMA_VERSION} for events written here */
    int schemaVersion();

    /** @return the unique id of this event (a UUID string) */
    String eventId();

    /** @return the request id, which is also the Kling {@code external_task_id}; may be null only on a malformed request */
    String requestId();

    /**
     * @return the account the request belongs to (request ids are unique per account only); null only
     *         on a malformed request or its failure event
     */
    @org.jspecify.annotations.Nullable String accountId();
}
