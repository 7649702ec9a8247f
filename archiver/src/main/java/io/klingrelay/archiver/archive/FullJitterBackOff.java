package io.klingrelay.archiver.archive;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And
 * Jitter"): before retry {@code n} (1-based) the wait is uniformly random in
 * {@code [0, min(maxDelay, initialDelay * 2^(n-1))]}; after {@code maxAttempts - 1} retries it
 * stops. Spring Framework 7's own {@code ExponentialBackOff} only adds a bounded jitter around
 * the exponential delay, hence this small {@link BackOff} for its {@code RetryTemplate}.
 *
 * @param maxAttempts  attempts in total, the first included (at least 1)
 * @param initialDelay the cap of the first wait
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

    public FullJitterBackOff {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
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
     * @param retry the 0-based retry number
     * @return the upper bound of the wait before it, in milliseconds
     */
    long cap(int retry) {
        long max = Math.max(0, maxDelay.toMillis());
        long cap = Math.max(1, initialDelay.toMillis());
        for (int i = 0; i < retry && cap < max; i++) {
            cap *= 2;
        }
        return Math.min(cap, max);
    }
}
