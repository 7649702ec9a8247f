package io.klingrelay.deploy.chaos;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How big a chaos run is and what it breaks.
 *
 * @param requests         valid requests in the generated campaign (mixed products)
 * @param accounts         accounts they are spread over ({@code chaos-1..N}, limits 3 to 6)
 * @param seed             the random seed: campaign, hostile inputs, kill order and gaps (timing still varies)
 * @param timeout          how long to wait for every request's outcome after the last publish
 * @param killsPerService  SIGKILL + restart of each service type (submitter, webhook-receiver, poller, archiver)
 * @param redisRestarts    SIGKILL + restart of redis-server (same folder, AOF)
 * @param kafkaRestarts    SIGKILL + restart of the Kafka broker (same log folder)
 * @param hostileCallbacks forged, replayed, malformed and oversized callbacks sent to the webhook receiver (0 = none)
 * @param hostileRecords   hostile records mixed into the campaign on {@code klingrelay.requests} (0 = none)
 * @param timeScale        the emulator's time scale (0.05: a 5 s video takes a few seconds)
 * @param killGap          pause between two chaos steps (after a restart, before the next kill)
 * @param skippedKinds     hostile record kinds left out (e.g. {@code id-700kb}, to look past a known failure);
 *                         empty = every kind
 */
public record ChaosPlan(int requests, int accounts, long seed, Duration timeout, int killsPerService,
        int redisRestarts, int kafkaRestarts, int hostileCallbacks, int hostileRecords, double timeScale,
        Duration killGap, Set<String> skippedKinds) {

    public ChaosPlan {
        if (requests < 1 || accounts < 1 || killsPerService < 0 || redisRestarts < 0 || kafkaRestarts < 0
                || hostileCallbacks < 0 || hostileRecords < 0) {
            throw new IllegalArgumentException("counts must be positive (requests, accounts) or >= 0 (the rest)");
        }
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(killGap, "killGap");
        skippedKinds = Set.copyOf(skippedKinds);
        if (!ChaosCampaign.HOSTILE_KINDS.containsAll(skippedKinds)) {
            throw new IllegalArgumentException("unknown hostile kinds " + skippedKinds + "; known: "
                    + ChaosCampaign.HOSTILE_KINDS);
        }
        if (!(timeScale > 0)) {
            throw new IllegalArgumentException("timeScale must be > 0, got " + timeScale);
        }
    }

    /**
     * The command's default size: 2,000 requests over 4 accounts, every service type killed 3 times,
     * Redis and Kafka once each, 10,000 hostile callbacks and 1,000 hostile records.
     *
     * @param requests valid requests
     * @param accounts accounts
     * @param seed     random seed
     * @param timeout  outcome timeout
     * @param hostile  whether to run the hostile-input pass
     * @return the plan
     */
    public static ChaosPlan full(int requests, int accounts, long seed, Duration timeout, boolean hostile) {
        return new ChaosPlan(requests, accounts, seed, timeout, 3, 1, 1, hostile ? 10_000 : 0, hostile ? 1_000 : 0,
                0.05, Duration.ofSeconds(5), Set.of());
    }

    /**
     * The size CI affords (ChaosIT): 200 requests over 2 accounts, each service type killed once,
     * Redis and Kafka once each, 1,000 hostile callbacks and 100 hostile records.
     *
     * @param seed random seed
     * @return the plan
     */
    public static ChaosPlan ci(long seed) {
        return new ChaosPlan(200, 2, seed, Duration.ofMinutes(4), 1, 1, 1, 1_000, 100, 0.02, Duration.ofSeconds(2),
                Set.of());
    }

    /**
     * @param kinds hostile record kinds to leave out
     * @return this plan without them
     */
    public ChaosPlan skipping(Set<String> kinds) {
        return new ChaosPlan(requests, accounts, seed, timeout, killsPerService, redisRestarts, kafkaRestarts,
                hostileCallbacks, hostileRecords, timeScale, killGap, kinds);
    }

    /** @return how many kill-and-restart steps the run takes (each service type, Redis, Kafka) */
    public int chaosSteps() {
        return 4 * killsPerService + redisRestarts + kafkaRestarts;
    }
}
