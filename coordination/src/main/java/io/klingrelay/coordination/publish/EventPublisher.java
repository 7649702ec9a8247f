package io.klingrelay.coordination.publish;

import io.klingrelay.common.event.KlingRelayEvent;
import java.util.List;

/** Publishes events keyed by request id and returns only once Kafka acknowledged every one of them. */
public interface EventPublisher {

    /**
     * @param events the events, each sent to the topic of its type, keyed by its request id
     * @throws PublishException when an event was not acknowledged within the publish timeout
     */
    void publish(List<? extends KlingRelayEvent> events);

    /**
     * Prepares the publisher before the first event (creates the producer and fetches the topics'
     * metadata), so that the first terminal event after a start is as quick as the others. Failures
     * are not fatal: the first publish then pays the cost.
     *
     * @param topics the topics that will be written
     */
    default void warmUp(String... topics) {
    }
}
