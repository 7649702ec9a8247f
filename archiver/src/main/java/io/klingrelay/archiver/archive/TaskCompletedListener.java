package io.klingrelay.archiver.archive;

import io.klingrelay.common.event.KlingRelayEvent;
import io.klingrelay.common.event.TaskCompleted;
import io.klingrelay.common.kafka.Topics;
import io.klingrelay.coordination.logging.RequestLogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Consumes {@code klingrelay.tasks.completed} in group {@value #CONSUMER_GROUP} and publishes
 * each task's outcome. The outcome send is awaited before this method returns, and the
 * container commits the offset after each record (ack mode {@code RECORD}), so an offset is
 * committed only once the outcome is acknowledged by Kafka. Records are keyed by request id, so
 * one request's records stay ordered on one partition while several partitions run at once.
 */
public final class TaskCompletedListener {

    /** The consumer group. */
    public static final String CONSUMER_GROUP = "klingrelay-archiver";

    private static final Logger log = LoggerFactory.getLogger(TaskCompletedListener.class);

    private final ArchiveService archiveService;
    private final OutcomePublisher publisher;

    /**
     * @param archiveService decides the outcome
     * @param publisher      publishes it
     */
    public TaskCompletedListener(ArchiveService archiveService, OutcomePublisher publisher) {
        this.archiveService = archiveService;
        this.publisher = publisher;
    }

    /** @param task a completed task (a record that does not deserialize goes to the DLT instead) */
    @KafkaListener(id = CONSUMER_GROUP, groupId = CONSUMER_GROUP, topics = Topics.TASKS_COMPLETED)
    public void onTaskCompleted(TaskCompleted task) {
        try (RequestLogContext ignored = RequestLogContext.open(task.requestId(), task.accountId(), task.taskId())) {
            archive(task);
        }
    }

    private void archive(TaskCompleted task) {
        log.debug("request {} task_id {} completed with {}", task.requestId(), task.taskId(),
                task.taskStatus().wireName());
        if (publisher.endedBefore(task.accountId(), task.requestId())) {
            log.info("request {} task_id {} already has its outcome; the redelivered completion is not archived again",
                    task.requestId(), task.taskId());
            return;
        }
        KlingRelayEvent outcome = archiveService.outcomeOf(task);
        publisher.publish(outcome);
    }
}
