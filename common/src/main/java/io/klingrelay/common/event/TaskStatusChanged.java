package io.klingrelay.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An observed {@code task_status}, published on {@code klingrelay.tasks.status} (key: request id)
 * for status views and the campaign CLI. Non-terminal and terminal statuses both appear here;
 * the single authoritative terminal event is {@link TaskCompleted}.
 *
 * @param schemaVersion payload schema version
 * @param eventId       unique event id
 * @param requestId     the request id
 * @param accountId     the account
 * @param taskId        Kling's {@code task_id}
 * @param taskStatus    the observed status
 * @param source        who observed it
 * @param updatedAt     Kling's {@code updated_at} (sent as epoch ms, kept as an instant), when known
 * @param observedAt    when this service observed it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskStatusChanged(
        int schemaVersion,
        String eventId,
        String requestId,
        String accountId,
        String taskId,
        TaskStatus taskStatus,
        StatusSource source,
        @Nullable Instant updatedAt,
        Instant observedAt) implements KlingRelayEvent {

    public TaskStatusChanged {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(taskStatus, "taskStatus");
        Objects.requireNonNull(observedAt, "observedAt");
    }
}
