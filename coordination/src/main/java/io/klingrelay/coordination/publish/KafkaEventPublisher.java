package io.klingrelay.coordination.publish;

import io.klingrelay.common.event.KlingRelayEvent;
import io.klingrelay.common.kafka.Headers;
import io.klingrelay.common.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

/**
 * Sends each event to its topic ({@link Topics#of}), keyed by request id, with the {@link Headers#EVENT_TYPE} header,
 * and waits for every acknowledgement ({@link Acks}; the producer runs with {@code acks=all} and idempotence).
 */
public final class KafkaEventPublisher implements EventPublisher {

    private final KafkaTemplate<String, Object> template;
    private final Duration timeout;

    /**
     * @param template the template (JSON values, string keys)
     * @param timeout  how long to wait for all acknowledgements together
     */
    public KafkaEventPublisher(KafkaTemplate<String, Object> template, Duration timeout) {
        this.template = template;
        this.timeout = timeout;
    }

    @Override
    public void warmUp(String... topics) {
        for (String topic : topics) {
            try {
                template.partitionsFor(topic);
            } catch (RuntimeException e) {
                // not fatal: the first publish fetches the metadata instead
            }
        }
    }

    @Override
    public void publish(List<? extends KlingRelayEvent> events) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<CompletableFuture<SendResult<String, Object>>> sends = events.stream().map(this::send).toList();
        for (int i = 0; i < sends.size(); i++) {
            Acks.await(sends.get(i), deadline, timeout, events.get(i).getClass().getSimpleName());
        }
    }

    private CompletableFuture<SendResult<String, Object>> send(KlingRelayEvent event) {
        ProducerRecord<String, Object> record = new ProducerRecord<>(Topics.of(event), event.requestId(), event);
        record.headers().add(Headers.EVENT_TYPE, event.getClass().getSimpleName().getBytes(StandardCharsets.UTF_8));
        // send() itself fails when metadata cannot be fetched within max.block.ms
        return Acks.send(() -> template.send(record),
                event.getClass().getSimpleName() + " for request " + event.requestId());
    }
}
