package io.klingrelay.archiver.archive;

import io.klingrelay.common.error.TransientException;
import io.klingrelay.common.event.AssetsArchived;
import io.klingrelay.common.event.KlingRelayEvent;
import io.klingrelay.common.event.RequestFailed;
import io.klingrelay.common.kafka.Topics;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes a request's terminal event, keyed by request id, and waits until Kafka acknowledges
 * it, so the consumed offset is committed only afterwards.
 */
public final class OutcomePublisher {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaTemplate<String, Object> template;

    /** @param template the template (JSON values) */
    public OutcomePublisher(KafkaTemplate<String, Object> template) {
        this.template = template;
    }

    /**
     * @param outcome {@link AssetsArchived} or {@link RequestFailed}
     * @throws TransientException when Kafka does not acknowledge within 30 s or refuses
     */
    public void publish(KlingRelayEvent outcome) {
        String topic = switch (outcome) {
            case AssetsArchived archived -> Topics.ASSETS_ARCHIVED;
            case RequestFailed failed -> Topics.REQUESTS_FAILED;
            default -> throw new IllegalArgumentException("not an outcome: " + outcome.getClass().getSimpleName());
        };
        awaitAck(topic, outcome);
    }

    private void awaitAck(String topic, KlingRelayEvent outcome) {
        try {
            template.send(topic, outcome.requestId(), outcome).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException("interrupted while publishing to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new TransientException("Kafka did not acknowledge the event on " + topic, e);
        }
    }
}
