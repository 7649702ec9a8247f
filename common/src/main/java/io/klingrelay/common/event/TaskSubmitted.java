package io.klingrelay.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A task was created on Kling; published on {@code klingrelay.tasks.submitted} (key: request id).
 *
 * @param schemaVersion payload schema version
 * @param eventId       unique event id (deterministic per request)
 * @param requestId     the request id, also Kling's {@code external_task_id}
 * @param accountId     the account billed
 * @param campaignId    the campaign, when the request named one
 * @param product       the Kling product
 * @param taskId        Kling's {@code task_id} (opaque string)
 * @param permits       permits held for the task: 1 for video, {@code n} for image tasks
 * @param submittedAt   when the create call returned
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskSubmitted(
        int schemaVersion,
        String eventId,
        String requestId,
        String accountId,
        @Nullable String campaignId,
        Product product,
        String taskId,
        int permits,
        Instant submittedAt) implements KlingRelayEvent {

    public TaskSubmitted {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(submittedAt, "submittedAt");
    }
}
