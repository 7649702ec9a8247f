package io.klingrelay.coordination.publish;

import io.klingrelay.common.event.KlingRelayEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test fixture: an in-memory {@link EventPublisher} that records what was acknowledged, or refuses
 * everything when told to. Shared with the services' tests through this module's test-jar.
 */
public final class RecordingPublisher implements EventPublisher {

    private final List<KlingRelayEvent> published = new CopyOnWriteArrayList<>();
    private volatile boolean kafkaDown;

    @Override
    public void publish(List<? extends KlingRelayEvent> events) {
        if (kafkaDown) {
            throw new PublishException("Kafka did not acknowledge within PT0.1S", null);
        }
        published.addAll(events);
    }

    /** @return the events acknowledged so far, in order */
    public List<KlingRelayEvent> published() {
        return List.copyOf(published);
    }

    /** From now on every publish fails as if Kafka did not acknowledge. */
    public void failEverySend() {
        kafkaDown = true;
    }
}
