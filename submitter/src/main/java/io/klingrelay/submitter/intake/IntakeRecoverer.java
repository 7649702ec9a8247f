package io.klingrelay.submitter.intake;

import io.klingrelay.submitter.publish.SourceRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;

/**
 * What the intake listener's error handler does with a record it stops retrying (a permanent
 * error, or the back-off ran out): {@link RequestIntake#abandon}, i.e. one failure event and a
 * dead-letter record, so that the record's offset can be committed and the records behind it, of
 * every account, go on. Throws only when Kafka is unreachable; the record is then retried.
 */
public final class IntakeRecoverer implements ConsumerRecordRecoverer {

    private final RequestIntake intake;

    /** @param intake the intake */
    public IntakeRecoverer(RequestIntake intake) {
        this.intake = intake;
    }

    @Override
    public void accept(ConsumerRecord<?, ?> record, @Nullable Exception error) {
        SourceRecord source = new SourceRecord(record.topic(), record.partition(), record.offset());
        intake.abandon(source, record.key() instanceof String key ? key : null,
                record.value() instanceof byte[] value ? value : null, error);
    }
}
