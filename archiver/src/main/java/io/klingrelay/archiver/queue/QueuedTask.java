package io.klingrelay.archiver.queue;

import io.klingrelay.common.event.TaskCompleted;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A completed task taken from the {@link ArchiveQueue}.
 *
 * @param task           the task
 * @param traceparent    the W3C {@code traceparent} of the listener span that parked it, or null
 * @param deferrals      how often it was given back to be retried later (0 on the first take)
 * @param firstDeferred  when it was first given back, or null when never
 * @param takes          how often it was taken, this take included (more than deferrals + 1 when an
 *                       archiver holding it died and its lease expired)
 */
public record QueuedTask(TaskCompleted task, @Nullable String traceparent, int deferrals,
        @Nullable Instant firstDeferred, int takes) {

    /**
     * @return whether an earlier take may have stored some of its assets (then each asset is looked
     *         up before it is downloaded; on the first take nothing can be there yet)
     */
    public boolean retaken() {
        return takes > 1;
    }

    /** @return the request id, the queue's member */
    public String requestId() {
        return task.requestId();
    }
}
