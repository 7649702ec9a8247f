package io.klingrelay.coordination.dispatch;

import io.klingrelay.common.event.Priority;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A valid request as {@link RequestQueue#park} parks it.
 *
 * @param accountId  the account
 * @param requestId  the request id (its {@code external_task_id})
 * @param priority   the priority
 * @param arrivalMs  arrival time, epoch ms in [0, now] (the intake clamps the Kafka record timestamp)
 * @param payload    the request JSON, dispatched as is
 * @param permits    permits the request will need (1, or {@code n} for images)
 * @param campaignId the campaign, if any (a paused campaign's requests are held aside)
 * @param traceparent the W3C {@code traceparent} of the span that parked it, if traced: the dispatch
 *                    continues that trace after the request waited in Redis
 */
public record ParkedRequest(String accountId, String requestId, Priority priority, long arrivalMs, String payload,
        int permits, @Nullable String campaignId, @Nullable String traceparent) {

    public ParkedRequest {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(payload, "payload");
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be >= 1, got " + permits);
        }
    }

    /** A request parked without trace context. */
    public ParkedRequest(String accountId, String requestId, Priority priority, long arrivalMs, String payload,
            int permits, @Nullable String campaignId) {
        this(accountId, requestId, priority, arrivalMs, payload, permits, campaignId, null);
    }

    @Override
    public String toString() {
        return "ParkedRequest[accountId=" + accountId + ", requestId=" + requestId + ", priority=" + priority
                + ", permits=" + permits + "]";
    }
}
