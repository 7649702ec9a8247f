package io.klingrelay.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.campaign.input.CampaignFiles;
import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.kafka.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * {@code campaign status}, {@code results} and {@code retry} against a status service answering the
 * contract's JSON ({@link CannedStatusService}) and, for retry, a real (embedded KRaft) broker.
 */
class CampaignStatusIT {

    private static EmbeddedKafkaKraftBroker broker;
    private static CannedStatusService status;

    @TempDir
    Path dir;

    private final StringWriter output = new StringWriter();

    @BeforeAll
    static void start() throws Exception {
        broker = new EmbeddedKafkaKraftBroker(1, 1, Topics.REQUESTS);
        broker.afterPropertiesSet();
        status = new CannedStatusService();
    }

    @AfterAll
    static void stop() {
        status.close();
        broker.destroy();
    }

    private int campaign(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--status-url", status.url(), "--bootstrap-servers", broker.getBrokersAsString(),
                "--endpoints", CampaignFiles.write(dir, "endpoints.json", List.of("{}")).toString()));
        PrintWriter writer = new PrintWriter(output, true);
        return CampaignCli.commandLine().setOut(writer).setErr(writer).execute(all.toArray(String[]::new));
    }

    @Test
    void statusShowsCountsPerStateAndAccountUnitsTheOldestWaitingRequestAndFailuresByReason() {
        int exit = campaign("status", CannedStatusService.CAMPAIGN);

        assertThat(exit).as(output.toString()).isEqualTo(1);
        assertThat(output.toString()).contains("campaign canned: 4 requests")
                .contains("by state:   queued 1, archived 1, failed 2")
                .contains("brand-aurora             queued 1, archived 1, failed 2")
                .contains("units used: 3.5")
                .contains("oldest waiting: a-3.r1 (brand-aurora) since 2026-11-30T07:00:00Z")
                .contains("    2  generation  1301: risk control")
                .contains("campaign canned: 1 archived, 2 failed, 1 pending");
    }

    @Test
    void resultsWriteAManifestRowPerRequestWithRefreshedPresignedUrls() throws Exception {
        Path jsonl = dir.resolve("manifest.jsonl");
        Path csv = dir.resolve("manifest.csv");

        assertThat(campaign("results", CannedStatusService.CAMPAIGN, "--out", jsonl.toString())).isZero();
        assertThat(campaign("results", CannedStatusService.CAMPAIGN, "--format", "csv", "--out", csv.toString())).isZero();

        List<String> rows = Files.readAllLines(jsonl);
        assertThat(rows).hasSize(4);
        assertThat(rows.getFirst()).contains("\"requestId\":\"a-1\"", "\"state\":\"archived\"", "\"taskId\":\"t-1\"",
                "\"objectKey\":\"brand-aurora/a-1/0.mp4\"", "\"size\":1234", "\"sha256\":\"ab12\"",
                "\"presignedUrl\":\"https://s3/fresh?X-Amz-Signature=1\"", "\"units\":\"1.5\"");
        assertThat(rows.get(1)).contains("\"failureStage\":\"generation\"", "\"failureReason\":\"1301: risk control\"");
        assertThat(status.served()).contains("/requests/brand-aurora/a-1?presign=true");
        List<String> csvLines = Files.readAllLines(csv);
        assertThat(csvLines.getFirst()).isEqualTo("requestId,accountId,state,taskId,units,retryOf,failureStage,failureReason,"
                + "objectKeys,sizes,sha256,presignedUrls,presignedUrlsExpireAt");
        assertThat(csvLines.get(1)).startsWith("a-1,brand-aurora,archived,t-1,1.5,,,,brand-aurora/a-1/0.mp4,1234,ab12,https://s3/fresh");
        assertThat(csvLines).hasSize(5);
    }

    @Test
    void retryPublishesADerivedRequestWithRetryOfForEachFailureWithoutALaterAttempt() {
        Path file = CampaignFiles.write(dir, "canned.jsonl", List.of(
                CampaignFiles.line("a-1").replace("\"camp\"", "\"canned\""),
                CampaignFiles.line("a-2").replace("\"camp\"", "\"canned\""),
                CampaignFiles.line("a-3").replace("\"camp\"", "\"canned\"")));
        TopicStatusStub topic = topic();

        int exit = campaign("retry", CannedStatusService.CAMPAIGN, "--stage", "generation", "--from", file.toString(), "--yes");

        assertThat(exit).as(output.toString()).isZero();
        assertThat(output.toString()).contains("a-2 (generation: 1301: risk control) -> a-2.r1")
                .doesNotContain("-> a-3.r1").contains("published 1 retry");
        List<GenerationRequest> published = topic.records();
        assertThat(published).singleElement().satisfies(request -> {
            assertThat(request.requestId()).isEqualTo("a-2.r1");
            assertThat(request.retryOf()).isEqualTo("a-2");
            assertThat(request.campaignId()).isEqualTo("canned");
            assertThat(request.input()).containsEntry("prompt", "a paper boat");
        });
        topic.close();
    }

    @Test
    void retryFollowWaitsForTheRetriesTheStatusServiceHasNotReadYetInsteadOfEndingAtOnce() {
        Path file = CampaignFiles.write(dir, "settled.jsonl", List.of(
                CampaignFiles.line("a-1").replace("\"camp\"", "\"settled\""),
                CampaignFiles.line("a-2").replace("\"camp\"", "\"settled\"")));
        TopicStatusStub topic = topic();

        // the campaign's two requests have ended and the canned service never shows the retry
        int exit = campaign("retry", CannedStatusService.SETTLED, "--stage", "generation", "--from", file.toString(),
                "--yes", "--follow", "--timeout", "3s");

        assertThat(topic.records()).filteredOn(request -> CannedStatusService.SETTLED.equals(request.campaignId()))
                .singleElement().satisfies(request -> assertThat(request.retryOf()).isEqualTo("a-2"));
        assertThat(exit).as(output.toString()).isEqualTo(1);
        assertThat(output.toString()).contains("campaign settled: 1 archived, 1 failed, 1 pending");
        topic.close();
    }

    private static TopicStatusStub topic() {
        try {
            return new TopicStatusStub(broker.getBrokersAsString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
