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
    ACCOUNT
}
