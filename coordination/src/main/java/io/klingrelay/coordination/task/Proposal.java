package io.klingrelay.coordination.task;

/** The verdict of {@link TaskLedger#propose} on an observed {@code task_status}. */
public enum Proposal {
    /** No task is recorded for the request (yet): nothing may be published. */
    UNKNOWN,
    /** The task id differs from the recorded one: refuse. */
    MISMATCH,
    /** Not news: the same or an earlier status, or the terminal event is already published. */
    DUPLICATE,
    /**
     * A newer non-terminal status (or the same one whose earlier publication was never
     * acknowledged): publish a status event, then {@link TaskLedger#statusPublished}; on a failed
     * publish, {@link TaskLedger#releaseClaim}.
     */
    UPDATED,
    /** Another observer holds a fresh claim on publishing this status (terminal or not) and is publishing it. */
    IN_FLIGHT,
    /**
     * This observer won the terminal transition: publish, then {@link TaskLedger#markPublished};
     * on a failed publish, {@link TaskLedger#releaseClaim}.
     */
    WON;

    /** @return whether the caller should publish something */
    public boolean isNews() {
        return this == UPDATED || this == WON;
    }
}
