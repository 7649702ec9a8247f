package io.klingrelay.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A request ended without archived assets; published on {@code klingrelay.requests.failed}
 * (key: request id) by whichever stage ended it.
 *
 * @param schemaVersion payload schema version
 * @param eventId       unique event id
 * @param requestId     the request id; for a record that could not be parsed at all, a
 *                      {@code <topic>-<partition>@<offset>} locator
 * @param accountId     the account, when known
 * @param campaignId    the campaign, when known
 * @param stage         where it ended
 * @param reason        a human-readable reason (never a secret or a signed URL)
 * @param klingCode     Kling's service code (kling-api.md §12), when Kling refused
 * @param klingMessage  Kling's message or {@code task_status_msg}, when Kling refused or failed the task
 * @param taskId        Kling's {@code task_id}, when a task existed
 * @param failedAt      when the stage gave up
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RequestFailed(
        int schemaVersion,
        String eventId,
        String requestId,
        @Nullable String accountId,
        @Nullable String campaignId,
        FailureStage stage,
        String reason,
        @Nullable Integer klingCode,
        @Nullable String klingMessage,
        @Nullable String taskId,
        Instant failedAt) implements KlingRelayEvent {

    public RequestFailed {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(failedAt, "failedAt");
        eventId = eventId == null ? EventIds.forRequest(accountId, requestId, "failed") : eventId;
    }
}
