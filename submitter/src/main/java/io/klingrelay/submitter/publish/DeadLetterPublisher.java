package io.klingrelay.submitter.publish;

import io.klingrelay.common.error.TransientException;
import io.klingrelay.common.event.FailureStage;
import io.klingrelay.common.kafka.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Copies a rejected record, byte for byte, to a dead-letter topic with the stage and reason as
 * headers, and waits for Kafka's acknowledgement so the caller commits its offset only afterwards.
 * (Events go through coordination's {@code EventPublisher}.)
 */
public final class DeadLetterPublisher {

    private final KafkaTemplate<String, byte[]> template;
    private final Duration ackTimeout;

    /**
     * @param template   template with a byte-array value serializer
     * @param ackTimeout how long to wait for the acknowledgement
     */
    public DeadLetterPublisher(KafkaTemplate<String, byte[]> template, Duration ackTimeout) {
        this.template = template;
        this.ackTimeout = ackTimeout;
    }

    /**
     * @param topic   the dead-letter topic
     * @param key     the record key (request id, or the source record's key)
     * @param value   the original record value, unchanged
     * @param stage   the stage that gave up
     * @param reason  why (no secrets)
     * @throws TransientException when Kafka does not acknowledge within the timeout
     */
    public void deadLetter(String topic, @Nullable String key, byte @Nullable [] value, FailureStage stage,
            String reason) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        record.headers().add(Headers.FAILURE_STAGE, stage.wireName().getBytes(StandardCharsets.UTF_8));
        record.headers().add(Headers.FAILURE_REASON, reason.getBytes(StandardCharsets.UTF_8));
        try {
            template.send(record).get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException("interrupted while publishing to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new TransientException("Kafka did not acknowledge a record on " + topic, e);
        }
    }
}
