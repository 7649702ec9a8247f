package io.klingrelay.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
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
 * @param units         the units Kling deducted for the task (kling-api.md §4.2 {@code final_unit_deduction},
 *                      a decimal such as {@code 8} or {@code 0.04}; for a 2026 task the sum of its
 *                      {@code billing[]} entries of charge type {@code unit}, §15); absent when Kling did
 *                      not say (answers before 2026-01-23, a lost task)
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
        Instant completedAt,
        @Nullable BigDecimal units) implements KlingRelayEvent {

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

    /**
     * A terminal event without known units (the shape before {@code units} was added).
     *
     * @param schemaVersion payload schema version
     * @param eventId       deterministic event id, or null to derive it
     * @param requestId     the request id
     * @param accountId     the account
     * @param campaignId    the campaign, when known
     * @param product       the Kling product, when known
     * @param taskId        Kling's {@code task_id}
     * @param taskStatus    {@code succeed} or {@code failed}
     * @param taskStatusMsg Kling's {@code task_status_msg}
     * @param assets        the generated assets
     * @param source        who observed the terminal status
     * @param completedAt   Kling's {@code updated_at}, or the observation time
     */
    public TaskCompleted(int schemaVersion, @Nullable String eventId, String requestId, String accountId,
            @Nullable String campaignId, @Nullable Product product, String taskId, TaskStatus taskStatus,
            String taskStatusMsg, List<TaskAsset> assets, StatusSource source, Instant completedAt) {
        this(schemaVersion, eventId, requestId, accountId, campaignId, product, taskId, taskStatus, taskStatusMsg, assets,
                source, completedAt, null);
    }
}
