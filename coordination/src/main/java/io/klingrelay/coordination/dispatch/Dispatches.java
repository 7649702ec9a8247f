package io.klingrelay.coordination.dispatch;

import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.coordination.admission.AdmissionPolicy;
import io.klingrelay.coordination.redis.LuaScripts;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The writes of a dispatch, each one atomic Lua step fenced by the dispatch's token
 * ({@link Dispatch}): renew the dispatch lease while the create call is in flight, record the
 * task it created or adopted, or give the permits back and wait. A dispatch that lost its lease
 * (recovered by a sweep and taken again) can no longer change anything but recording its task,
 * which is adopted when no task is recorded yet and reported as an orphan otherwise. Ending a
 * request for good goes through its outcome claim
 * ({@link io.klingrelay.coordination.outcome.OutcomeLedger}). Redis failures surface as Spring's
 * {@code DataAccessException}. Thread-safe.
 */
public final class Dispatches {

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final Clock clock;
    private final AdmissionPolicy policy;

    /**
     * @param redis  the Redis template
     * @param keys   the key layout
     * @param clock  the time source
     * @param policy how limits and pauses react to Kling's answers
     */
    public Dispatches(StringRedisTemplate redis, RedisKeys keys, Clock clock, AdmissionPolicy policy) {
        this.redis = redis;
        this.keys = keys;
        this.clock = clock;
        this.policy = policy;
    }

    /**
     * Extends a dispatch lease, only while this dispatch still holds it.
     *
     * @param dispatch the dispatch
     * @param lease    the new lease length from now
     * @return false when the dispatch lost its lease (its later writes will be fenced off)
     */
    public boolean renew(Dispatch dispatch, Duration lease) {
        Long renewed = redis.execute(LuaScripts.RENEW_DISPATCH,
                List.of(keys.dispatching(dispatch.accountId()), keys.parked(dispatch.accountId())),
                dispatch.requestId(), Long.toString(dispatch.fence()), Long.toString(clock.millis() + lease.toMillis()));
        return renewed != null && renewed == 1L;
    }

    /**
     * Records the task created (or adopted) for a taken request and ends its dispatch; the poller
     * watches it from here. An orphan ({@link RecordResult#isOrphan()}) is added to the account's
     * orphan list.
     *
     * @param dispatch    the dispatch
     * @param task        the task
     * @param permitLease the permit lease, for a task whose permits were given back meanwhile
     * @return what was done with it
     */
    public RecordResult recordTask(Dispatch dispatch, CreatedTask task, Duration permitLease) {
        String accountId = dispatch.accountId();
        String requestId = dispatch.requestId();
        String result = redis.execute(LuaScripts.RECORD_TASK,
                List.of(keys.dispatching(accountId), keys.parked(accountId), keys.task(accountId, requestId),
                        keys.pending(accountId), keys.queue(accountId), keys.delayed(accountId), keys.limit(accountId),
                        keys.permits(accountId), keys.permitWeights(accountId), keys.outcome(accountId, requestId),
                        keys.held(accountId)),
                requestId, task.taskId(), task.product().name(), accountId,
                task.campaignId() == null ? "" : task.campaignId(), Long.toString(task.submittedAt().toEpochMilli()),
                Integer.toString(task.permits()), Long.toString(clock.millis()),
                Long.toString(policy.increaseInterval().toMillis()), Long.toString(dispatch.fence()),
                Long.toString(permitLease.toMillis()));
        RecordResult recorded = RecordResult.valueOf(String.valueOf(result));
        if (recorded.isOrphan()) {
            redis.opsForHash().put(keys.orphans(accountId), task.taskId(),
                    requestId + " " + task.product().name() + " " + clock.millis());
        }
        return recorded;
    }

    /**
     * Gives a taken request's permits back; it returns to its place in the queue at
     * {@link Retry#dueAt()}. A {@link RetryKind#CAPACITY} retry also lowers the account's
     * effective limit, and an {@link RetryKind#ACCOUNT} retry pauses the account (see
     * {@link AdmissionPolicy}).
     *
     * @param dispatch     the dispatch
     * @param retry        why and when
     * @param defaultLimit the limit to start from when none is stored
     * @return attempts spent so far, or -1 when the dispatch was fenced off (nothing changed)
     */
    public int retryLater(Dispatch dispatch, Retry retry, int defaultLimit) {
        String accountId = dispatch.accountId();
        Long attempts = redis.execute(LuaScripts.RETRY_LATER,
                List.of(keys.dispatching(accountId), keys.parked(accountId), keys.permits(accountId),
                        keys.permitWeights(accountId), keys.delayed(accountId), keys.limit(accountId)),
                dispatch.requestId(), Long.toString(retry.dueAt().toEpochMilli()), retry.kind().wireName(),
                keys.dispatchChannel(), accountId, retry.mayExist() ? "1" : "0", Long.toString(clock.millis()),
                Double.toString(policy.decreaseFactor()), Long.toString(policy.decreaseHoldoff().toMillis()),
                Integer.toString(defaultLimit), Long.toString(policy.firstPause().toMillis()),
                Long.toString(policy.longestPause().toMillis()), retry.pauseReason(), Long.toString(dispatch.fence()),
                retry.lastError());
        return attempts == null ? -1 : attempts.intValue();
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
     * @return tasks created by fenced-off dispatches: {@code task_id} → {@code <request id> <product> <epoch ms>}
     */
    public Map<String, String> orphans(String accountId) {
        Map<Object, Object> entries = redis.opsForHash().entries(keys.orphans(accountId));
        Map<String, String> orphans = new java.util.TreeMap<>();
        entries.forEach((taskId, value) -> orphans.put(String.valueOf(taskId), String.valueOf(value)));
        return orphans;
    }
}
