package io.klingrelay.poller.polling;

import io.klingrelay.common.event.KlingRelayEvent;
import io.klingrelay.coordination.publish.EventPublisher;
import io.klingrelay.coordination.publish.PublishException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** In-memory {@link EventPublisher}: records what was acknowledged, or refuses everything when told to. */
final class RecordingPublisher implements EventPublisher {

    private final List<KlingRelayEvent> published = new CopyOnWriteArrayList<>();
    private volatile boolean kafkaDown;

    @Override
    public void publish(List<? extends KlingRelayEvent> events) {
        if (kafkaDown) {
            throw new PublishException("Kafka did not acknowledge within PT0.1S", null);
        }
        published.addAll(events);
    }

    List<KlingRelayEvent> published() {
        return List.copyOf(published);
    }

    void failEverySend() {
        kafkaDown = true;
    }
}
