package io.klingrelay.examples.archivedconsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Reads {@code klingrelay.assets.archived} (key: request id) and hands each event to the catalogue
 * once. The consumer group, offsets and JSON deserialization are Spring Boot settings
 * ({@code application.yml}).
 */
@Component
public class AssetsArchivedListener {

    /** The topic, as in docs/asyncapi.yaml. */
    public static final String TOPIC = "klingrelay.assets.archived";

    private static final Logger log = LoggerFactory.getLogger(AssetsArchivedListener.class);

    private final ProcessedEvents processed;
    private final AssetCatalogue catalogue;

    public AssetsArchivedListener(ProcessedEvents processed, AssetCatalogue catalogue) {
        this.processed = processed;
        this.catalogue = catalogue;
    }

    /**
     * Records with the same key (a request id) arrive on one partition, in order, on one thread,
     * so checking and then recording the {@code eventId} needs no lock. The id is recorded after
     * the side effect: a crash in between repeats the side effect on redelivery, never loses it.
     *
     * @param event the event
     */
    @KafkaListener(topics = TOPIC)
    public void onAssetsArchived(AssetsArchived event) {
        if (processed.contains(event.eventId())) {
            log.debug("event {} of request {} already handled, skipped", event.eventId(), event.requestId());
            return;
        }
        catalogue.add(event);
        processed.add(event.eventId());
    }
}
