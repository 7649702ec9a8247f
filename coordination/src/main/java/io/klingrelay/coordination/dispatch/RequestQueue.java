package io.klingrelay.coordination.dispatch;

import io.klingrelay.common.event.Priority;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.coordination.redis.LuaScripts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Per-account waiting queues and weighted permit leases in Redis. Every method is one atomic Lua
 * step (see the scripts under {@code io/klingrelay/coordination/}); any Redis failure surfaces as
 * Spring's unchecked {@code DataAccessException}. Thread-safe.
 *
 * <p>Queue order: priority rank, then arrival time (score = rank × 10^13 + arrival epoch ms).
 * A request leaves the queue only together with its permits ({@link #take}), holds a dispatch
 * lease until its task is recorded ({@link #recordTask}), it ends ({@link #endDispatch}) or it is
 * put back ({@link #retryLater}); an expired dispatch lease returns it to its place
 * ({@link #sweep}).
 */
public final class RequestQueue {

    private static final long PRIORITY_STRIDE = 10_000_000_000_000L;

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final Clock clock;
    private final Duration seenTtl;
    private final AdmissionPolicy policy;

    /**
     * @param redis   the Redis template
     * @param keys    the key layout
     * @param clock   the time source for leases
     * @param seenTtl how long a parked request id is remembered
     * @param policy  how limits and pauses react to Kling's answers
     */
    public RequestQueue(StringRedisTemplate redis, RedisKeys keys, Clock clock, Duration seenTtl,
            AdmissionPolicy policy) {
        this.redis = redis;
        this.keys = keys;
        this.clock = clock;
        this.seenTtl = seenTtl;
        this.policy = policy;
    }

    /**
     * @param priority  the request's priority
     * @param arrivalMs arrival time, epoch ms
     * @return the queue score: lower is dispatched first
     */
    public static long score(Priority priority, long arrivalMs) {
        return priority.rank() * PRIORITY_STRIDE + arrivalMs;
    }

    /**
     * Parks a request durably, unless its request id is already known.
     *
     * @param accountId  the account
     * @param requestId  the request id
     * @param priority   the priority
     * @param arrivalMs  arrival time, epoch ms (e.g. the Kafka record timestamp)
     * @param payload    the request JSON
     * @param permits    permits the request will need (1, or {@code n} for images)
     * @param campaignId the campaign, if any (a paused campaign's requests are held aside)
     * @return true when parked, false when the id was known (a replayed record: skip it)
     */
    public boolean park(String accountId, String requestId, Priority priority, long arrivalMs, String payload,
            int permits, @Nullable String campaignId) {
        Long parked = redis.execute(LuaScripts.PARK,
                List.of(keys.seen(accountId, requestId), keys.parked(accountId, requestId), keys.queue(accountId),
                        keys.accounts(), keys.held(accountId), keys.pausedCampaigns(accountId)),
                requestId, Long.toString(score(priority, arrivalMs)), payload, Integer.toString(permits),
                Long.toString(seenTtl.toSeconds()), accountId, campaignId == null ? "" : campaignId);
        return parked != null && parked == 1L;
    }

    /**
     * Takes the head of the account's queue together with its permits, if they are free.
     *
     * @param accountId     the account
     * @param defaultLimit  the limit to use when none is stored for the account
     * @param permitLease   how long the permits are leased (longer than the slowest generation)
     * @param dispatchLease how long the request may stay in dispatch before it is recovered
     * @return empty, paused, blocked or taken
     */
    public TakeResult take(String accountId, int defaultLimit, Duration permitLease, Duration dispatchLease) {
        List<?> result = redis.execute(LuaScripts.TAKE,
                List.of(keys.queue(accountId), keys.permits(accountId), keys.permitWeights(accountId),
                        keys.limit(accountId), keys.dispatching(accountId), keys.held(accountId),
                        keys.pausedCampaigns(accountId)),
                Long.toString(now()), Long.toString(permitLease.toMillis()), Long.toString(dispatchLease.toMillis()),
                Integer.toString(defaultLimit), keys.parkedPrefix(accountId));
        Objects.requireNonNull(result, "take.lua returned nothing");
        return switch (String.valueOf(result.getFirst())) {
            case "taken" -> new TakeResult.Taken(str(result, 1), str(result, 2), integer(result, 3), integer(result, 4),
                    "1".equals(str(result, 5)), arrivalOf(str(result, 6)), "1".equals(str(result, 7)));
            case "blocked" -> new TakeResult.Blocked(integer(result, 1), integer(result, 2));
            case "paused" -> new TakeResult.Paused(str(result, 1));
            default -> new TakeResult.Empty();
        };
    }

    /**
     * Records the task created for a taken request and ends its dispatch; the poller starts
     * watching it from here.
     *
     * @param accountId   the account
     * @param requestId   the request id
     * @param taskId      Kling's {@code task_id}
     * @param product     the product
     * @param campaignId  the campaign, if any
     * @param submittedAt when the create call returned
     * @param permits     permits held for the task
     * @return true when the dispatch lease was still held (false means it expired meanwhile;
     *         the record is made anyway and any requeued copy is removed)
     */
    public boolean recordTask(String accountId, String requestId, String taskId, Product product,
            @Nullable String campaignId, Instant submittedAt, int permits) {
        Long held = redis.execute(LuaScripts.RECORD_TASK,
                List.of(keys.dispatching(accountId), keys.parked(accountId, requestId), keys.task(accountId, requestId),
                        keys.pending(accountId), keys.queue(accountId), keys.delayed(accountId), keys.limit(accountId)),
                requestId, taskId, product.name(), accountId, campaignId == null ? "" : campaignId,
                Long.toString(submittedAt.toEpochMilli()), Integer.toString(permits), Long.toString(now()),
                Long.toString(policy.increaseInterval().toMillis()));
        return held != null && held == 1L;
    }

    /**
     * Ends a taken request that produced no task (it failed for good) and releases its permits.
     *
     * @param accountId the account
     * @param requestId the request id
     * @return true when permits were released
     */
    public boolean endDispatch(String accountId, String requestId) {
        Long released = redis.execute(LuaScripts.END_DISPATCH,
                List.of(keys.dispatching(accountId), keys.parked(accountId, requestId), keys.permits(accountId),
                        keys.permitWeights(accountId), keys.queue(accountId), keys.delayed(accountId),
                        keys.limit(accountId)),
                requestId, keys.dispatchChannel(), accountId);
        return released != null && released == 1L;
    }

    /**
     * Gives a taken request's permits back; it returns to its place in the queue at {@code dueAt}.
     * A {@link RetryKind#CAPACITY} retry also lowers the account's effective limit, and an
     * {@link RetryKind#ACCOUNT} retry pauses the account (see {@link AdmissionPolicy}).
     *
     * @param accountId    the account
     * @param requestId    the request id
     * @param dueAt        when it may be dispatched again
     * @param kind         why it waits, which decides whether an attempt is spent
     * @param mayExist     true when the failed create may have reached Kling (timeout, 5xx)
     * @param reason       for an account pause: why (shown to operators, no secrets)
     * @param defaultLimit the limit to start from when none is stored
     * @return attempts spent so far
     */
    public int retryLater(String accountId, String requestId, Instant dueAt, RetryKind kind, boolean mayExist,
            String reason, int defaultLimit) {
        Long attempts = redis.execute(LuaScripts.RETRY_LATER,
                List.of(keys.dispatching(accountId), keys.parked(accountId, requestId), keys.permits(accountId),
                        keys.permitWeights(accountId), keys.delayed(accountId), keys.limit(accountId)),
                requestId, Long.toString(dueAt.toEpochMilli()), kind.wireName(), keys.dispatchChannel(), accountId,
                mayExist ? "1" : "0", Long.toString(now()), Double.toString(policy.decreaseFactor()),
                Long.toString(policy.decreaseHoldoff().toMillis()), Integer.toString(defaultLimit),
                Long.toString(policy.firstPause().toMillis()), Long.toString(policy.longestPause().toMillis()), reason);
        return attempts == null ? 0 : attempts.intValue();
    }

    /**
     * The safety net: returns due retries to the queue and recovers expired dispatch leases.
     *
     * @param accountId the account
     * @param batchSize at most this many of each per call
     * @return how many were promoted and recovered
     */
    public SweepResult sweep(String accountId, int batchSize) {
        List<?> result = redis.execute(LuaScripts.SWEEP,
                List.of(keys.delayed(accountId), keys.queue(accountId), keys.dispatching(accountId),
                        keys.permits(accountId), keys.permitWeights(accountId)),
                Long.toString(now()), keys.parkedPrefix(accountId), Integer.toString(batchSize));
        Objects.requireNonNull(result, "sweep.lua returned nothing");
        return new SweepResult(integer(result, 0), integer(result, 1));
    }

    /**
     * Stores the account's configured limit (used when no effective limit overrides it).
     *
     * @param accountId the account
     * @param limit     permits the account may hold at once
     */
    public void setConfiguredLimit(String accountId, int limit) {
        redis.opsForHash().put(keys.limit(accountId), "configured", Integer.toString(limit));
        redis.opsForSet().add(keys.accounts(), accountId);
    }

    /**
     * Pauses or resumes an account by operator decision; its requests stay queued meanwhile.
     *
     * @param accountId the account
     * @param paused    true to pause, false to resume (also ends an account-error pause at once)
     */
    public void setOperatorPaused(String accountId, boolean paused) {
        if (paused) {
            redis.opsForHash().put(keys.limit(accountId), "operator_paused", "1");
        } else {
            redis.opsForHash().delete(keys.limit(accountId), "operator_paused", "paused_until", "pause_reason",
                    "pause_backoff", "probe");
            redis.convertAndSend(keys.dispatchChannel(), accountId);
        }
    }

    /**
     * Pauses a campaign on an account: its waiting requests are held aside as the dispatcher meets
     * them, and new ones are parked aside, until {@link #resumeCampaign}.
     *
     * @param accountId  the account
     * @param campaignId the campaign
     */
    public void pauseCampaign(String accountId, String campaignId) {
        redis.opsForSet().add(keys.pausedCampaigns(accountId), campaignId);
    }

    /**
     * @param accountId  the account
     * @param campaignId the campaign
     * @return how many held requests returned to their queue places
     */
    public long resumeCampaign(String accountId, String campaignId) {
        Long moved = redis.execute(LuaScripts.RESUME_CAMPAIGN,
                List.of(keys.queue(accountId), keys.held(accountId), keys.pausedCampaigns(accountId)),
                campaignId, keys.parkedPrefix(accountId));
        redis.convertAndSend(keys.dispatchChannel(), accountId);
        return moved == null ? 0 : moved;
    }

    /**
     * Removes waiting requests (queued, held or waiting out a retry delay) of an account, or of one
     * campaign on it; requests in dispatch or already on Kling are not touched. The caller ends
     * each returned request with a {@code requests.failed} event.
     *
     * @param accountId  the account
     * @param campaignId the campaign, or null for all of the account's waiting requests
     * @return the cancelled requests
     */
    public List<Cancelled> cancel(String accountId, @Nullable String campaignId) {
        List<?> flat = redis.execute(LuaScripts.CANCEL,
                List.of(keys.queue(accountId), keys.held(accountId), keys.delayed(accountId)),
                keys.parkedPrefix(accountId), campaignId == null ? "" : campaignId);
        List<Cancelled> cancelled = new java.util.ArrayList<>();
        for (int i = 0; flat != null && i + 1 < flat.size(); i += 2) {
            String campaign = String.valueOf(flat.get(i + 1));
            cancelled.add(new Cancelled(String.valueOf(flat.get(i)), campaign.isEmpty() ? null : campaign));
        }
        return cancelled;
    }

    /**
     * Permits whose lease expired: their holder's task was neither renewed (by the poller, while
     * Kling reported it running) nor released. Reconcile each against Kling before its slot is reused.
     *
     * @param accountId the account
     * @param limit     at most this many
     * @return holder request ids
     */
    public List<String> expiredPermits(String accountId, int limit) {
        Set<String> expired = redis.opsForZSet().rangeByScore(keys.permits(accountId), Double.NEGATIVE_INFINITY,
                now(), 0, limit);
        return expired == null ? List.of() : List.copyOf(expired);
    }

    /**
     * Releases an expired permit whose task is known to have ended (or never existed), and wakes
     * the dispatchers.
     *
     * @param accountId the account
     * @param requestId the holder
     */
    public void releasePermit(String accountId, String requestId) {
        Long removed = redis.opsForZSet().remove(keys.permits(accountId), requestId);
        redis.opsForHash().delete(keys.permitWeights(accountId), requestId);
        if (removed != null && removed > 0) {
            redis.convertAndSend(keys.dispatchChannel(), accountId);
        }
    }

    /**
     * Extends a held permit's lease (a reconciliation found its task still running).
     *
     * @param accountId  the account
     * @param requestId  the holder
     * @param leaseUntil the new expiry
     */
    public void extendPermit(String accountId, String requestId, Instant leaseUntil) {
        redis.opsForZSet().add(keys.permits(accountId), requestId, leaseUntil.toEpochMilli());
    }

    /**
     * @param accountId the account
     * @param requestId a request id
     * @return whether the request is taken for dispatch right now
     */
    public boolean isDispatching(String accountId, String requestId) {
        return redis.opsForZSet().score(keys.dispatching(accountId), requestId) != null;
    }

    /**
     * @param accountId the account
     * @return everything Redis holds about its admission
     */
    public AccountState state(String accountId) {
        java.util.Map<Object, Object> limit = redis.opsForHash().entries(keys.limit(accountId));
        int configured = Integer.parseInt(String.valueOf(limit.getOrDefault("configured", "0")));
        int effective = Integer.parseInt(String.valueOf(limit.getOrDefault("effective", String.valueOf(configured))));
        Object pausedUntil = limit.get("paused_until");
        return new AccountState(accountId, configured, effective, permitsInUse(accountId), queueDepth(accountId),
                zcard(keys.held(accountId)), delayedDepth(accountId), zcard(keys.dispatching(accountId)),
                "1".equals(limit.get("operator_paused")),
                pausedUntil == null ? null : Instant.ofEpochMilli(Long.parseLong(pausedUntil.toString())),
                (String) limit.get("pause_reason"));
    }

    private long zcard(String key) {
        Long size = redis.opsForZSet().zCard(key);
        return size == null ? 0 : size;
    }

    /** @return ids of every account with state */
    public Set<String> accounts() {
        Set<String> accounts = redis.opsForSet().members(keys.accounts());
        return accounts == null ? Set.of() : accounts;
    }

    /** @param accountId the account @return requests waiting in its queue (not counting delayed ones) */
    public long queueDepth(String accountId) {
        Long size = redis.opsForZSet().zCard(keys.queue(accountId));
        return size == null ? 0 : size;
    }

    /** @param accountId the account @return requests waiting out a retry delay */
    public long delayedDepth(String accountId) {
        Long size = redis.opsForZSet().zCard(keys.delayed(accountId));
        return size == null ? 0 : size;
    }

    /** @param accountId the account @return permits held now */
    public int permitsInUse(String accountId) {
        return redis.opsForHash().values(keys.permitWeights(accountId)).stream()
                .mapToInt(weight -> Integer.parseInt(weight.toString())).sum();
    }

    private long now() {
        return clock.millis();
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
     * A request removed from the waiting room by {@link #cancel}.
     *
     * @param requestId  the request id
     * @param campaignId its campaign, if any
     */
    public record Cancelled(String requestId, @Nullable String campaignId) {
    }

    /**
     * @param promoted  requests returned to the queue after their retry delay
     * @param recovered requests returned after their dispatch lease expired
     */
    public record SweepResult(int promoted, int recovered) {
    }
}
