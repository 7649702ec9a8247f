package io.klingrelay.coordination.task;

import io.klingrelay.common.event.KlingRelayEvent;
import io.klingrelay.common.event.StatusSource;
import io.klingrelay.common.event.TaskStatus;
import io.klingrelay.coordination.publish.EventPublisher;
import io.klingrelay.coordination.publish.PublishException;
import io.klingrelay.klingclient.api.KlingTask;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * Publishes what an observer (webhook receiver or poller) won with {@link TaskLedger#propose}
 * and settles the claim, the same way for both: the events go to Kafka first; only once Kafka
 * acknowledged them is the claim settled ({@link TaskLedger#statusPublished} for a running
 * status, {@link TaskLedger#markPublished} — which also releases the permits — for a terminal
 * one). When Kafka does not acknowledge, the claim is released at once
 * ({@link TaskLedger#releaseClaim}) so the next observation publishes it, and the
 * {@link PublishException} is rethrown for the caller to answer (503, or a rescheduled poll).
 */
public final class TaskStatusPublisher {

    private static final Logger log = LoggerFactory.getLogger(TaskStatusPublisher.class);

    private final EventPublisher publisher;
    private final TaskLedger ledger;

    /**
     * @param publisher the acknowledged Kafka publisher
     * @param ledger    the task ledger holding the claims
     */
    public TaskStatusPublisher(EventPublisher publisher, TaskLedger ledger) {
        this.publisher = publisher;
        this.ledger = ledger;
    }

    /**
     * After {@link Proposal#UPDATED}: publishes the status event, then clears the claim.
     *
     * @param accountId  the account
     * @param requestId  the request id
     * @param task       the observed task
     * @param status     its non-terminal status
     * @param source     who observed it
     * @param observedAt when
     * @throws PublishException when Kafka did not acknowledge (the claim is released first)
     */
    public void publishStatus(String accountId, String requestId, KlingTask task, TaskStatus status,
            StatusSource source, Instant observedAt) {
        publishOrReleaseClaim(accountId, requestId, status,
                List.of(TaskEvents.statusChanged(accountId, requestId, task, status, source, observedAt)));
        ledger.statusPublished(accountId, requestId, status);
    }

    /**
     * After {@link Proposal#WON}: publishes the terminal status event and {@code tasks.completed},
     * then marks them published, which releases the task's permits.
     *
     * @param accountId  the account
     * @param requestId  the request id
     * @param task       the observed task
     * @param status     its terminal status
     * @param record     the ledger's record (campaign, product), or null when it is gone
     * @param source     who observed it
     * @param observedAt when
     * @throws PublishException when Kafka did not acknowledge (the claim is released first)
     */
    public void publishTerminal(String accountId, String requestId, KlingTask task, TaskStatus status,
            @Nullable TaskRecord record, StatusSource source, Instant observedAt) {
        publishOrReleaseClaim(accountId, requestId, status, List.of(
                TaskEvents.statusChanged(accountId, requestId, task, status, source, observedAt),
                TaskEvents.completed(accountId, requestId, task, status, record, source, observedAt)));
        ledger.markPublished(accountId, requestId);
    }

    private void publishOrReleaseClaim(String accountId, String requestId, TaskStatus status,
            List<? extends KlingRelayEvent> events) {
        try {
            publisher.publish(events);
        } catch (PublishException e) {
            try {
                ledger.releaseClaim(accountId, requestId, status);
            } catch (DataAccessException redisDown) {
                log.warn("Could not release the claim on {} of request {}; it goes stale instead: {}",
                        status.wireName(), requestId, redisDown.getClass().getSimpleName());
            }
            throw e;
        }
    }
}
