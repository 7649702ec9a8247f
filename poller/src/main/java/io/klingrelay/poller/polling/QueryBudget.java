package io.klingrelay.poller.polling;

import java.time.Duration;

/**
 * The per-account budget of Kling queries the poller spends one token of before every call (a list
 * page or a single query); in production {@code coordination}'s {@code QueryRateLimit}, shared by every
 * poller instance through Redis.
 */
@FunctionalInterface
public interface QueryBudget {

    /** A budget that never refuses (tests, or no limit). */
    QueryBudget UNLIMITED = (accountId, maxWait) -> true;

    /**
     * @param accountId the account the call is for
     * @param maxWait   the longest time to wait for a token
     * @return true when a token was taken, false when none was free within {@code maxWait}
     */
    boolean acquire(String accountId, Duration maxWait);
}
