package io.klingrelay.klingemulator.task;

import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Hands the engine's lifecycle events to every {@link TaskEventListener} bean, synchronously and in
 * {@link org.springframework.core.annotation.Order} order (Spring sorts the injected list), so the
 * engine never names its subscribers: the timeline records a status change before the callback is
 * queued, and the asset cache is evicted before the purge is counted.
 */
@Component
public class TaskEvents {

    /** Order of {@code TaskTimeline}: first to see a status change. */
    public static final int TIMELINE = 10;
    /** Order of {@code AssetService}: evicts a purged task's assets before it is counted. */
    public static final int ASSETS = 20;
    /** Order of {@code EmulatorStats}. */
    public static final int STATS = 30;
    /** Order of {@code CallbackSender}: queues the callback after the timeline has the change. */
    public static final int CALLBACKS = 40;

    private final List<TaskEventListener> listeners;

    /** @param listeners the subscribers, already in {@code @Order} order */
    public TaskEvents(List<TaskEventListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    void created(String accountId) {
        listeners.forEach(listener -> listener.created(accountId));
    }

    void duplicateExternalTaskId(String accountId) {
        listeners.forEach(listener -> listener.duplicateExternalTaskId(accountId));
    }

    void capacityRejected(String accountId) {
        listeners.forEach(listener -> listener.capacityRejected(accountId));
    }

    void statusChanged(Task task) {
        listeners.forEach(listener -> listener.statusChanged(task));
    }

    void purged(Task task) {
        listeners.forEach(listener -> listener.purged(task));
    }
}
