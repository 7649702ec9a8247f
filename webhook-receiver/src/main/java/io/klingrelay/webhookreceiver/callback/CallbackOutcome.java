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
    /** Not news (same or earlier status, or the terminal event was already published). */
    DUPLICATE(200),
    /** Another observer is publishing the terminal event right now. */
    IN_FLIGHT(200),
    /** The path token is wrong (or the ids cannot be ours): answered as if the URL did not exist. */
    BAD_TOKEN(404),
    /** A webhook secret is configured and the Standard Webhooks signature is missing or wrong. */
    BAD_SIGNATURE(401),
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
