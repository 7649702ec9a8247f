package io.klingrelay.campaign.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.klingrelay.campaign.estimate.UnitsTable;
import io.klingrelay.campaign.input.CampaignFiles;
import io.klingrelay.campaign.input.CampaignFormat;
import io.klingrelay.campaign.input.CheckReport;
import io.klingrelay.campaign.input.FileCheck;
import io.klingrelay.common.kafka.Headers;
import io.klingrelay.common.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CampaignPublisherTest {

    @TempDir
    Path dir;

    /** A producer that takes {@code limit} records and then fails every send, as Kafka going away. */
    private static final class FailingAfter extends MockProducer<String, String> {
        private final int limit;

        FailingAfter(int limit) {
            super(true, null, new StringSerializer(), new StringSerializer());
            this.limit = limit;
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, String> record, Callback callback) {
            if (history().size() >= limit) {
                throw new TimeoutException("Kafka went away");
            }
            return super.send(record, callback);
        }
    }

    private Path file(int lines) {
        return CampaignFiles.write(dir, "c.jsonl", IntStream.rangeClosed(1, lines)
                .mapToObj(i -> i == 3 ? "not json" : CampaignFiles.line("r-" + i)).toList());
    }

    private static CheckReport check(Path file) {
        return new FileCheck(CampaignFiles.DEMO_ACCOUNTS, UnitsTable.bundled(), null).check(file, CampaignFormat.JSONL);
    }

    private static CampaignPublisher.Outcome publish(MockProducer<String, String> producer, Path file, Set<String> known) {
        CheckReport report = check(file);
        Path journalFile = PublishJournal.beside(file);
        PublishJournal journal = PublishJournal.read(journalFile).orElse(PublishJournal.start(report.sha256(), "camp"));
        return new CampaignPublisher(producer).publish(file, CampaignFormat.JSONL, report, journalFile, journal,
                request -> known.contains(request.requestId()), true, progress -> { });
    }

    private static List<String> ids(MockProducer<String, String> producer) {
        return producer.history().stream().map(record -> record.value().replaceAll(".*\"requestId\":\"([^\"]+)\".*", "$1")).toList();
    }

    @Test
    void publishesTheValidLinesKeyedByAccountWithTheEventTypeHeader() {
        MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());

        CampaignPublisher.Outcome outcome = publish(producer, file(5), Set.of());

        assertThat(outcome.published()).isEqualTo(4);
        assertThat(outcome.invalid()).isEqualTo(1);
        assertThat(ids(producer)).containsExactly("r-1", "r-2", "r-4", "r-5");
        ProducerRecord<String, String> first = producer.history().getFirst();
        assertThat(first.topic()).isEqualTo(Topics.REQUESTS);
        assertThat(first.key()).isEqualTo("brand-aurora");
        assertThat(new String(first.headers().lastHeader(Headers.EVENT_TYPE).value(), StandardCharsets.UTF_8)).isEqualTo("GenerationRequest");
        assertThat(outcome.journal().complete()).isTrue();
    }

    @Test
    void publishingTheSameFileAgainPublishesNothing() {
        Path file = file(5);
        publish(new MockProducer<>(true, null, new StringSerializer(), new StringSerializer()), file, Set.of());
        MockProducer<String, String> second = new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());

        CampaignPublisher.Outcome outcome = publish(second, file, Set.of());

        assertThat(second.history()).isEmpty();
        assertThat(outcome.alreadyDone()).isEqualTo(4);
    }

    @Test
    void skipsRequestIdsTheStatusServiceAlreadyKnows() {
        MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());

        CampaignPublisher.Outcome outcome = publish(producer, file(5), Set.of("r-2", "r-5"));

        assertThat(ids(producer)).containsExactly("r-1", "r-4");
        assertThat(outcome.alreadyKnown()).isEqualTo(2);
    }

    @Test
    void resumesAfterAnInterruptedPublishWithoutPublishingAnAcknowledgedLineTwice() {
        Path file = file(1_200);
        FailingAfter failing = new FailingAfter(700);

        assertThatThrownBy(() -> publish(failing, file, Set.of())).isInstanceOf(PublishException.class)
                .hasMessageContaining("line 702").hasMessageContaining("500 requests are published, through line 501");
        PublishJournal journal = PublishJournal.read(PublishJournal.beside(file)).orElseThrow();
        assertThat(journal.publishedThrough()).isEqualTo(501);
        assertThat(journal.sendingThrough()).isEqualTo(1_001);
        // WHEN the command runs again; the status service knows what reached Kafka in the uncertain batch
        MockProducer<String, String> second = new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
        CampaignPublisher.Outcome outcome = publish(second, file, new HashSet<>(ids(failing)));

        // THEN every valid line is published exactly once over both runs
        List<String> all = new java.util.ArrayList<>(ids(failing));
        all.addAll(ids(second));
        assertThat(all).hasSize(1_199).doesNotHaveDuplicates();
        assertThat(ids(second)).first().isEqualTo("r-702");
        assertThat(outcome.alreadyDone()).isEqualTo(500);
        assertThat(outcome.alreadyKnown()).isEqualTo(200);
        assertThat(outcome.journal().complete()).isTrue();
        assertThat(outcome.journal().published()).isEqualTo(500 + 499);
    }

    @Test
    void theProducerIsIdempotentWithAcksAllWhateverThePropertiesFileSays() {
        Properties properties = new Properties();
        properties.put("security.protocol", "SASL_SSL");
        properties.put(ProducerConfig.ACKS_CONFIG, "1");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");

        Map<String, Object> config = CampaignPublisher.producerConfig("kafka:9093", properties);

        assertThat(config).containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all").containsEntry("security.protocol", "SASL_SSL")
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka:9093");
    }
}
