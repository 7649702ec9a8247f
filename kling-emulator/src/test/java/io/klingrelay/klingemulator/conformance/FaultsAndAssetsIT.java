package io.klingrelay.klingemulator.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.klingrelay.klingemulator.auth.Jwts;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Fault scenarios changed at run time, the large streamed MP4 and the admin timeline, over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "klingrelay.emulator.time-scale=0.01",
        "klingrelay.emulator.callbacks.backoff=50ms",
        "klingrelay.emulator.assets.video-size=20MB",
        "klingrelay.emulator.phases.text2video.distribution=uniform",
        "klingrelay.emulator.phases.text2video.spread=0.5",
        "klingrelay.emulator.accounts[0].id=chaos",
        "klingrelay.emulator.accounts[0].access-key=ak-chaos",
        "klingrelay.emulator.accounts[0].secret-key=" + FaultsAndAssetsIT.SK,
        "klingrelay.emulator.accounts[0].concurrency=50",
})
class FaultsAndAssetsIT {

    static final String SK = "sk-chaos-0123456789abcdef0123456789";
    private static final String T2V = "/v1/videos/text2video";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static CallbackReceiver receiver;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = new CallbackReceiver();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @AfterEach
    void clearFaults() throws Exception {
        send("DELETE", "/admin/faults", null);
    }

    @Test
    void aSlowCreateHoldsASuccessfulReplyWhileTheTaskAlreadyExists() throws Exception {
        // GIVEN every create is slow (no code: not an error)
        send("PUT", "/admin/faults", "{\"create\":{\"delay\":\"PT2S\"}}");
        String externalId = "slow-" + java.util.UUID.randomUUID();

        // WHEN a create is sent, and the task is looked up by external_task_id while the reply is held
        long started = System.nanoTime();
        java.util.concurrent.CompletableFuture<String> reply = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return create("{\"prompt\":\"slow\",\"external_task_id\":\"" + externalId + "\"}");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        JsonNode seen = await().atMost(Duration.ofSeconds(10)).until(() -> lookUp(externalId), found -> found != null);

        // THEN the task existed before the reply, which is a normal success after the delay
        assertThat(reply).isNotDone();
        String taskId = reply.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(seen.get("task_id").stringValue()).isEqualTo(taskId);
        HttpResponse<String> noDelay = HTTP.send(HttpRequest.newBuilder(uri("/admin/faults"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"create\":{\"rate\":1}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noDelay.statusCode()).as("a slow create needs a delay").isEqualTo(400);
        assertThat(noDelay.body()).contains("needs a positive delay");
    }

    /** @return the task's data when {@code external_task_id} is known, else null */
    private @org.jspecify.annotations.Nullable JsonNode lookUp(String externalId) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri(T2V + "?external_task_id=" + externalId))
                .header("Authorization", bearer()).GET().build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? MAPPER.readTree(response.body()).get("data") : null;
    }

    @Test
    void droppedCallbacksAreNeverSentAndCountedAsDropped() throws Exception {
        long before = stats().get("callbacks").get("dropped").longValue();
        send("PUT", "/admin/faults", "{\"callbacks\":{\"dropRate\":1}}");

        String taskId = create("{\"prompt\":\"dropped\",\"callback_url\":\"" + receiver.url() + "\"}");

        awaitStatus(taskId, "succeed");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(receiver.forTask(taskId)).isEmpty());
        assertThat(stats().get("callbacks").get("dropped").longValue()).isEqualTo(before + 3);
    }

    @Test
    void duplicatedAndDelayedCallbacksArriveTwiceEach() throws Exception {
        send("PUT", "/admin/accounts/chaos/faults",
                "{\"callbacks\":{\"duplicateRate\":1,\"delay\":\"PT0.1S\"}}");

        String taskId = create("{\"prompt\":\"twice\",\"callback_url\":\"" + receiver.url() + "\"}");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(receiver.forTask(taskId))
                .extracting(CallbackReceiver.Received::status)
                .containsExactly("submitted", "submitted", "processing", "processing", "succeed", "succeed"));
    }

    @Test
    void reorderedCallbacksAllArriveInSomeOrder() throws Exception {
        send("PUT", "/admin/faults", "{\"callbacks\":{\"reorder\":true,\"delay\":\"PT0.5S\"}}");

        String taskId = create("{\"prompt\":\"shuffled\",\"callback_url\":\"" + receiver.url() + "\"}");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(receiver.forTask(taskId))
                .extracting(CallbackReceiver.Received::status)
                .containsExactlyInAnyOrder("submitted", "processing", "succeed"));
    }

    @Test
    void assetFaultsAnswerTheInjectedStatusThenExpireEarly() throws Exception {
        String url = succeededVideoUrl("asset faults");
        send("PUT", "/admin/faults", "{\"assets\":{\"rate\":1,\"status\":503}}");
        assertThat(download(url).statusCode()).isEqualTo(503);
        send("PUT", "/admin/faults", "{\"assets\":{\"rate\":1,\"status\":404}}");
        assertThat(download(url).statusCode()).isEqualTo(404);

        send("PUT", "/admin/faults", "{\"assets\":{\"expireAfter\":\"PT0.001S\"}}");

        assertThat(download(url).statusCode()).isEqualTo(403);
        send("DELETE", "/admin/faults", null);
        assertThat(download(url).statusCode()).isEqualTo(200);
    }

    @Test
    void largeVideosAreAValidMp4PaddedToTheConfiguredSizeAndStreamed() throws Exception {
        String url = succeededVideoUrl("large");

        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(20L * 1024 * 1024);
        byte[] all;
        try (InputStream in = response.body()) {
            all = in.readAllBytes();
        }
        assertThat(all).hasSize(20 * 1024 * 1024);
        assertThat(new String(all, 4, 4, StandardCharsets.US_ASCII)).isEqualTo("ftyp");
        assertThat(topLevelBoxes(all)).contains("ftyp", "moov", "free").endsWith("free");
    }

    @Test
    void slowDownloadsAreThrottled() throws Exception {
        String url = succeededVideoUrl("slow");
        send("PUT", "/admin/faults", "{\"assets\":{\"bytesPerSecond\":40000000}}");
        long started = System.nanoTime();

        HttpResponse<byte[]> response = download(url);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(400));
    }

    @Test
    void theTimelineListsEveryStateOfATaskInOrder() throws Exception {
        String taskId = create("{\"prompt\":\"timeline\"}");
        awaitStatus(taskId, "succeed");

        JsonNode events = MAPPER.readTree(send("GET", "/admin/timeline?task_id=" + taskId, null).body());

        assertThat(events.findValuesAsString("status")).containsExactly("submitted", "processing", "succeed");
        assertThat(events.get(0).get("accountId").stringValue()).isEqualTo("chaos");
    }

    private String succeededVideoUrl(String prompt) throws Exception {
        String taskId = create("{\"prompt\":\"" + prompt + "\"}");
        return awaitStatus(taskId, "succeed").get("task_result").get("videos").get(0).get("url").stringValue();
    }

    private static List<String> topLevelBoxes(byte[] mp4) {
        ByteBuffer buffer = ByteBuffer.wrap(mp4);
        List<String> boxes = new ArrayList<>();
        long offset = 0;
        while (offset + 8 <= mp4.length) {
            long size = Integer.toUnsignedLong(buffer.getInt((int) offset));
            boxes.add(new String(mp4, (int) offset + 4, 4, StandardCharsets.US_ASCII));
            if (size == 1) {
                size = buffer.getLong((int) offset + 8);
            }
            if (size < 8) {
                break;
            }
            offset += size;
        }
        assertThat(offset).as("boxes cover the file exactly").isEqualTo(mp4.length);
        return boxes;
    }

    private String create(String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri(T2V)).header("Authorization", bearer())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return MAPPER.readTree(response.body()).get("data").get("task_id").stringValue();
    }

    private JsonNode awaitStatus(String taskId, String status) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri(T2V + "/" + taskId))
                    .header("Authorization", bearer()).build(), HttpResponse.BodyHandlers.ofString());
            last[0] = MAPPER.readTree(response.body()).get("data");
            assertThat(last[0].get("task_status").stringValue()).isEqualTo(status);
        });
        return last[0];
    }

    private JsonNode stats() throws Exception {
        return MAPPER.readTree(send("GET", "/admin/stats", null).body());
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json").method(method, publisher).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isLessThan(300);
        return response;
    }

    private static HttpResponse<byte[]> download(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String bearer() {
        return "Bearer " + Jwts.official("ak-chaos", SK, System.currentTimeMillis());
    }
}
