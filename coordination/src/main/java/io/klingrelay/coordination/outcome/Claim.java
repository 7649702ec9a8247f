package io.klingrelay.coordination.outcome;

/** The answer to an outcome claim ({@link OutcomeLedger#claim}). */
public sealed interface Claim {

    /** @return whether the caller now owns the outcome and must publish it */
    default boolean won() {
        return this instanceof Claimed;
    }

    /** The outcome is the caller's: publish it, then {@link OutcomeLedger#published}. */
    record Claimed() implements Claim {
    }

    /**
     * The request already has its outcome.
     *
     * @param eventType the simple name of the outcome event ({@code RequestFailed}, {@code AssetsArchived})
     * @param published whether Kafka acknowledged it; when not, its claimant may have died and the
     *                  outbox (or the caller, with {@link OutcomeLedger#find}) publishes the stored event
     */
    record Taken(String eventType, boolean published) implements Claim {
    }

    /** {@link ClaimCondition#newRequest()}: the request id is already known. */
    record Known() implements Claim {
    }

    /** {@link ClaimCondition#heldBy}: another dispatch took the request over. */
    record Fenced() implements Claim {
    }

    /** {@link ClaimCondition#waiting()}: the request is not waiting any more (in dispatch, on Kling, ended). */
    record NotWaiting() implements Claim {
    }

    /** {@link ClaimCondition#waiting()}: the request waits for a retry after a create that may have reached Kling. */
    record MayExist() implements Claim {
    }
}
