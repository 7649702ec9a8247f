package io.klingrelay.poller.polling;

import java.util.Locale;

/** What one poll of one task came to; the {@code outcome} tag of {@code klingrelay.poller.polls}. */
public enum PollOutcome {
    /** This poll won the terminal transition and published the terminal event. */
    COMPLETED,
    /** Still running; a newer status was published, the lease renewed and the task rescheduled. */
    STATUS_PUBLISHED,
    /** Still running with no news; lease renewed, task rescheduled. */
    RUNNING,
    /** Terminal, but the event is published or being published by the webhook receiver. */
    DUPLICATE,
    /** Terminal, and another observer holds a fresh claim; polled again later in case it dies. */
    IN_FLIGHT,
    /** Kling's {@code task_id} differs from the recorded one. */
    MISMATCH,
    /** No record, already published, or the account is not configured here. */
    SKIPPED,
    /** Kling failed or refused the query (transient, account or permanent error); rescheduled. */
    KLING_ERROR,
    /** No token of the account's query budget in time; rescheduled without a query. */
    RATE_LIMITED,
    /** Kafka did not acknowledge; nothing marked, the claim goes stale and is retried. */
    KAFKA_ERROR,
    /** Anything else (Redis unavailable, an unknown status); logged, rescheduled where possible. */
    ERROR;

    /** @return the metric tag value, e.g. {@code status_published} */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
