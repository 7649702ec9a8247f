package io.klingrelay.submitter.publish;

import io.klingrelay.common.error.TransientException;
import io.klingrelay.common.event.FailureStage;
import io.klingrelay.common.event.KlingRelayEvent;
import io.klingrelay.common.kafka.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes events (JSON) and dead-letter records (the original bytes) and waits for Kafka's
 * acknowledgement, so that a caller commits its own progress (a Kafka offset, a Redis step) only
 * after the record is durable.
 */
public final class EventPublisher {

    private final KafkaTemplate<String, Object> events;
    private final KafkaTemplate<String, byte[]> deadLetters;
    private final Duration ackTimeout;

    /**
     * @param events      template with a JSON value serializer
     * @param deadLetters template with a byte-array value serializer
     * @param ackTimeout  how long to wait for an acknowledgement
     */
    public EventPublisher(KafkaTemplate<String, Object> events, KafkaTemplate<String, byte[]> deadLetters,
            Duration ackTimeout) {
        this.events = events;
        this.deadLetters = deadLetters;
        this.ackTimeout = ackTimeout;
    }

    /**
     * @param topic the topic
     * @param key   the record key
     * @param event the event
     * @throws TransientException when Kafka does not acknowledge within the timeout
     */
    public void publish(String topic, String key, KlingRelayEvent event) {
        ProducerRecord<String, Object> record = new ProducerRecord<>(topic, key, event);
        record.headers().add(Headers.EVENT_TYPE, event.getClass().getSimpleName().getBytes(StandardCharsets.UTF_8));
        await(events.send(record), topic);
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
        await(deadLetters.send(record), topic);
    }

    private void await(Future<?> send, String topic) {
        try {
            send.get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException("interrupted while publishing to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new TransientException("Kafka did not acknowledge a record on " + topic, e);
        }
    }
}
