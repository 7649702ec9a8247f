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
     * The head was taken with its permits and a dispatch lease.
     *
     * @param requestId   the request id
     * @param payload     the parked request JSON
     * @param permits     permits now held for it
     * @param attempts    transient attempts already spent
     * @param mayExist    whether an earlier attempt may have reached Kling (a transient create
     *                    error or a recovered dispatch lease): query by {@code external_task_id}
     *                    before creating
     * @param arrivalMs   when the request arrived, epoch ms (for the wait-time metric)
     * @param probe       whether this request probes a paused account
     */
    record Taken(String requestId, String payload, int permits, int attempts, boolean mayExist, long arrivalMs,
            boolean probe) implements TakeResult {
        @Override
        public String toString() {
            return "Taken[requestId=" + requestId + ", permits=" + permits + ", attempts=" + attempts + ", mayExist="
                    + mayExist + ", probe=" + probe + "]";
        }
    }
}
