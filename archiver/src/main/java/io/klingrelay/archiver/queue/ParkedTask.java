package io.klingrelay.archiver.queue;

import io.klingrelay.common.event.TaskCompleted;
import org.jspecify.annotations.Nullable;

/**
 * What the queue stores per request (JSON in {@code RedisKeys#archiveTasks()}).
 *
 * @param task        the completed task
 * @param traceparent the W3C {@code traceparent} of the span that parked it, or null
 */
record ParkedTask(TaskCompleted task, @Nullable String traceparent) {
}
