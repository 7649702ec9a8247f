package io.klingrelay.examples.archivedconsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.klingrelay.common.event.ArchivedAsset;
import io.klingrelay.common.event.AssetKind;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.json.EventJson;
import io.klingrelay.common.kafka.Headers;
import io.klingrelay.common.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The example against a real (embedded KRaft) broker, fed with records exactly as the archiver
 * writes them ({@code common}'s record and mapper, the {@code klingrelay_event_type} header). One
 * partition, so the three records are read in the order they were sent.
 */
@SpringBootTest(properties = {
        "spring.kafka.producer.key-serializer=org.apache.kafka.common.serialization.StringSerializer",
        "spring.kafka.producer.value-serializer=org.apache.kafka.common.serialization.StringSerializer",
        "logging.level.org.apache.kafka=warn", "logging.level.kafka=warn"})
@EmbeddedKafka(partitions = 1, topics = Topics.ASSETS_ARCHIVED, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class AssetsArchivedListenerIT {

    private static final Instant AT = Instant.parse("2026-11-21T08:00:00Z");

    @Autowired
    private KafkaTemplate<String, String> template;

    @Autowired
    private AssetCatalogue catalogue;

    @Test
    void handlesARepublishedEventOnceAndTheNextEventAsUsual() throws Exception {
        // GIVEN: the same outcome published twice (same eventId), then another request's outcome
        io.klingrelay.common.event.AssetsArchived first = archived("first-" + UUID.randomUUID());
        io.klingrelay.common.event.AssetsArchived second = archived("second-" + UUID.randomUUID());

        // WHEN
        publish(first);
        publish(first);
        publish(second);

        // THEN
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(catalogue.entries())
                .extracting(AssetsArchived::requestId).contains(second.requestId()));
        assertThat(catalogue.entries()).extracting(AssetsArchived::eventId)
                .containsExactly(first.eventId(), second.eventId());
        AssetsArchived read = catalogue.entries().getFirst();
        assertThat(read.assets()).singleElement().satisfies(asset -> {
            assertThat(asset.objectKey()).isEqualTo("brand-a/" + first.requestId() + "/video-0.mp4");
            assertThat(asset.presignedUrlExpiresAt()).isEqualTo(AT.plus(Duration.ofDays(7)));
        });
    }

    private void publish(io.klingrelay.common.event.AssetsArchived event) throws Exception {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.ASSETS_ARCHIVED, event.requestId(),
                EventJson.mapper().writeValueAsString(event));
        record.headers().add(Headers.EVENT_TYPE, "AssetsArchived".getBytes(StandardCharsets.UTF_8));
        template.send(record).get();
    }

    private static io.klingrelay.common.event.AssetsArchived archived(String requestId) {
        return new io.klingrelay.common.event.AssetsArchived(1, null, requestId, "brand-a", "spring-sale",
                Product.TEXT_TO_VIDEO, "866889456698785798", List.of(new ArchivedAsset(AssetKind.VIDEO, 0, "v-1",
                "klingrelay-assets", "brand-a/" + requestId + "/video-0.mp4", 183_422, "9f2c", "video/mp4",
                "http://s3.example/klingrelay-assets/x", AT.plus(Duration.ofDays(7)))), AT);
    }
}
