package io.klingrelay.coordination.dispatch;

/** What {@link Dispatches#recordTask} did with a created task. */
public enum RecordResult {
    /** Recorded by the dispatch that held the request. */
    RECORDED,
    /**
     * Recorded although the dispatch had lost its lease (a slow create, a pause): no task was
     * recorded for the request yet, so this one is adopted and holds the request's permits again.
     */
    ADOPTED,
    /** This very task had been recorded before (e.g. two dispatches adopted the same task). */
    ALREADY,
    /**
     * Another task is already recorded for the request: the one given is an orphan that Kling runs
     * (and bills); it is kept in the account's orphan list for operators.
     */
    DUPLICATE,
    /** The request had already ended (its outcome is claimed): the task given is an orphan, kept likewise. */
    ENDED;

    /** @return whether the task given is not the request's and must be reported */
    public boolean isOrphan() {
        return this == DUPLICATE || this == ENDED;
    }
}
