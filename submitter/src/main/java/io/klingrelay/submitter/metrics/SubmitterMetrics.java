package io.klingrelay.submitter.metrics;

import io.klingrelay.coordination.admission.AccountState;
import io.klingrelay.coordination.metrics.MeterSpec;
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
        MeterSpec waitSpec = SubmitterMeter.WAIT.spec();
        this.wait = Timer.builder(waitSpec.meterName()).description(waitSpec.description())
                .publishPercentiles(0.5, 0.99).register(registry);
        // registered at 0, so a dashboard or alert sees the series before the first cancellation
        SubmitterMeter.CANCELLED.spec().increment(registry, 0);
    }

    /** @param outcome what became of a record of klingrelay.requests */
    public void request(String outcome) {
        SubmitterMeter.REQUESTS.spec().increment(registry, outcome);
    }

    /** @param outcome the outcome of one dispatch attempt */
    public void dispatched(DispatchOutcome outcome) {
        SubmitterMeter.DISPATCHES.spec().increment(registry, outcome.name().toLowerCase(Locale.ROOT));
    }

    /** @param count waiting requests an operator cancelled */
    public void cancelled(int count) {
        SubmitterMeter.CANCELLED.spec().increment(registry, count);
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
        MeterSpec spec = meter.spec();
        Gauge.builder(spec.meterName(), value, AtomicLong::get).description(spec.description())
                .tags(spec.tags(accountId)).register(registry);
    }


    private record AccountGauges(AtomicLong queueDepth, AtomicLong permitsInUse, AtomicLong effectiveLimit,
            AtomicLong paused) {
    }
}
