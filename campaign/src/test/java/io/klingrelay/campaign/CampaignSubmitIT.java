package io.klingrelay.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.campaign.input.CampaignFiles;
import io.klingrelay.campaign.publish.PublishJournal;
import io.klingrelay.campaign.input.FileCheck;
import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.kafka.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * {@code campaign submit} against a real (embedded KRaft) broker and a status service stand-in that
 * reads the topic: a file submitted twice is published once, and a publish cut off after the journal's
 * write-ahead (as a kill -9 of the command would leave it) resumes without publishing anything twice.
 * Each test has its own campaign and request ids on the shared topic.
 */
class CampaignSubmitIT {

    private static EmbeddedKafkaKraftBroker broker;
    private static TopicStatusStub status;

    @TempDir
    Path dir;

    private final StringWriter output = new StringWriter();

    @BeforeAll
    static void startKafka() throws Exception {
        broker = new EmbeddedKafkaKraftBroker(1, 3, Topics.REQUESTS, Topics.TASKS_SUBMITTED, Topics.ASSETS_ARCHIVED,
                Topics.REQUESTS_FAILED);
        broker.afterPropertiesSet();
        status = new TopicStatusStub(broker.getBrokersAsString());
    }

    @AfterAll
    static void stopKafka() {
        status.close();
        broker.destroy();
    }

    private int submit(Path file, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("submit", file.toString(), "--yes",
                "--bootstrap-servers", broker.getBrokersAsString(), "--status-url", status.url(),
                "--accounts", "brand-aurora:2", "--endpoints", CampaignFiles.write(dir, "endpoints.json", List.of("{}")).toString()));
        args.addAll(List.of(extra));
        PrintWriter writer = new PrintWriter(output, true);
        return CampaignCli.commandLine().setOut(writer).setErr(writer).execute(args.toArray(String[]::new));
    }

    private static Path campaignFile(Path dir, String campaign, int lines) {
        return CampaignFiles.write(dir, campaign + ".jsonl", IntStream.rangeClosed(1, lines)
                .mapToObj(i -> i == 2 ? "{oops" : CampaignFiles.line(campaign + "-" + i).replace("\"camp\"", "\"" + campaign + "\"")).toList());
    }

    private static List<String> publishedIds(String campaign) {
        return status.records().stream().filter(request -> campaign.equals(request.campaignId()))
                .map(GenerationRequest::requestId).toList();
    }

    @Test
    void aFileSubmittedTwiceIsPublishedOnce() {
        // GIVEN
        String campaign = "twice-" + UUID.randomUUID().toString().substring(0, 8);
        Path file = campaignFile(dir, campaign, 30);

        // WHEN
        int first = submit(file, "--skip-invalid");
        int second = submit(file, "--skip-invalid");

        // THEN
        assertThat(first).as(output.toString()).isZero();
        assertThat(second).as(output.toString()).isZero();
        assertThat(output.toString()).contains("line 2: not JSON (")
                .contains("published 29 requests to klingrelay.requests (campaign " + campaign + ")")
                .contains("nothing to publish: every valid line of this file is already published");
        assertThat(publishedIds(campaign)).hasSize(29).doesNotHaveDuplicates();
    }

    @Test
    void withoutItsJournalTheSameFileIsStillNotPublishedTwiceWhenTheStatusServiceKnowsItsIds() throws Exception {
        String campaign = "nojournal-" + UUID.randomUUID().toString().substring(0, 8);
        Path file = campaignFile(dir, campaign, 12);
        assertThat(submit(file, "--skip-invalid")).as(output.toString()).isZero();
        java.nio.file.Files.delete(PublishJournal.beside(file));

        int again = submit(file, "--skip-invalid");

        assertThat(again).as(output.toString()).isZero();
        assertThat(output.toString()).contains("published 0 requests").contains("11 already known to the status service");
        assertThat(publishedIds(campaign)).hasSize(11).doesNotHaveDuplicates();
    }

    @Test
    void aPublishCutOffAfterItsWriteAheadResumesWithoutPublishingAnythingTwice() {
        // GIVEN a run that wrote "sending through line 1001", had 700 records acknowledged, and died
        String campaign = "resume-" + UUID.randomUUID().toString().substring(0, 8);
        Path file = campaignFile(dir, campaign, 1_200);
        String sha256 = FileCheck.sha256(file);
        List<String> lines = readLines(file);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.getBrokersAsString()),
                new StringSerializer(), new StringSerializer())) {
            for (int line = 1, sent = 0; sent < 700; line++) {
                if (line != 2) {
                    producer.send(new ProducerRecord<>(Topics.REQUESTS, "brand-aurora", lines.get(line - 1)));
                    sent++;
                }
            }
        }
        new PublishJournal(sha256, campaign, 501, 1_001, 500, false, java.time.Instant.now()).write(PublishJournal.beside(file));

        // WHEN the command runs again
        int exit = submit(file, "--skip-invalid");

        // THEN it resumed after line 501, skipped what reached Kafka, and every request is on the topic once
        assertThat(exit).as(output.toString()).isZero();
        assertThat(output.toString()).contains("resuming after line 501")
                .contains("published 499 requests").contains("500 already published before")
                .contains("200 already known to the status service");
        assertThat(publishedIds(campaign)).hasSize(1_199).doesNotHaveDuplicates();
        assertThat(PublishJournal.read(PublishJournal.beside(file)).orElseThrow().complete()).isTrue();
    }

    @Test
    void followsTheOutcomeTopicsWhenNoStatusServiceAnswersAndEndsWithTheSummaryLine() {
        // GIVEN outcomes already on the pipeline's topics for a campaign of three requests
        String campaign = "follow-" + UUID.randomUUID().toString().substring(0, 8);
        Path file = CampaignFiles.write(dir, campaign + ".jsonl", IntStream.rangeClosed(1, 3)
                .mapToObj(i -> CampaignFiles.line(campaign + "-" + i).replace("\"camp\"", "\"" + campaign + "\"")).toList());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.getBrokersAsString()),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 1; i <= 3; i++) {
                String outcome = "{\"campaignId\":\"" + campaign + "\",\"requestId\":\"" + campaign + "-" + i + "\"}";
                producer.send(new ProducerRecord<>(Topics.TASKS_SUBMITTED, campaign + "-" + i, outcome));
                producer.send(new ProducerRecord<>(i == 3 ? Topics.REQUESTS_FAILED : Topics.ASSETS_ARCHIVED, campaign + "-" + i, outcome));
            }
        }
        List<String> args = List.of("submit", file.toString(), "--yes", "--follow", "--timeout", "90s",
                "--bootstrap-servers", broker.getBrokersAsString(), "--accounts", "brand-aurora:2",
                "--endpoints", CampaignFiles.write(dir, "endpoints.json", List.of("{}")).toString());
        PrintWriter writer = new PrintWriter(output, true);

        // WHEN
        int exit = CampaignCli.commandLine().setOut(writer).setErr(writer).execute(args.toArray(String[]::new));

        // THEN
        assertThat(exit).as(output.toString()).isZero();
        assertThat(output.toString()).contains("following on Kafka's outcome topics (no --status-url)")
                .contains("campaign " + campaign + ": 2 archived, 1 failed, 0 pending");
    }

    private static List<String> readLines(Path file) {
        try {
            return java.nio.file.Files.readAllLines(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
