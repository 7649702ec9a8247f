package io.klingrelay.submitter.dispatch;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: attempt {@code k} (1-based) waits a uniformly random
 * time in {@code [0, min(max, base × 2^(k−1))]}. The retry state itself is durable in Redis (the
 * request's attempts and its due time in the delayed set), so no in-memory retry library fits;
 * this is only the delay formula.
 *
 * @param base the first cap
 * @param max  the largest cap
 */
public record Backoff(Duration base, Duration max) {

    /**
     * @param attempt the attempt just spent, 1-based
     * @return the delay before the next one
     */
    public Duration delayAfter(int attempt) {
        long cap = Math.min(max.toMillis(), base.toMillis() << Math.min(Math.max(attempt - 1, 0), 30));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap + 1));
    }
}
