package io.klingrelay.archiver.queue;

import io.klingrelay.archiver.archive.ArchiveService;
import io.klingrelay.archiver.archive.AssetDownloadDeferredException;
import io.klingrelay.archiver.archive.AssetUrlExpiry;
import io.klingrelay.archiver.archive.ObjectStoreUnavailableException;
import io.klingrelay.common.event.KlingRelayEvent;
import io.klingrelay.common.event.TaskCompleted;
import io.klingrelay.common.kafka.Topics;
import io.klingrelay.coordination.logging.RequestLogContext;
import io.klingrelay.coordination.outcome.ClaimCondition;
import io.klingrelay.coordination.outcome.OutcomePublisher;
import io.klingrelay.coordination.publish.Acks;
import io.klingrelay.coordination.publish.PublishException;
import io.klingrelay.coordination.trace.RequestTraces;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Archives one task taken from the {@link ArchiveQueue} and decides what becomes of it:
 * <ul>
 *   <li>its outcome ({@code assets.archived} or {@code requests.failed}) is claimed and published
 *       through {@link OutcomePublisher}, then the task leaves the queue; a request that already
 *       has its outcome is not archived again;</li>
 *   <li>a download that kept failing while its URL is valid ({@link AssetDownloadDeferredException})
 *       is retried later on the {@link RetrySchedule}, bounded by the URL's expiry;</li>
 *   <li>an object-store outage ({@link ObjectStoreUnavailableException}) fails nothing: the task goes
 *       back to the ready set at once and the workers pause ({@link OutagePause}); after
 *       {@code store-outage.give-up-after} since its first failure the request ends with
 *       {@code requests.failed} and the task is dead-lettered to {@code klingrelay.tasks.completed.dlt};</li>
 *   <li>anything else (Kafka not acknowledging the outcome, Redis failing) retries the task after
 *       {@code store-outage.max-delay}; if even that fails, its lease expires and it is taken again.</li>
 * </ul>
 */
final class QueuedTaskHandler {

    private static final Logger log = LoggerFactory.getLogger(QueuedTaskHandler.class);
    private static final Duration DEAD_LETTER_TIMEOUT = Duration.ofSeconds(30);

    private final ArchiveQueue queue;
    private final ArchiveService archiveService;
    private final OutcomePublisher publisher;
    private final KafkaTemplate<String, Object> template;
    private final RequestTraces traces;
    private final RetrySchedule schedule;
    private final OutagePause pause;
    private final Duration giveUpAfter;
    private final Duration retryAfterError;
    private final Clock clock;

    QueuedTaskHandler(ArchiveQueue queue, ArchiveService archiveService, OutcomePublisher publisher,
            KafkaTemplate<String, Object> template, RequestTraces traces, RetrySchedule schedule, OutagePause pause,
            Duration giveUpAfter, Duration retryAfterError, Clock clock) {
        this.queue = queue;
        this.archiveService = archiveService;
        this.publisher = publisher;
        this.template = template;
        this.traces = traces;
        this.schedule = schedule;
        this.pause = pause;
        this.giveUpAfter = giveUpAfter;
        this.retryAfterError = retryAfterError;
        this.clock = clock;
    }

    /** @param queued a task taken from the queue, under this archiver's lease */
    void handle(QueuedTask queued) {
        TaskCompleted task = queued.task();
        try (RequestLogContext ignored = RequestLogContext.open(task.requestId(), task.accountId(), task.taskId())) {
            traces.continueTrace("klingrelay.archive", task.requestId(), queued.traceparent(), () -> archive(queued));
        }
    }

    private void archive(QueuedTask queued) {
        TaskCompleted task = queued.task();
        try {
            if (publisher.endedBefore(task.accountId(), task.requestId())) {
                queue.done(task.requestId());
                return;
            }
            KlingRelayEvent outcome = archiveService.outcomeOf(task, queued.retaken() || pause.probing());
            pause.recovered();
            publisher.end(outcome, ClaimCondition.none());
            queue.done(task.requestId());
        } catch (ObjectStoreUnavailableException e) {
            storeDown(queued, e);
        } catch (AssetDownloadDeferredException e) {
            Instant due = schedule.next(queued.deferrals(), clock.instant(), AssetUrlExpiry.ofTask(task));
            log.info("request {} task_id {}: download retried at {}", task.requestId(), task.taskId(), due);
            queue.defer(task.requestId(), due);
        } catch (RuntimeException e) {
            log.warn("request {} task_id {}: retried in {}: {}", task.requestId(), task.taskId(), retryAfterError,
                    e.toString());
            queue.defer(task.requestId(), clock.instant().plus(retryAfterError));
        }
    }

    private void storeDown(QueuedTask queued, ObjectStoreUnavailableException e) {
        Duration paused = pause.failed();
        Instant now = clock.instant();
        Instant first = queued.firstDeferred() == null ? now : queued.firstDeferred();
        if (now.isBefore(first.plus(giveUpAfter))) {
            log.warn("request {}: object store unavailable, archiving paused for {}: {}", queued.requestId(), paused,
                    e.getMessage());
            queue.defer(queued.requestId(), now);
            return;
        }
        TaskCompleted task = queued.task();
        publisher.end(archiveService.gaveUp(task, GiveUp.reason(queued.deferrals() + 1, e, giveUpAfter)),
                ClaimCondition.none());
        deadLetter(task);
        queue.done(task.requestId());
    }

    private void deadLetter(TaskCompleted task) {
        String topic = Topics.dlt(Topics.TASKS_COMPLETED);
        try {
            Acks.sendAndAwait(() -> template.send(topic, task.requestId(), task), DEAD_LETTER_TIMEOUT,
                    "a dead letter on " + topic);
        } catch (PublishException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("interrupted while dead-lettering", e);
            }
            // the request has its outcome already; the dead letter is for operators only
            log.error("request {}: cannot dead-letter the task: {}", task.requestId(), e.toString());
        }
    }
}
