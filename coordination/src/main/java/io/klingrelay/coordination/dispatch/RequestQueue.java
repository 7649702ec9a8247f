package io.klingrelay.coordination.dispatch;

import io.klingrelay.common.event.Priority;
import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.coordination.redis.LuaScripts;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The per-account waiting room in Redis: requests are parked in their account's queue and taken
 * from its head together with their permits, in one atomic step each (the scripts under
 * {@code io/klingrelay/coordination/}; the protocol with its state diagrams is in
 * {@code PROTOCOL.md} beside them). What a taken request does next goes through
 * {@link Dispatches}. Any Redis failure surfaces as Spring's unchecked {@code DataAccessException}.
 * Thread-safe.
 *
 * <p>Queue order: priority rank, then arrival time (score = rank × 10^13 + arrival epoch ms).
 */
public final class RequestQueue {

    /** Score distance between two priority ranks: arrival times (epoch ms) must stay below it. */
    public static final long PRIORITY_STRIDE = 10_000_000_000_000L;

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final Clock clock;
    private final Duration seenTtl;
    private final Set<String> listedAccounts = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param redis   the Redis template
     * @param keys    the key layout
     * @param clock   the time source for leases
     * @param seenTtl how long a parked request id is remembered
     */
    public RequestQueue(StringRedisTemplate redis, RedisKeys keys, Clock clock, Duration seenTtl) {
        this.redis = redis;
        this.keys = keys;
        this.clock = clock;
        this.seenTtl = seenTtl;
    }

    /**
     * @param priority  the request's priority
     * @param arrivalMs arrival time, epoch ms, in [0, {@link #PRIORITY_STRIDE})
     * @return the queue score: lower is dispatched first
     * @throws IllegalArgumentException when the arrival time would leave its priority rank
     */
    public static long score(Priority priority, long arrivalMs) {
        if (arrivalMs < 0 || arrivalMs >= PRIORITY_STRIDE) {
            throw new IllegalArgumentException("arrival time must be in [0, 10^13) epoch ms, got " + arrivalMs);
        }
        return priority.rank() * PRIORITY_STRIDE + arrivalMs;
    }

    /**
     * Parks a request durably, unless its request id is already known or already has its outcome.
     *
     * @param request the request to park
     * @return true when parked, false when the id was known (a replayed record: skip it)
     */
    public boolean park(ParkedRequest request) {
        String accountId = request.accountId();
        String requestId = request.requestId();
        // the global account list is written outside the script (it lives on another slot in a
        // cluster); adding first means an account with parked requests is always listed
        if (!listedAccounts.contains(accountId)) {
            redis.opsForSet().add(keys.accounts(), accountId);
            listedAccounts.add(accountId);
        }
        Long parked = redis.execute(LuaScripts.PARK,
                List.of(keys.seen(accountId, requestId), keys.outcome(accountId, requestId), keys.parked(accountId),
                        keys.queue(accountId), keys.held(accountId), keys.pausedCampaigns(accountId)),
                requestId, Long.toString(score(request.priority(), request.arrivalMs())), request.payload(),
                Integer.toString(request.permits()), Long.toString(seenTtl.toSeconds()),
                request.campaignId() == null ? "" : request.campaignId(),
                request.traceparent() == null ? "" : request.traceparent());
        return parked != null && parked == 1L;
    }

    /**
     * The trace context a request was parked with; recording its task copies it to the task record
     * ({@link io.klingrelay.coordination.task.TaskLedger#traceparent}).
     *
     * @param accountId the account
     * @param requestId the request id
     * @return its W3C {@code traceparent}, empty when it was parked untraced or is no longer parked
     */
    public java.util.Optional<String> traceparent(String accountId, String requestId) {
        Object value = redis.opsForHash().get(keys.parked(accountId), requestId + "/traceparent");
        return value == null || value.toString().isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(value.toString());
    }

    /**
     * Takes the head of the account's queue together with its permits, if they are free, and
     * hands it a new fencing token.
     *
     * @param accountId    the account
     * @param defaultLimit the limit to use when none is stored for the account
     * @param leases       the permit lease (longer than the slowest generation) and the dispatch
     *                     lease (renewed while the create is in flight)
     * @return empty, paused, blocked or taken
     */
    public TakeResult take(String accountId, int defaultLimit, Leases leases) {
        List<?> result = redis.execute(LuaScripts.TAKE,
                List.of(keys.queue(accountId), keys.permits(accountId), keys.permitWeights(accountId),
                        keys.limit(accountId), keys.dispatching(accountId), keys.held(accountId),
                        keys.pausedCampaigns(accountId), keys.parked(accountId)),
                Long.toString(clock.millis()), Long.toString(leases.permitLease().toMillis()),
                Long.toString(leases.dispatchLease().toMillis()), Integer.toString(defaultLimit));
        Objects.requireNonNull(result, "take.lua returned nothing");
        return switch (String.valueOf(result.getFirst())) {
            case "taken" -> new TakeResult.Taken(accountId, str(result, 1), str(result, 2), integer(result, 3),
                    integer(result, 4), "1".equals(str(result, 5)), arrivalOf(str(result, 6)), "1".equals(str(result, 7)),
                    Long.parseLong(str(result, 8)), str(result, 9));
            case "blocked" -> new TakeResult.Blocked(integer(result, 1), integer(result, 2));
            case "paused" -> new TakeResult.Paused(str(result, 1));
            default -> new TakeResult.Empty();
        };
    }

    /**
     * The safety net: returns due retries to the queue and recovers expired dispatch leases (their
     * dispatch is then fenced off: the next take hands out a new token).
     *
     * @param accountId the account
     * @param batchSize at most this many of each per call
     * @return how many were promoted and recovered
     */
    public SweepResult sweep(String accountId, int batchSize) {
        List<?> result = redis.execute(LuaScripts.SWEEP,
                List.of(keys.delayed(accountId), keys.queue(accountId), keys.dispatching(accountId),
                        keys.permits(accountId), keys.permitWeights(accountId), keys.parked(accountId)),
                Long.toString(clock.millis()), Integer.toString(batchSize));
        Objects.requireNonNull(result, "sweep.lua returned nothing");
        return new SweepResult(integer(result, 0), integer(result, 1));
    }

    /**
     * Requests waiting in an account's queue, held aside or delayed, optionally of one campaign:
     * the candidates of a cancel (each is then ended through its outcome claim, which re-checks
     * atomically that it is still waiting).
     *
     * @param accountId  the account
     * @param campaignId the campaign, or null for all
     * @return the waiting requests with their campaigns
     */
    public List<Waiting> waiting(String accountId, @Nullable String campaignId) {
        List<String> ids = new ArrayList<>();
        for (String key : List.of(keys.queue(accountId), keys.held(accountId), keys.delayed(accountId))) {
            Set<String> members = redis.opsForZSet().range(key, 0, -1);
            if (members != null) {
                ids.addAll(members);
            }
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Object> campaigns = redis.opsForHash().multiGet(keys.parked(accountId),
                ids.stream().map(id -> (Object) (id + "/campaign")).toList());
        List<Waiting> waiting = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            String campaign = campaigns.get(i) == null || campaigns.get(i).toString().isEmpty() ? null
                    : campaigns.get(i).toString();
            if (campaignId == null || campaignId.equals(campaign)) {
                waiting.add(new Waiting(ids.get(i), campaign));
            }
        }
        return waiting;
    }

    /** @param accountId the account @return requests waiting in its queue (not counting delayed ones) */
    public long queueDepth(String accountId) {
        return zcard(keys.queue(accountId));
    }

    /** @param accountId the account @return requests waiting out a retry delay */
    public long delayedDepth(String accountId) {
        return zcard(keys.delayed(accountId));
    }

    private long zcard(String key) {
        Long size = redis.opsForZSet().zCard(key);
        return size == null ? 0 : size;
    }

    private static long arrivalOf(String score) {
        long value = (long) Double.parseDouble(score);
        return value % PRIORITY_STRIDE;
    }

    private static String str(List<?> result, int index) {
        return String.valueOf(result.get(index));
    }

    private static int integer(List<?> result, int index) {
        return Integer.parseInt(String.valueOf(result.get(index)));
    }

    /**
     * @param permitLease   how long a taken request's permits are leased (longer than the slowest generation)
     * @param dispatchLease how long a dispatch may go without renewing before it is recovered
     */
    public record Leases(Duration permitLease, Duration dispatchLease) {
        public Leases {
            Objects.requireNonNull(permitLease, "permitLease");
            Objects.requireNonNull(dispatchLease, "dispatchLease");
        }
    }

    /**
     * A request waiting in the queue, held aside or delayed.
     *
     * @param requestId  the request id
     * @param campaignId its campaign, if any
     */
    public record Waiting(String requestId, @Nullable String campaignId) {
    }

    /**
     * @param promoted  requests returned to the queue after their retry delay
     * @param recovered requests returned after their dispatch lease expired
     */
    public record SweepResult(int promoted, int recovered) {
    }
}
