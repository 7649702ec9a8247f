package io.klingrelay.klingemulator.task;

import io.klingrelay.klingemulator.account.ResourcePacks;
import io.klingrelay.klingemulator.config.EmulatorSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Moves tasks submitted → processing → succeed | failed on one small scheduler (no thread per task).
 * Phase durations come from the product, multiplied by the run-time {@code timeScale}. A task ending
 * releases its slots and every change is announced to the {@link TaskEvents} listeners (timeline, then
 * callbacks).
 */
@Component
public class TaskLifecycle implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(TaskLifecycle.class);

    private final TaskStore store;
    private final SlotLimiter slots;
    private final TaskEvents events;
    private final EmulatorSettings settings;
    private final Clock clock;
    private final ResourcePacks packs;
    private final SlotScope scope;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, Thread.ofPlatform()
            .name("emulator-lifecycle-", 0).daemon(true).factory());

    public TaskLifecycle(TaskStore store, SlotLimiter slots, TaskEvents events, EmulatorSettings settings,
            Clock clock, ResourcePacks packs, SlotScope scope) {
        this.scope = scope;
        this.store = store;
        this.slots = slots;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
        this.packs = packs;
    }

    /** Starts a freshly stored task: announces {@code submitted}, then the timed phases. */
    public void start(Task task) {
        changed(task);
        schedule(task.product().phase().submitted(), () -> toProcessing(task.taskId()));
    }

    private void toProcessing(String taskId) {
        store.transition(taskId, TaskStatus.SUBMITTED, TaskStatus.PROCESSING, clock.millis(), "").ifPresent(task -> {
            changed(task);
            schedule(task.product().phase().drawProcessing(), () -> finish(taskId));
        });
    }

    private void finish(String taskId) {
        Task current = store.get(taskId).orElse(null);
        if (current == null) {
            return;
        }
        TaskStatus end = current.willFail() ? TaskStatus.FAILED : TaskStatus.SUCCEED;
        String message = Objects.requireNonNullElse(current.failureMessage(), "");
        store.transition(taskId, TaskStatus.PROCESSING, end, clock.millis(), message).ifPresent(task -> {
            slots.release(task.accountId(), scope.key(task.accountId(), task.product(), task.spec()), task.spec().slots());
            if (end == TaskStatus.FAILED) {
                packs.refund(task.accountId(), task.product().packType(), Units.of(task.product(), task.spec()).doubleValue());
            }
            log.debug("task {} of account {} ended {}", task.taskId(), task.accountId(), end.wire());
            changed(task);
        });
    }

    private void changed(Task task) {
        events.statusChanged(task);
    }

    private void schedule(Duration phase, Runnable step) {
        long delayMicros = (long) (Objects.requireNonNull(phase).toNanos() / 1000.0 * settings.timeScale());
        scheduler.schedule(() -> runSafely(step), delayMicros, TimeUnit.MICROSECONDS);
    }

    private static void runSafely(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            log.error("task lifecycle step failed", e);
        }
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}
