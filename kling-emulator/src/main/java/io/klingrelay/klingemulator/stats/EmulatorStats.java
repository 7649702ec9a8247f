package io.klingrelay.klingemulator.stats;

import io.klingrelay.klingemulator.config.EmulatorProperties;
import io.klingrelay.klingemulator.config.EmulatorProperties.Account;
import io.klingrelay.klingemulator.task.SlotLimiter;
import io.klingrelay.klingemulator.task.Task;
import io.klingrelay.klingemulator.task.TaskEventListener;
import io.klingrelay.klingemulator.task.TaskEvents;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Counters behind {@code GET /admin/stats}; see {@link StatsView} for their meaning. */
@Component
@Order(TaskEvents.STATS)
public class EmulatorStats implements TaskEventListener {

    private static final List<Integer> ALWAYS_LISTED_CODES = List.of(1201, 1303);

    private final List<String> configuredAccounts;
    private final SlotLimiter slots;
    private final Map<String, AccountCounters> accounts = new ConcurrentHashMap<>();
    private final LongAdder callbacksSent = new LongAdder();
    private final LongAdder callbacksFailed = new LongAdder();
    private final LongAdder callbacksDropped = new LongAdder();

    public EmulatorStats(EmulatorProperties properties, SlotLimiter slots) {
        this.configuredAccounts = properties.accounts().stream().map(Account::id).toList();
        this.slots = slots;
    }

    @Override
    public void created(String accountId) {
        counters(accountId).creates.increment();
    }

    @Override
    public void duplicateExternalTaskId(String accountId) {
        counters(accountId).duplicates.increment();
    }

    @Override
    public void capacityRejected(String accountId) {
        counters(accountId).capacityRejections.increment();
    }

    public void errorAnswered(String accountId, int code) {
        counters(accountId).errorCodes.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    /** Counts one ended task removed (with its assets) after {@code asset-retention}. */
    /** Counts {@code task} as purged for its account. */
    @Override
    public void purged(Task task) {
        purged(task.accountId());
    }

    public void purged(String accountId) {
        counters(accountId).purged.increment();
    }

    public void callbackSent() {
        callbacksSent.increment();
    }

    public void callbackFailed() {
        callbacksFailed.increment();
    }

    public void callbackDropped() {
        callbacksDropped.increment();
    }

    public void reset() {
        accounts.clear();
        callbacksSent.reset();
        callbacksFailed.reset();
        callbacksDropped.reset();
    }

    public StatsView view() {
        Map<String, StatsView.AccountStats> result = new LinkedHashMap<>();
        configuredAccounts.forEach(id -> result.put(id, accountView(id)));
        accounts.keySet().forEach(id -> result.computeIfAbsent(id, this::accountView));
        return new StatsView(result, new StatsView.CallbackStats(callbacksSent.sum(), callbacksFailed.sum(),
                callbacksDropped.sum()));
    }

    private StatsView.AccountStats accountView(String accountId) {
        AccountCounters counters = accounts.getOrDefault(accountId, new AccountCounters());
        Map<String, Long> codes = new TreeMap<>();
        ALWAYS_LISTED_CODES.forEach(code -> codes.put(code.toString(), 0L));
        counters.errorCodes.forEach((code, count) -> codes.put(code.toString(), count.sum()));
        return new StatsView.AccountStats(counters.creates.sum(), counters.duplicates.sum(), slots.maxRunning(accountId),
                slots.running(accountId), counters.capacityRejections.sum(), codes, counters.purged.sum());
    }

    private AccountCounters counters(String accountId) {
        return accounts.computeIfAbsent(accountId, id -> new AccountCounters());
    }

    private static final class AccountCounters {
        final LongAdder creates = new LongAdder();
        final LongAdder duplicates = new LongAdder();
        final LongAdder capacityRejections = new LongAdder();
        final LongAdder purged = new LongAdder();
        final Map<Integer, LongAdder> errorCodes = new ConcurrentHashMap<>();
    }
}
