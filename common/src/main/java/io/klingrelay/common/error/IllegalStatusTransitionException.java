package io.klingrelay.common.error;

import io.klingrelay.common.event.TaskStatus;
import org.jspecify.annotations.Nullable;

/** A {@code task_status} move that {@link TaskStatus#isAllowed} forbids, e.g. {@code succeed → processing}. */
public final class IllegalStatusTransitionException extends IllegalStateException {

    private final @Nullable TaskStatus from;
    private final TaskStatus to;

    /**
     * @param from the current status
     * @param to   the refused status
     */
    public IllegalStatusTransitionException(@Nullable TaskStatus from, TaskStatus to) {
        super("illegal task_status transition " + from + " -> " + to);
        this.from = from;
        this.to = to;
    }

    /** @return the status the task had */
    public @Nullable TaskStatus from() {
        return from;
    }

    /** @return the refused status */
    public TaskStatus to() {
        return to;
    }
}
