package io.klingrelay.klingemulator.task;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Running-task slots per account (kling-api.md §13): a task holds its slots from {@code submitted}
 * until {@code succeed}/{@code failed}. Tracks the high-water mark for {@code /admin/stats}.
 */
@Component
public class SlotLimiter {

    private final Map<String, Slots> slots = new ConcurrentHashMap<>();

    /** @return false when taking {@code count} slots would exceed {@code limit} */
    public boolean tryAcquire(String accountId, int count, int limit) {
        return tryAcquire(accountId, accountId, count, limit);
    }

    /**
     * Takes slots from one pool ({@link SlotScope}); the account's totals (running, high-water mark) cover all
     * its pools.
     *
     * @return false when taking {@code count} slots would exceed {@code limit} of pool {@code scopeKey}
     */
    public boolean tryAcquire(String accountId, String scopeKey, int count, int limit) {
        Slots pool = slots.computeIfAbsent(scopeKey, id -> new Slots());
        while (true) {
            int running = pool.running.get();
            if (running + count > limit) {
                return false;
            }
            if (pool.running.compareAndSet(running, running + count)) {
                pool.maxRunning.accumulateAndGet(running + count, Math::max);
                if (!scopeKey.equals(accountId)) {
                    Slots account = slots.computeIfAbsent(accountId, id -> new Slots());
                    account.maxRunning.accumulateAndGet(account.running.addAndGet(count), Math::max);
                }
                return true;
            }
        }
    }

    public void release(String accountId, int count) {
        release(accountId, accountId, count);
    }

    public void release(String accountId, String scopeKey, int count) {
        decrement(slots.get(scopeKey), count);
        if (!scopeKey.equals(accountId)) {
            decrement(slots.get(accountId), count);
        }
    }

    private static void decrement(Slots pool, int count) {
        if (pool != null) {
            pool.running.updateAndGet(running -> Math.max(0, running - count));
        }
    }

    public int running(String accountId) {
        Slots account = slots.get(accountId);
        return account == null ? 0 : account.running.get();
    }

    public int maxRunning(String accountId) {
        Slots account = slots.get(accountId);
        return account == null ? 0 : account.maxRunning.get();
    }

    public void reset() {
        slots.clear();
    }

    private static final class Slots {
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();
    }
}
