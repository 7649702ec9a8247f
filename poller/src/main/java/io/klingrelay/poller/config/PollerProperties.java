package io.klingrelay.poller.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The poller's settings: {@code klingrelay.poller.*}. Every duration must be positive.
 *
 * @param grace          the latest first look at a task after its submission, whatever its learned
 *                       expected end ({@code klingrelay.poller.schedule.*}); default 10 min
 * @param recheck        the first back-off step after a query finds a task still running (it then
 *                       doubles with the time past the first look, up to
 *                       {@code klingrelay.poller.schedule.backoff-cap}, jittered); default 30 s
 * @param sweepInterval  delay between the end of one sweep and the start of the next; default 1 s
 * @param interval       alias of {@code sweep-interval} (the name in the shared service
 *                       configuration list); wins when set
 * @param batchSize      at most this many due tasks per account per sweep, 1–10 000; default 500 (one
 *                       list page answers them all)
 * @param permitLease    a task Kling still reports running gets its permit lease renewed to now
 *                       plus this; must exceed the slowest generation; default 2 h
 * @param queryThreads   tasks handled at once (a single query, or the proposal and the Kafka sends of a
 *                       task a list page answered), 1–64; default 16 (the Kling call rate is bounded by
 *                       {@code klingrelay.poller.queries.rate-per-second}; measured: 4 threads settled only
 *                       10–20 list-answered tasks per second on a loaded 2-core machine)
 * @param publishTimeout how long to wait for Kafka's acknowledgement of an event; default 10 s
 * @param lostTaskGrace  a recorded task that Kling does not know (1203/404) this long after its
 *                       submission ends as {@code failed} ("task not found on Kling"), so that the
 *                       request ends and its permits are released; default 10 min
 * @param claimLease     a sweep claims the due tasks it polls (N poller instances never pick the same
 *                       task): a claimed task is kept from other pollers this long, until the poll
 *                       moves its checkpoint; a claim whose poller died runs out after it. Must exceed
 *                       {@code publish-timeout} and one sweep's Kling calls (its list pages, then the
 *                       single queries of tasks no page answered ÷ query-threads × the Kling request
 *                       timeout); default 2 min
 */
@Validated
@ConfigurationProperties("klingrelay.poller")
public record PollerProperties(
        @NotNull @DefaultValue("10m") Duration grace,
        @NotNull @DefaultValue("30s") Duration recheck,
        @NotNull @DefaultValue("1s") Duration sweepInterval,
        @Nullable Duration interval,
        @DefaultValue("500") @Min(1) @Max(10_000) int batchSize,
        @NotNull @DefaultValue("2h") Duration permitLease,
        @DefaultValue("16") @Min(1) @Max(64) int queryThreads,
        @NotNull @DefaultValue("10s") Duration publishTimeout,
        @NotNull @DefaultValue("10m") Duration lostTaskGrace,
        @NotNull @DefaultValue("2m") Duration claimLease) {

    public PollerProperties {
        requirePositive("grace", grace);
        requirePositive("recheck", recheck);
        requirePositive("sweep-interval", sweepInterval);
        requirePositive("interval", interval);
        requirePositive("permit-lease", permitLease);
        requirePositive("publish-timeout", publishTimeout);
        requirePositive("lost-task-grace", lostTaskGrace);
        requirePositive("claim-lease", claimLease);
        if (claimLease != null && publishTimeout != null && claimLease.compareTo(publishTimeout) <= 0) {
            throw new IllegalArgumentException("klingrelay.poller.claim-lease (" + claimLease
                    + ") must exceed klingrelay.poller.publish-timeout (" + publishTimeout + ")");
        }
    }

    private static void requirePositive(String key, @Nullable Duration value) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new IllegalArgumentException("klingrelay.poller." + key + " must be positive, got " + value);
        }
    }

    /** @return the delay between sweeps: {@code interval} when set, else {@code sweep-interval} */
    public Duration effectiveSweepInterval() {
        return interval != null ? interval : sweepInterval;
    }
}
