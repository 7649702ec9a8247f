package io.klingrelay.submitter.metrics;

/** The outcome of one dispatch attempt, by error class (ARCHITECTURE.md "Error classes have different budgets"). */
public enum DispatchOutcome {
    /** A task was created. */
    CREATED,
    /** Kling already had the task (found by external_task_id) and it was adopted. */
    ADOPTED,
    /** Kling refused for good; the request failed. */
    PERMANENT,
    /** A transient error; retried with backoff. */
    TRANSIENT,
    /** 1303; requeued without spending an attempt, limit lowered. */
    CAPACITY,
    /** An account-level code; the account was paused. */
    ACCOUNT,
    /**
     * A dispatch that had lost its lease created a task while another task was recorded for the
     * request (or the request had ended): Kling runs it as an orphan, listed for operators.
     */
    ORPHANED
}
