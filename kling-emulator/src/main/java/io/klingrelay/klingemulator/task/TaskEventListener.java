package io.klingrelay.klingemulator.task;

/**
 * A subscriber to the task engine's lifecycle events (callbacks, stats, the timeline, the asset cache).
 * Every method is called synchronously on the thread that caused the event (a create request, the
 * lifecycle scheduler or the housekeeping sweep), through {@link TaskEvents}, in the listeners'
 * {@link org.springframework.core.annotation.Order} order. A listener must not throw: an exception
 * propagates to the engine's caller, as the direct calls it replaces did.
 */
public interface TaskEventListener {

    /** A task was created and stored for {@code accountId} (before its {@code submitted} status change). */
    default void created(String accountId) {
    }

    /** A create was refused because its {@code external_task_id} is already used by {@code accountId}. */
    default void duplicateExternalTaskId(String accountId) {
    }

    /** A create was refused because {@code accountId} has no free slot (code 1303). */
    default void capacityRejected(String accountId) {
    }

    /** A task changed status (submitted, processing, succeed or failed); {@code task} is the new state. */
    default void statusChanged(Task task) {
    }

    /** An ended task was purged after {@code asset-retention}; {@code task} is its last state. */
    default void purged(Task task) {
    }
}
