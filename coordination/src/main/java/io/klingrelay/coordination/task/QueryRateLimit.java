package io.klingrelay.coordination.task;

import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.coordination.redis.LuaScripts;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The per-account limit on Kling queries (issue 9), shared by every poller instance: a fixed
 * one-second window counted in Redis ({@code query-rate.lua}, on Redis' own clock), so N pollers
 * together never send an account more than {@code perSecond} queries (single queries and list
 * pages alike) in any calendar second. Redis failures surface as Spring's {@code DataAccessException}.
 * Thread-safe.
 */
public final class QueryRateLimit {

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final int perSecond;

    /**
     * @param redis     the Redis template
     * @param keys      the key layout
     * @param perSecond queries per second per account, at least 1
     * @throws IllegalArgumentException when {@code perSecond} is below 1
     */
    public QueryRateLimit(StringRedisTemplate redis, RedisKeys keys,
            int perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("queries per second must be at least 1, got " + perSecond);
        }
        this.redis = redis;
        this.keys = keys;
        this.perSecond = perSecond;
    }

    /** @return the limit, queries per second per account */
    public int perSecond() {
        return perSecond;
    }

    /**
     * Takes one query token of the account's current window.
     *
     * @param accountId the account
     * @return {@link Duration#ZERO} when taken, else how long until the next window starts (1–1000 ms)
     */
    public Duration tryAcquire(String accountId) {
        Long wait = redis.execute(LuaScripts.QUERY_RATE, List.of(keys.queryRate(accountId)),
                Integer.toString(perSecond), "1");
        return Duration.ofMillis(wait == null ? 0 : wait);
    }

    /**
     * Takes one query token, waiting for the next windows (parking this thread) for at most {@code maxWait}.
     *
     * @param accountId the account
     * @param maxWait   the longest wait
     * @return true when a token was taken, false when none was free within {@code maxWait}
     */
    public boolean acquire(String accountId, Duration maxWait) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        Duration wait = tryAcquire(accountId);
        while (!wait.isZero()) {
            if (System.nanoTime() + wait.toNanos() > deadline) {
                return false;
            }
            LockSupport.parkNanos(wait.toNanos());
            if (Thread.currentThread().isInterrupted()) {
                return false;
            }
            wait = tryAcquire(accountId);
        }
        return true;
    }
}
