package io.klingrelay.deploy.demo;

/** Where a campaign request is, as seen on the pipeline's topics; states only move forward. */
public enum RequestState {
    /** Published, nothing seen yet (waiting in the submitter's queue, or not yet read). */
    PENDING,
    /** {@code tasks.submitted}, or {@code task_status} {@code submitted}. */
    SUBMITTED,
    /** {@code task_status} {@code processing}. */
    PROCESSING,
    /** {@code task_status} {@code succeed}: the archiver is copying the assets. */
    ARCHIVING,
    /** {@code assets.archived}: terminal. */
    ARCHIVED,
    /** {@code requests.failed}, or {@code task_status} {@code failed}: terminal. */
    FAILED;

    /** @return whether the request has ended */
    public boolean isTerminal() {
        return this == ARCHIVED || this == FAILED;
    }

    /**
     * @param next a newly observed state
     * @return whether moving from this state to {@code next} is progress (terminal states never change)
     */
    public boolean canMoveTo(RequestState next) {
        return !isTerminal() && next.ordinal() > ordinal();
    }
}
