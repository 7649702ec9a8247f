package io.klingrelay.coordination.outcome;

import io.klingrelay.coordination.dispatch.Dispatch;

/** When a path may claim a request's outcome, checked in the same atomic step as the claim. */
public sealed interface ClaimCondition {

    /** @return no condition beyond "no outcome yet" (the archiver deciding a completed task's outcome) */
    static ClaimCondition none() {
        return new None();
    }

    /**
     * @return only for a request id not seen before, which the claim then marks seen (the intake
     *         rejecting an invalid record: an invalid record reusing a known id must not end the
     *         request that owns the id)
     */
    static ClaimCondition newRequest() {
        return new NewRequest();
    }

    /**
     * @param dispatch the dispatch ending the request
     * @return only while this dispatch holds the request (its fencing token is current)
     */
    static ClaimCondition heldBy(Dispatch dispatch) {
        return new HeldBy(dispatch.fence());
    }

    /**
     * @return only for a request still waiting (queued, held or delayed, not in dispatch) that
     *         cannot already exist on Kling (an operator's cancel)
     */
    static ClaimCondition waiting() {
        return new Waiting();
    }

    /** @return the condition as the Lua script reads it */
    String wireForm();

    /** No condition. */
    record None() implements ClaimCondition {
        @Override
        public String wireForm() {
            return "none";
        }
    }

    /** The request id is new. */
    record NewRequest() implements ClaimCondition {
        @Override
        public String wireForm() {
            return "new";
        }
    }

    /** @param fence the fencing token of the dispatch that must hold the request */
    record HeldBy(long fence) implements ClaimCondition {
        @Override
        public String wireForm() {
            return "dispatch:" + fence;
        }
    }

    /** The request is waiting and cannot exist on Kling. */
    record Waiting() implements ClaimCondition {
        @Override
        public String wireForm() {
            return "waiting";
        }
    }
}
