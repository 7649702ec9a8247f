package io.klingrelay.coordination.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Exponential back-off with full jitter (AWS Architecture Blog, "Exponential Backoff And
 * Jitter"): after attempt {@code k} (1-based) the wait is uniformly random in
 * {@code [0, min(maxDelay, initialDelay * 2^(k-1))]}, in whole milliseconds.
 *
 * <p>Two ways to use it: as a Spring {@link BackOff} for an in-memory {@code RetryTemplate}, which
 * stops after {@code maxAttempts - 1} retries; or through {@link #delayAfter(int)} when the retry
 * state is durable elsewhere (a request's attempts and due time in Redis), which never stops.
 * Spring Framework 7's own {@code ExponentialBackOff} jitter is not full jitter: it draws around
 * the exponential interval and never below the initial interval, so tasks failing together still
 * return close together.
 *
 * @param maxAttempts  attempts in total, the first included (at least 1); bounds only {@link #start()}
 * @param initialDelay the cap of the first wait (below 1 ms counts as 1 ms)
 * @param maxDelay     the cap of every wait
 * @param random       picks a value in {@code [0, cap]} for a cap in milliseconds (tests pass a fixed one)
 */
public record FullJitterBackOff(int maxAttempts, Duration initialDelay, Duration maxDelay, LongUnaryOperator random)
        implements BackOff {

    /**
     * @param maxAttempts  attempts in total, the first included
     * @param initialDelay the cap of the first wait
     * @param maxDelay     the cap of every wait
     */
    public FullJitterBackOff(int maxAttempts, Duration initialDelay, Duration maxDelay) {
        this(maxAttempts, initialDelay, maxDelay, cap -> ThreadLocalRandom.current().nextLong(cap + 1));
    }

    /** @throws IllegalArgumentException when {@code maxAttempts} is below 1 or a delay is negative */
    public FullJitterBackOff {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (initialDelay.isNegative() || maxDelay.isNegative()) {
            throw new IllegalArgumentException("delays must not be negative, got initialDelay=" + initialDelay
                    + ", maxDelay=" + maxDelay);
        }
    }

    @Override
    public BackOffExecution start() {
        return new BackOffExecution() {
            private int retries;

            @Override
            public long nextBackOff() {
                if (retries >= maxAttempts - 1) {
                    return STOP;
                }
                return random.applyAsLong(cap(retries++));
            }
        };
    }

    /**
     * The wait after an attempt, for retry state kept outside this object; not bounded by
     * {@link #maxAttempts()}: the caller decides when to stop.
     *
     * @param attempt the attempt just spent, 1-based (below 1 counts as 1)
     * @return a uniformly random wait in {@code [0, min(maxDelay, initialDelay * 2^(attempt-1))]}
     */
    public Duration delayAfter(int attempt) {
        return Duration.ofMillis(random.applyAsLong(cap(Math.max(attempt - 1, 0))));
    }

    /**
     * @param retry the 0-based retry number
     * @return the upper bound of the wait before it, in milliseconds
     */
    public long cap(int retry) {
        long max = maxDelay.toMillis();
        long cap = Math.max(1, initialDelay.toMillis());
        for (int i = 0; i < retry && cap < max; i++) {
            cap = cap > max / 2 ? max : cap * 2;
        }
        return Math.min(cap, max);
    }
}
