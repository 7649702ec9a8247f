package io.klingrelay.klingemulator.task;

import io.klingrelay.klingemulator.auth.JwtVerifier;
import io.klingrelay.klingemulator.config.EmulatorProperties;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Purges ended tasks (and their cached assets) once {@code asset-retention} has passed since
 * {@code updated_at}, like Kling's 30-day purge, and drops expired cached JWTs. Runs every
 * {@code housekeeping-interval} (default 1 min) and at once whenever {@code POST /admin/clock} moves the clock.
 * Each purged task is announced to the {@link TaskEvents} listeners: the asset cache evicts it, the stats
 * count it in {@code GET /admin/stats} ({@code accounts.<id>.purged}).
 */
@Component
public class Housekeeping implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);

    private final TaskStore store;
    private final JwtVerifier jwtVerifier;
    private final Clock clock;
    private final TaskEvents events;
    private final long retentionMillis;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("emulator-housekeeping").daemon(true).factory());

    public Housekeeping(TaskStore store, JwtVerifier jwtVerifier, Clock clock, TaskEvents events,
            EmulatorProperties properties) {
        this.events = events;
        this.store = store;
        this.jwtVerifier = jwtVerifier;
        this.clock = clock;
        this.retentionMillis = properties.assetRetention().toMillis();
        long interval = properties.housekeepingInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::sweepSafely, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** Removes ended tasks past retention; returns how many went. */
    public int sweep() {
        long now = clock.millis();
        int[] removed = new int[1];
        store.evictIf(task -> task.status().isTerminal() && task.updatedAt() + retentionMillis < now, task -> {
            events.purged(task);
            removed[0]++;
        });
        jwtVerifier.evictExpired(now);
        return removed[0];
    }

    private void sweepSafely() {
        try {
            int removed = sweep();
            if (removed > 0) {
                log.info("purged {} task(s) past retention", removed);
            }
        } catch (RuntimeException e) {
            log.error("housekeeping sweep failed", e);
        }
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}
