package io.klingrelay.submitter.metrics;

import io.klingrelay.coordination.dispatch.AccountState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records the meters of {@link SubmitterMeter}. Account gauges read values the dispatcher's sweep
 * refreshes from Redis ({@link #refresh(AccountState)}), so a scrape never calls Redis.
 */
public final class SubmitterMetrics {

    private final MeterRegistry registry;
    private final Timer wait;
    private final Map<String, AccountGauges> accounts = new ConcurrentHashMap<>();

    /** @param registry the registry */
    public SubmitterMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.wait = Timer.builder(SubmitterMeter.WAIT.meterName()).description(SubmitterMeter.WAIT.description())
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    /** @param outcome what became of a record of klingrelay.requests */
    public void request(String outcome) {
        counter(SubmitterMeter.REQUESTS, outcome).increment();
    }

    /** @param outcome the outcome of one dispatch attempt */
    public void dispatched(DispatchOutcome outcome) {
        counter(SubmitterMeter.DISPATCHES, outcome.name().toLowerCase(Locale.ROOT)).increment();
    }

    /** @param count waiting requests an operator cancelled */
    public void cancelled(int count) {
        Counter.builder(SubmitterMeter.CANCELLED.meterName()).description(SubmitterMeter.CANCELLED.description())
                .register(registry).increment(count);
    }

    /** @param waited time from arrival to dispatch */
    public void waited(Duration waited) {
        wait.record(waited);
    }

    /** @param state an account's admission state, read from Redis by the sweep */
    public void refresh(AccountState state) {
        AccountGauges gauges = accounts.computeIfAbsent(state.accountId(), this::register);
        gauges.queueDepth.set(state.queued() + state.held() + state.delayed());
        gauges.permitsInUse.set(state.permitsInUse());
        gauges.effectiveLimit.set(state.effectiveLimit());
        gauges.paused.set(state.operatorPaused() || state.pausedUntil() != null ? 1 : 0);
    }

    private AccountGauges register(String accountId) {
        AccountGauges gauges = new AccountGauges(new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong());
        gauge(SubmitterMeter.QUEUE_DEPTH, accountId, gauges.queueDepth);
        gauge(SubmitterMeter.PERMITS_IN_USE, accountId, gauges.permitsInUse);
        gauge(SubmitterMeter.EFFECTIVE_LIMIT, accountId, gauges.effectiveLimit);
        gauge(SubmitterMeter.PAUSED, accountId, gauges.paused);
        return gauges;
    }

    private void gauge(SubmitterMeter meter, String accountId, AtomicLong value) {
        Gauge.builder(meter.meterName(), value, AtomicLong::get).description(meter.description())
                .tag("account", accountId).register(registry);
    }

    private Counter counter(SubmitterMeter meter, String outcome) {
        return Counter.builder(meter.meterName()).description(meter.description()).tag("outcome", outcome)
                .register(registry);
    }

    private record AccountGauges(AtomicLong queueDepth, AtomicLong permitsInUse, AtomicLong effectiveLimit,
            AtomicLong paused) {
    }
}
