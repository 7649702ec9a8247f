package io.klingrelay.webhookreceiver.callback;

import java.util.Locale;

/**
 * What became of one callback, with the HTTP status the receiver answers. Kling ignores the body;
 * a 2xx tells it to stop retrying, so 2xx is answered only when nothing is left to do.
 */
public enum CallbackOutcome {
    /** A newer non-terminal status was published to {@code klingrelay.tasks.status}. */
    STATUS_PUBLISHED(200),
    /** This callback won the terminal transition; the terminal event was published and the permits released. */
    COMPLETED(200),
    /**
     * Not news: same or earlier status, the terminal event was already published, or a signed
     * callback whose {@code webhook-id} was already handled (nothing is published again).
     */
    DUPLICATE(200),
    /** Another observer is publishing the terminal event right now. */
    IN_FLIGHT(200),
    /**
     * The path token is wrong, or a path value has a shape ours never have (ids outside
     * {@code RedisKeys.isSafeId}, a token that is not 43 base64url characters): answered as if the
     * URL did not exist, before the body is read.
     */
    BAD_TOKEN(404),
    /** A webhook secret is configured and the Standard Webhooks signature is missing, stale or wrong. */
    BAD_SIGNATURE(401),
    /**
     * A webhook secret is configured and a Standard Webhooks header is present but does not parse
     * (see {@code SignatureCheck#MALFORMED}).
     */
    MALFORMED_HEADERS(400),
    /** The body is larger than {@code klingrelay.webhook-receiver.max-body-size}; it was not buffered. */
    PAYLOAD_TOO_LARGE(413),
    /** The body could not be read (the client broke the framing or stopped sending). */
    UNREADABLE_BODY(400),
    /** The body is not a Kling task object. */
    UNPARSEABLE(400),
    /** The body's {@code task_status} is not one of kling-api.md §10.1. */
    UNKNOWN_STATUS(400),
    /** No task is recorded for the request yet; Kling may retry, and the poller covers it anyway. */
    TASK_UNKNOWN(409),
    /** The body's {@code task_id} differs from the recorded one: refused. */
    TASK_MISMATCH(409),
    /** Kafka did not acknowledge in time: nothing was marked, the claim goes stale and is retried. */
    KAFKA_UNAVAILABLE(503),
    /** Redis could not be reached: nothing changed. */
    LEDGER_UNAVAILABLE(503);

    private final int httpStatus;

    CallbackOutcome(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /** @return the HTTP status answered to Kling */
    public int httpStatus() {
        return httpStatus;
    }

    /** @return the metric tag value and JSON answer, e.g. {@code status_published} */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
