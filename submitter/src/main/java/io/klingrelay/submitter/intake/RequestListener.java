package io.klingrelay.submitter.intake;

import io.klingrelay.common.kafka.Topics;
import io.klingrelay.submitter.config.SubmitterProperties;
import io.klingrelay.submitter.metrics.SubmitterMetrics;
import io.klingrelay.submitter.publish.SourceRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * The Kafka side of intake: consumer group {@code klingrelay-submitter} on
 * {@code klingrelay.requests}, values as raw bytes (so a record that is not JSON still reaches
 * the dead-letter topic unchanged). Offsets are committed by the container after the batch's
 * records returned normally, i.e. after each park or failure was acknowledged. A record whose
 * handling throws is retried with a bounded back-off, and not at all after a permanent error;
 * then {@link IntakeRecoverer} fails and dead-letters it (see {@code IntakeConfiguration}).
 * {@code klingrelay.submitter.intake-concurrency} consumers run in the instance, each on its own
 * partitions (see {@link SubmitterProperties#intakeConcurrency()}).
 */
@Component
class RequestListener {

    private final RequestIntake intake;
    private final SubmitterMetrics metrics;

    RequestListener(RequestIntake intake, SubmitterMetrics metrics) {
        this.intake = intake;
        this.metrics = metrics;
    }

    @KafkaListener(id = "klingrelay-submitter", groupId = "klingrelay-submitter", topics = Topics.REQUESTS,
            concurrency = "${klingrelay.submitter.intake-concurrency:" + SubmitterProperties.DEFAULT_INTAKE_CONCURRENCY + "}",
            properties = {
                    "key.deserializer=org.apache.kafka.common.serialization.StringDeserializer",
                    "value.deserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer"})
    void onRequest(ConsumerRecord<String, byte[]> record) {
        SourceRecord source = new SourceRecord(record.topic(), record.partition(), record.offset());
        RequestIntake.Outcome outcome = intake.accept(source, record.key(), record.value(), record.timestamp());
        metrics.request(outcome.name().toLowerCase(java.util.Locale.ROOT));
    }
}
