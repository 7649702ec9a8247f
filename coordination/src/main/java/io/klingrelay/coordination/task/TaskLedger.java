package io.klingrelay.coordination.task;

import io.klingrelay.common.event.Product;
import io.klingrelay.common.event.TaskStatus;
import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.coordination.redis.DueClaims;
import io.klingrelay.coordination.redis.LuaScripts;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisZSetCommands;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The task ledger shared by the webhook receiver and the poller (ARCHITECTURE.md "Callbacks are
 * untrusted until proven"): both only <em>propose</em> an observed status; one atomic Redis step
 * ({@code propose-status.lua}) decides whether it is news and which terminal proposal wins, so
 * that exactly one {@code klingrelay.tasks.completed} event is published. The winner publishes and
 * then calls {@link #markPublished}, which also releases the task's permits and wakes the
 * account's dispatchers. Redis failures surface as Spring's {@code DataAccessException}.
 */
public final class TaskLedger {

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final Clock clock;
    private final Duration staleClaimAge;
    private final Duration recordTtl;

    /**
     * @param redis         the Redis template
     * @param keys          the key layout
     * @param clock         the time source
     * @param staleClaimAge an unpublished status claim (terminal or not) older than this may be claimed again
     * @param recordTtl     how long a published task record is kept
     */
    public TaskLedger(StringRedisTemplate redis, RedisKeys keys, Clock clock, Duration staleClaimAge,
            Duration recordTtl) {
        this.redis = redis;
        this.keys = keys;
        this.clock = clock;
        this.staleClaimAge = staleClaimAge;
        this.recordTtl = recordTtl;
    }

    /**
     * @param accountId the account
     * @param requestId the request id
     * @return the recorded task, if the submitter recorded one
     */
    public Optional<TaskRecord> find(String accountId, String requestId) {
        Map<Object, Object> hash = redis.opsForHash().entries(keys.task(accountId, requestId));
        if (hash.isEmpty() || hash.get("task_id") == null) {
            return Optional.empty();
        }
        String campaignId = (String) hash.get("campaign_id");
        return Optional.of(new TaskRecord(requestId, accountId, (String) hash.get("task_id"),
                Product.valueOf((String) hash.get("product")),
                campaignId == null || campaignId.isEmpty() ? null : campaignId,
                TaskStatus.fromWire((String) hash.getOrDefault("status", "submitted")),
                Instant.ofEpochMilli(Long.parseLong((String) hash.get("submitted_at"))),
                Integer.parseInt((String) hash.getOrDefault("permits", "1")),
                "1".equals(hash.get("published"))));
    }

    /**
     * The shape of a recorded task (issue 9): its product and the {@code model_name}, {@code mode} and
     * {@code duration} of its request, for the poller's learned schedule.
     *
     * @param record the recorded task
     * @return its shape; fields the request did not carry (or a task recorded before they were kept) are null
     */
    public TaskShape shape(TaskRecord record) {
        List<Object> values = redis.opsForHash().multiGet(keys.task(record.accountId(), record.requestId()),
                List.of("model_name", "mode", "duration"));
        return new TaskShape(record.product(), text(values.get(0)), text(values.get(1)), text(values.get(2)));
    }

    private static @Nullable String text(@Nullable Object value) {
        return value == null || value.toString().isEmpty() ? null : value.toString();
    }

    /**
     * The trace context of the request the task belongs to (copied from the parked request when
     * the task was recorded), so a callback or a poll continues the request's trace.
     *
     * @param accountId the account
     * @param requestId the request id
     * @return its W3C {@code traceparent}, empty when the request was untraced or no task is recorded
     */
    public Optional<String> traceparent(String accountId, String requestId) {
        Object value = redis.opsForHash().get(keys.task(accountId, requestId), "traceparent");
        return value == null || value.toString().isEmpty() ? Optional.empty() : Optional.of(value.toString());
    }

    /**
     * Proposes an observed status.
     *
     * @param accountId the account
     * @param requestId the request id
     * @param taskId    the {@code task_id} the observation is about
     * @param status    the observed status
     * @param claimant  who observes it (for diagnosis), e.g. {@code webhook} or {@code poller}
     * @return the verdict; publish only on {@link Proposal#isNews()}
     */
    public Proposal propose(String accountId, String requestId, String taskId, TaskStatus status, String claimant) {
        String verdict = redis.execute(LuaScripts.PROPOSE_STATUS, List.of(keys.task(accountId, requestId)),
                taskId, status.wireName(), Long.toString(clock.millis()), Long.toString(staleClaimAge.toMillis()),
                claimant);
        return Proposal.valueOf(verdict);
    }

    /**
     * Called after Kafka acknowledged the status event of an {@link Proposal#UPDATED} proposal:
     * clears the claim, so the same status observed again is a {@link Proposal#DUPLICATE}.
     * (Terminal statuses are settled by {@link #markPublished}.)
     *
     * @param accountId the account
     * @param requestId the request id
     * @param status    the non-terminal status that was published
     * @return false when the task moved on meanwhile (a later status was accepted) or is gone
     */
    public boolean statusPublished(String accountId, String requestId, TaskStatus status) {
        return settle(accountId, requestId, status, "published");
    }

    /**
     * Called when Kafka did not acknowledge the event of an {@link Proposal#UPDATED} or
     * {@link Proposal#WON} proposal: releases the claim at once, so the next observation of the
     * same status (a retried callback, the next poll) publishes it instead of waiting for the
     * claim to go stale or being dropped as a duplicate.
     *
     * @param accountId the account
     * @param requestId the request id
     * @param status    the status whose event was not acknowledged
     * @return false when there was no such claim any more (the task moved on or was published)
     */
    public boolean releaseClaim(String accountId, String requestId, TaskStatus status) {
        return settle(accountId, requestId, status, "failed");
    }

    private boolean settle(String accountId, String requestId, TaskStatus status, String outcome) {
        Long settled = redis.execute(LuaScripts.SETTLE_STATUS, List.of(keys.task(accountId, requestId)),
                status.wireName(), outcome);
        return settled != null && settled == 1L;
    }

    /**
     * Called by the winner once Kafka acknowledged the terminal event: marks it published,
     * stops polling the task, releases its permits and wakes the account's dispatchers.
     *
     * @param accountId the account
     * @param requestId the request id
     * @return true when permits were released by this call
     */
    public boolean markPublished(String accountId, String requestId) {
        Long released = redis.execute(LuaScripts.MARK_PUBLISHED,
                List.of(keys.task(accountId, requestId), keys.pending(accountId), keys.permits(accountId),
                        keys.permitWeights(accountId)),
                requestId, keys.dispatchChannel(), accountId, Long.toString(recordTtl.toSeconds()));
        return released != null && released == 1L;
    }

    /**
     * Tasks of an account that have waited for a terminal status since before {@code checkpoint}
     * (a read: pollers take their work with {@link #claimForPoll}).
     * The pending score is the last checkpoint (submission, then each poll or claim).
     *
     * @param accountId  the account
     * @param checkpoint return tasks whose last checkpoint is at or before this
     * @param limit      at most this many
     * @return request ids, oldest checkpoint first
     */
    public List<String> dueForPoll(String accountId, Instant checkpoint, int limit) {
        Set<String> due = redis.opsForZSet().rangeByScore(keys.pending(accountId), Double.NEGATIVE_INFINITY,
                checkpoint.toEpochMilli(), 0, limit);
        return due == null ? List.of() : List.copyOf(due);
    }

    /**
     * Claims tasks of an account due for a poll, for this poller alone (ARCHITECTURE.md, the poller;
     * {@code claim-due.lua}): in one atomic step it picks up to {@code limit} tasks whose last
     * checkpoint is at or before {@code checkpoint} and moves each one's checkpoint to
     * {@code checkpoint + lease}, so N poller instances never pick the same task while one of them
     * polls it. The claimant ends its claim by {@link #reschedulePoll} (or the task leaves the
     * pending set on {@link #markPublished}); a claimant that dies lets the lease run out, after which
     * the task is due again for any poller.
     *
     * @param accountId  the account
     * @param checkpoint claim tasks whose last checkpoint is at or before this (now minus the grace)
     * @param lease      how long the claim keeps the task from other pollers; must exceed one poll
     *                   (query timeout plus publish timeout) and the wait for a query thread
     * @param limit      at most this many
     * @return the claimed request ids, oldest checkpoint first
     */
    public List<String> claimForPoll(String accountId, Instant checkpoint, Duration lease, int limit) {
        return DueClaims.claim(redis, keys.pending(accountId), checkpoint, checkpoint.plus(lease), limit);
    }

    /**
     * Moves a pending task's checkpoint (after a poll found it still running, which also ends the poller's
     * claim); no-op once the task left the pending set.
     *
     * @param accountId  the account
     * @param requestId  the request id
     * @param checkpoint the new checkpoint
     */
    public void reschedulePoll(String accountId, String requestId, Instant checkpoint) {
        zaddIfPresent(keys.pending(accountId), requestId, checkpoint.toEpochMilli());
    }

    /**
     * Renews the permit lease of a task Kling still reports as running; no-op once the permits were released.
     *
     * @param accountId  the account
     * @param requestId  the request id
     * @param leaseUntil the new lease expiry
     */
    public void renewPermit(String accountId, String requestId, Instant leaseUntil) {
        zaddIfPresent(keys.permits(accountId), requestId, leaseUntil.toEpochMilli());
    }

    /** ZADD XX: moves the score only while the member is still there (a finished task stays finished). */
    private void zaddIfPresent(String key, String member, long score) {
        redis.execute((RedisCallback<Boolean>) connection -> connection.zSetCommands().zAdd(
                key.getBytes(StandardCharsets.UTF_8), score, member.getBytes(StandardCharsets.UTF_8),
                RedisZSetCommands.ZAddArgs.ifExists()));
    }

    /** @return ids of every account with state */
    public Set<String> accounts() {
        Set<String> accounts = redis.opsForSet().members(keys.accounts());
        return accounts == null ? Set.of() : accounts;
    }
}
