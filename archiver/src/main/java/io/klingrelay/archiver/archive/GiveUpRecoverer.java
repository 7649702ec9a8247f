package io.klingrelay.archiver.archive;

import io.klingrelay.common.error.KlingRelayException;
import io.klingrelay.common.event.TaskCompleted;
import io.klingrelay.coordination.logging.RequestLogContext;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * What happens to a {@code klingrelay.tasks.completed} record the listener container stopped
 * redelivering: a task that deserialized ends its request with {@code requests.failed} (stage
 * {@code archive}; a {@code failed} task keeps its generation failure), published through
 * {@link OutcomePublisher} like every other outcome, and then the record is dead-lettered to
 * {@code klingrelay.tasks.completed.dlt} (from where it can be replayed: already archived assets
 * are skipped). A record that did not deserialize has no request to end and is only
 * dead-lettered.
 *
 * <p>The outcome is published first: if Kafka does not acknowledge it, this throws, the record is
 * not dead-lettered nor committed, and the container starts redelivering it again.
 *
 * <p>The reason names how many deliveries were made (the container's
 * {@link KafkaHeaders#DELIVERY_ATTEMPT} header, so the container must add it), the setting that
 * bounded them, and the last error's message (never a signed URL or credential, see
 * {@link KlingRelayException}).
 */
public final class GiveUpRecoverer implements ConsumerRecordRecoverer {

    private final ArchiveService archiveService;
    private final OutcomePublisher publisher;
    private final ConsumerRecordRecoverer deadLetters;
    private final Duration giveUpAfter;

    /**
     * @param archiveService builds the outcome
     * @param publisher      publishes it
     * @param deadLetters    dead-letters the record afterwards
     * @param giveUpAfter    {@code klingrelay.archiver.store-outage.give-up-after}, for the reason
     */
    public GiveUpRecoverer(ArchiveService archiveService, OutcomePublisher publisher,
            ConsumerRecordRecoverer deadLetters, Duration giveUpAfter) {
        this.archiveService = archiveService;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
        this.giveUpAfter = giveUpAfter;
    }

    /**
     * @param record    the record given up on
     * @param exception the last delivery's error
     * @throws io.klingrelay.common.error.TransientException when Kafka does not acknowledge the outcome
     */
    @Override
    public void accept(ConsumerRecord<?, ?> record, @Nullable Exception exception) {
        if (record.value() instanceof TaskCompleted task) {
            try (RequestLogContext ignored = RequestLogContext.open(task.requestId(), task.accountId(), task.taskId())) {
                publisher.publish(archiveService.gaveUp(task, reason(record, exception, giveUpAfter)));
            }
        }
        deadLetters.accept(record, exception);
    }

    /**
     * @param record      the record given up on
     * @param exception   the last delivery's error
     * @param giveUpAfter {@code klingrelay.archiver.store-outage.give-up-after}
     * @return e.g. {@code archiving gave up after 37 deliveries (klingrelay.archiver.store-outage.give-up-after
     *         PT24H): object storage: cannot stat an object in bucket b: ConnectException; gave up after 5 attempts}
     */
    static String reason(ConsumerRecord<?, ?> record, @Nullable Exception exception, Duration giveUpAfter) {
        Integer deliveries = deliveries(record);
        StringBuilder reason = new StringBuilder("archiving gave up after ");
        reason.append(deliveries == null ? "several" : deliveries).append(" deliveries");
        if (find(exception, RedeliverLaterException.class) != null) {
            reason.append(" (klingrelay.archiver.store-outage.give-up-after ").append(giveUpAfter).append(')');
        }
        return reason.append(": ").append(why(exception)).toString();
    }

    private static @Nullable Integer deliveries(ConsumerRecord<?, ?> record) {
        Header header = record.headers().lastHeader(KafkaHeaders.DELIVERY_ATTEMPT);
        return header == null || header.value().length != Integer.BYTES ? null
                : ByteBuffer.wrap(header.value()).getInt();
    }

    private static String why(@Nullable Throwable exception) {
        KlingRelayException known = find(exception, KlingRelayException.class);
        if (known != null) {
            return known.getMessage();
        }
        Throwable root = exception;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == null ? "unknown error" : "unexpected " + root.getClass().getSimpleName();
    }

    private static <T extends Throwable> @Nullable T find(@Nullable Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
