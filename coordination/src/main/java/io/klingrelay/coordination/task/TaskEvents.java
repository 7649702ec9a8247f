package io.klingrelay.coordination.task;

import io.klingrelay.common.event.EventIds;
import io.klingrelay.common.event.KlingRelayEvent;
import io.klingrelay.common.event.StatusSource;
import io.klingrelay.common.event.TaskCompleted;
import io.klingrelay.common.event.TaskStatus;
import io.klingrelay.common.event.TaskStatusChanged;
import io.klingrelay.klingclient.api.KlingTask;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Builds the status and terminal events of an observed Kling task, the same way for every observer
 * (the webhook receiver and the poller).
 */
public final class TaskEvents {

    private TaskEvents() {
    }

    /**
     * The status event; its id is name-based per request and status, so a re-publication after a
     * crash (claim gone stale, proposed again) carries the same id.
     */
    public static TaskStatusChanged statusChanged(String accountId, String requestId, KlingTask task, TaskStatus status,
            StatusSource source, Instant observedAt) {
        return new TaskStatusChanged(KlingRelayEvent.CURRENT_SCHEMA_VERSION,
                EventIds.forRequest(accountId, requestId, "status:" + status.wireName()), requestId, accountId, task.taskId(),
                status, source, task.updatedAtInstant().orElse(null), observedAt);
    }

    /**
     * The terminal event; {@code completedAt} is Kling's {@code updated_at}, else the observation time;
     * {@code units} is the task's {@link KlingTask#units()} when Kling reported them.
     */
    public static TaskCompleted completed(String accountId, String requestId, KlingTask task, TaskStatus status,
            @Nullable TaskRecord record, StatusSource source, Instant observedAt) {
        return new TaskCompleted(KlingRelayEvent.CURRENT_SCHEMA_VERSION, null, requestId, accountId,
                record == null ? null : record.campaignId(), record == null ? null : record.product(),
                task.taskId(), status, task.taskStatusMsg(), status == TaskStatus.SUCCEED ? task.assets() : List.of(),
                source, task.updatedAtInstant().orElse(observedAt), task.units().orElse(null));
    }
}
