package io.klingrelay.archiver.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a task whose download failed is tried again: exponential back-off from
 * {@code initialDelay}, doubling per deferral up to {@code maxDelay}, with jitter (uniform in
 * [half, whole]) so tasks deferred together do not return together, and bounded by the URL's
 * expiry: never later than half the time the URL has left (at least {@value #MIN_DELAY_MS} ms),
 * so the last tries fall before it expires. Once it has expired, the next try is at once, and
 * fails the request if the URL cannot be fetched (kling-api.md §13: results are deleted after 30 days).
 *
 * @param initialDelay the first delay
 * @param maxDelay     the longest delay
 */
record RetrySchedule(Duration initialDelay, Duration maxDelay) {

    static final long MIN_DELAY_MS = 1_000;

    /**
     * @param deferrals how often the task was deferred before
     * @param now       now
     * @param expiry    when the task's earliest URL expires
     * @return when to try again
     */
    Instant next(int deferrals, Instant now, Instant expiry) {
        long untilExpiry = Duration.between(now, expiry).toMillis();
        if (untilExpiry <= 0) {
            return now;
        }
        long backOff = Math.min(maxDelay.toMillis(), initialDelay.toMillis() << Math.min(deferrals, 30));
        long bounded = Math.min(backOff, Math.max(untilExpiry / 2, MIN_DELAY_MS));
        long jittered = bounded / 2 + ThreadLocalRandom.current().nextLong(bounded / 2 + 1);
        return now.plusMillis(jittered);
    }
}
