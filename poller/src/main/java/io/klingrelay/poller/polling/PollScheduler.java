package io.klingrelay.poller.polling;

import io.klingrelay.poller.metrics.PollerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs {@link TaskPoller#sweep()} on one thread with a fixed delay between the end of a sweep and
 * the start of the next, from context start to context stop. A failing sweep is logged (WARN, no
 * stack trace) and counted; the next one runs as usual.
 */
public final class PollScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PollScheduler.class);

    private final TaskPoller poller;
    private final Duration interval;
    private final MeterRegistry meterRegistry;
    private volatile @Nullable ScheduledExecutorService scheduler;

    /**
     * @param poller        the poller
     * @param interval      the delay between sweeps
     * @param meterRegistry the meter registry
     */
    public PollScheduler(TaskPoller poller, Duration interval, MeterRegistry meterRegistry) {
        this.poller = poller;
        this.interval = interval;
        this.meterRegistry = meterRegistry;
    }

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("poller-sweep").daemon(true).factory());
        executor.scheduleWithFixedDelay(this::sweepSafely, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        scheduler = executor;
        log.info("Poller sweeping every {}", interval);
    }

    private void sweepSafely() {
        try {
            poller.sweep();
        } catch (RuntimeException e) {
            log.warn("Sweep failed, next one in {}: {}", interval, e.toString());
            PollerMetrics.SWEEP_FAILURES.increment(meterRegistry, e.getClass().getSimpleName());
        }
    }

    @Override
    public synchronized void stop() {
        ScheduledExecutorService executor = scheduler;
        if (executor == null) {
            return;
        }
        scheduler = null;
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("Poller sweep did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
