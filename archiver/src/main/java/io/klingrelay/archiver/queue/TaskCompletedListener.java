package io.klingrelay.archiver.queue;

import io.klingrelay.archiver.archive.ArchiveService;
import io.klingrelay.common.event.TaskCompleted;
import io.klingrelay.common.event.TaskStatus;
import io.klingrelay.common.kafka.Topics;
import io.klingrelay.coordination.logging.RequestLogContext;
import io.klingrelay.coordination.outcome.ClaimCondition;
import io.klingrelay.coordination.outcome.OutcomePublisher;
import io.klingrelay.coordination.trace.RequestTraces;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Consumes {@code klingrelay.tasks.completed} in group {@value #CONSUMER_GROUP} and never waits
 * for a download: a task with assets is parked in the {@link ArchiveQueue} (with its trace) in one
 * Redis step, where the workers take it earliest URL expiry first (and skip it when its request
 * has ended meanwhile, e.g. a replayed record); a {@code failed} task, or one without assets, ends
 * its request at once unless it has ended before. The container commits the offsets of a poll's records after they were
 * all handled (ack mode {@code BATCH}), i.e. only once Redis acknowledged each park or Kafka each
 * outcome, so a crash loses no completion: the records are consumed again and a second park of the
 * same request is a no-op.
 */
public final class TaskCompletedListener {

    /** The consumer group. */
    public static final String CONSUMER_GROUP = "klingrelay-archiver";

    private static final Logger log = LoggerFactory.getLogger(TaskCompletedListener.class);

    private final ArchiveQueue queue;
    private final ArchiveService archiveService;
    private final OutcomePublisher publisher;
    private final RequestTraces traces;
    private final Runnable onParked;

    /**
     * @param queue          where tasks with assets wait for a worker
     * @param archiveService decides the outcome of a task without anything to archive
     * @param publisher      publishes it
     * @param traces         reads the record's span, stored with the parked task
     * @param onParked       wakes the workers
     */
    public TaskCompletedListener(ArchiveQueue queue, ArchiveService archiveService, OutcomePublisher publisher,
            RequestTraces traces, Runnable onParked) {
        this.queue = queue;
        this.archiveService = archiveService;
        this.publisher = publisher;
        this.traces = traces;
        this.onParked = onParked;
    }

    /** @param task a completed task (a record that does not deserialize goes to the DLT instead) */
    @KafkaListener(id = CONSUMER_GROUP, groupId = CONSUMER_GROUP, topics = Topics.TASKS_COMPLETED)
    public void onTaskCompleted(TaskCompleted task) {
        try (RequestLogContext ignored = RequestLogContext.open(task.requestId(), task.accountId(), task.taskId())) {
            accept(task);
        }
    }

    private void accept(TaskCompleted task) {
        if (hasNothingToArchive(task)) {
            if (!publisher.endedBefore(task.accountId(), task.requestId())) {
                publisher.end(archiveService.outcomeOf(task), ClaimCondition.none());
            }
            return;
        }
        // one Redis round trip per record: whether the request ended already is checked when the task is taken
        if (queue.park(task, traces.currentTraceparent())) {
            log.debug("request {} task_id {} queued for archiving", task.requestId(), task.taskId());
            onParked.run();
        } else {
            log.info("request {} task_id {} is queued for archiving already", task.requestId(), task.taskId());
        }
    }

    private static boolean hasNothingToArchive(TaskCompleted task) {
        return task.taskStatus() == TaskStatus.FAILED || task.assets().isEmpty();
    }
}
