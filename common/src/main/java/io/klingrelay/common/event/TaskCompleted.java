package io.klingrelay.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The one terminal event of a task, on {@code klingrelay.tasks.completed} (key: request id).
 * Whichever of the webhook receiver and the poller wins the atomic terminal transition in Redis
 * publishes it; its {@code eventId} is {@code EventIds.forRequest(accountId, requestId, "completed")}.
 *
 * @param schemaVersion payload schema version
 * @param eventId       deterministic event id
 * @param requestId     the request id
 * @param accountId     the account
 * @param campaignId    the campaign, when known
 * @param product       the Kling product, when known
 * @param taskId        Kling's {@code task_id}
 * @param taskStatus    {@code succeed} or {@code failed}
 * @param taskStatusMsg Kling's {@code task_status_msg}: empty on success, the reason on failure
 * @param assets        the generated assets; empty unless {@code succeed}
 * @param source        who observed the terminal status
 * @param completedAt   Kling's {@code updated_at} for the terminal status, or the observation time
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskCompleted(
        int schemaVersion,
        String eventId,
        String requestId,
        String accountId,
        @Nullable String campaignId,
        @Nullable Product product,
        String taskId,
        TaskStatus taskStatus,
        String taskStatusMsg,
        List<TaskAsset> assets,
        StatusSource source,
        Instant completedAt) implements KlingRelayEvent {

    public TaskCompleted {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(taskStatus, "taskStatus");
        if (!taskStatus.isTerminal()) {
            throw new IllegalArgumentException("TaskCompleted needs a terminal task_status, got " + taskStatus);
        }
        taskStatusMsg = taskStatusMsg == null ? "" : taskStatusMsg;
        assets = assets == null ? List.of() : List.copyOf(assets);
        Objects.requireNonNull(completedAt, "completedAt");
        eventId = eventId == null ? EventIds.forRequest(accountId, requestId, "completed") : eventId;
    }
}
