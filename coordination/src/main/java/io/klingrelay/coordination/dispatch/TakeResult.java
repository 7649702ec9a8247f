package io.klingrelay.coordination.dispatch;

/** What {@link RequestQueue#take} found at the head of an account's queue. */
public sealed interface TakeResult {

    /** The queue is empty. */
    record Empty() implements TakeResult {
    }

    /**
     * The account is paused (by an operator, or after an account-level error until its probe
     * succeeds); its requests stay queued.
     *
     * @param reason why
     */
    record Paused(String reason) implements TakeResult {
    }

    /**
     * The head needs more permits than are free.
     *
     * @param permitsInUse permits held now
     * @param limit        the account's effective limit
     */
    record Blocked(int permitsInUse, int limit) implements TakeResult {
    }

    /**
     * The head was taken with its permits, a dispatch lease and a fresh fencing token.
     *
     * @param accountId   the account
     * @param requestId   the request id
     * @param payload     the parked request JSON
     * @param permits     permits now held for it
     * @param attempts    transient attempts already spent
     * @param mayExist    whether an earlier attempt may have reached Kling (a transient create
     *                    error or a recovered dispatch lease): query by {@code external_task_id}
     *                    before creating
     * @param arrivalMs   when the request arrived, epoch ms (for the wait-time metric)
     * @param probe       whether this request probes a paused account
     * @param fence       the fencing token of this dispatch (see {@link Dispatch})
     * @param lastError   the error of the last failed attempt, empty when none
     */
    record Taken(String accountId, String requestId, String payload, int permits, int attempts, boolean mayExist,
            long arrivalMs, boolean probe, long fence, String lastError) implements TakeResult {

        /** @return the handle every write of this dispatch carries */
        public Dispatch dispatch() {
            return new Dispatch(accountId, requestId, fence);
        }

        @Override
        public String toString() {
            return "Taken[accountId=" + accountId + ", requestId=" + requestId + ", permits=" + permits + ", attempts="
                    + attempts + ", mayExist=" + mayExist + ", probe=" + probe + ", fence=" + fence + "]";
        }
    }
}
