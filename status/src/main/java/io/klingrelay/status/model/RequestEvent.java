package io.klingrelay.status.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One pipeline event, normalized from any of the six topics the status service reads (see
 * {@link EventReader}): the fields every kind may carry, each optional except the identity.
 *
 * @param kind       the topic it came from
 * @param eventId    the event's id (derived from its content when the payload has none)
 * @param requestId  the request id
 * @param accountId  the account
 * @param campaignId the campaign, when the event names one
 * @param product    the Kling product's wire name, when named
 * @param taskId     Kling's {@code task_id}, when named
 * @param retryOf    the request id this request retries ({@code klingrelay.requests} only)
 * @param taskStatus Kling's {@code task_status}, for status and completed events
 * @param source     {@code webhook} or {@code poller}, when named
 * @param at         the event's own time, else the record's timestamp
 * @param units      Kling's {@code final_unit_deduction}, when reported
 * @param assets     archived objects ({@code klingrelay.assets.archived} only)
 * @param failure    the failure, for failed outcomes
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RequestEvent(
        EventKind kind,
        String eventId,
        String requestId,
        String accountId,
        @Nullable String campaignId,
        @Nullable String product,
        @Nullable String taskId,
        @Nullable String retryOf,
        @Nullable String taskStatus,
        @Nullable String source,
        Instant at,
        @Nullable BigDecimal units,
        List<AssetView> assets,
        @Nullable Failure failure) {

    public RequestEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(at, "at");
        assets = assets == null ? List.of() : List.copyOf(assets);
    }

    /** @return the request's store key, {@code <accountId>/<requestId>} */
    public String requestKey() {
        return RequestView.keyOf(accountId, requestId);
    }

    /** @return the state this event proposes */
    public RequestState proposedState() {
        return switch (kind) {
            case REQUESTED -> RequestState.QUEUED;
            case SUBMITTED -> RequestState.SUBMITTED;
            case STATUS -> stateOfStatus(taskStatus);
            case COMPLETED -> "succeed".equals(taskStatus) ? RequestState.GENERATED : RequestState.FAILED;
            case ARCHIVED -> RequestState.ARCHIVED;
            case FAILED -> RequestState.FAILED;
        };
    }

    /** A status event's {@code failed} is not the outcome: the terminal event decides it. */
    private static RequestState stateOfStatus(@Nullable String taskStatus) {
        return switch (taskStatus == null ? "" : taskStatus) {
            case "processing", "failed" -> RequestState.PROCESSING;
            case "succeed" -> RequestState.GENERATED;
            default -> RequestState.SUBMITTED;
        };
    }
}
