package io.klingrelay.klingemulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.klingrelay.klingemulator.auth.Jwts;
import io.klingrelay.klingemulator.callback.WebhookSigner;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.jcodec.api.awt.AWTFrameGrab;
import org.jcodec.common.io.ByteBufferSeekableByteChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "klingrelay.emulator.time-scale=0.01",
        "klingrelay.emulator.callbacks.backoff=50ms",
        "klingrelay.emulator.callbacks.webhook-secret=" + EmulatorIT.WEBHOOK_SECRET,
        "klingrelay.emulator.accounts[0].id=main",
        "klingrelay.emulator.accounts[0].access-key=ak-main",
        "klingrelay.emulator.accounts[0].secret-key=sk-main-0123456789abcdef0123456789",
        "klingrelay.emulator.accounts[0].concurrency=20",
        "klingrelay.emulator.accounts[1].id=small",
        "klingrelay.emulator.accounts[1].access-key=ak-small",
        "klingrelay.emulator.accounts[1].secret-key=sk-small-0123456789abcdef012345678",
        "klingrelay.emulator.accounts[1].concurrency=1",
        "klingrelay.emulator.accounts[2].id=hooks",
        "klingrelay.emulator.accounts[2].access-key=ak-hooks",
        "klingrelay.emulator.accounts[2].secret-key=sk-hooks-0123456789abcdef012345678",
})
class EmulatorIT {

    static final String WEBHOOK_SECRET = "whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<Received> CALLBACKS = new CopyOnWriteArrayList<>();
    private static HttpServer callbackServer;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startCallbackReceiver() throws IOException {
        callbackServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        callbackServer.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            var headers = exchange.getRequestHeaders();
            CALLBACKS.add(new Received(headers.getFirst("Content-Type"), headers.getFirst("User-Agent"),
                    headers.getFirst("webhook-id"), headers.getFirst("webhook-timestamp"),
                    headers.getFirst("webhook-signature"), body, MAPPER.readTree(body)));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        callbackServer.start();
    }

    @AfterAll
    static void stopCallbackReceiver() {
        callbackServer.stop(0);
    }

    @Test
    void textToVideoRunsToSucceedAndServesAPlayableSignedMp4() throws Exception {
        // GIVEN
        String externalId = "clip-" + System.nanoTime();
        JsonNode created = post("main", "/v1/videos/text2video",
                "{\"prompt\":\"A paper boat\",\"duration\":\"5\",\"external_task_id\":\"" + externalId + "\"}");
        assertThat(created.get("code").intValue()).isZero();
        assertThat(created.get("message").stringValue()).isEqualTo("SUCCEED");
        assertThat(created.get("request_id").stringValue()).hasSize(36);
        JsonNode data = created.get("data");
        String taskId = data.get("task_id").stringValue();
        assertThat(taskId).matches("\\d{18}");
        assertThat(data.get("task_status").stringValue()).isEqualTo("submitted");
        assertThat(data.get("task_info").get("external_task_id").stringValue()).isEqualTo(externalId);
        assertThat(data.get("created_at").longValue()).isGreaterThan(1_000_000_000_000L);

        // WHEN
        JsonNode done = awaitStatus("main", "/v1/videos/text2video/" + taskId, "succeed");

        // THEN
        assertThat(done.get("task_status_msg").stringValue()).isEmpty();
        assertThat(done.get("final_unit_deduction").isString()).isTrue();
        JsonNode video = done.get("task_result").get("videos").get(0);
        assertThat(video.get("duration").stringValue()).isEqualTo("5.1");
        assertThat(video.get("id").stringValue()).matches("\\d{18}");
        String url = video.get("url").stringValue();
        long expires = Long.parseLong(url.replaceAll(".*Expires=(\\d+).*", "$1"));
        assertThat(expires).isEqualTo(done.get("updated_at").longValue() / 1000 + 2_592_000);
        HttpResponse<byte[]> asset = download(url);
        assertThat(asset.statusCode()).isEqualTo(200);
        byte[] mp4 = asset.body();
        assertThat(new String(mp4, 4, 4, StandardCharsets.US_ASCII)).isEqualTo("ftyp");
        assertThat(AWTFrameGrab.getFrame(ByteBufferSeekableByteChannel.readFromByteBuffer(ByteBuffer.wrap(mp4)), 0))
                .isNotNull();
        assertThat(download(url).body()).isEqualTo(mp4);
        JsonNode admin = getJson("/admin/tasks/" + taskId);
        assertThat(admin.get("assets").get(0).get("sha256").stringValue()).isEqualTo(sha256(mp4));
        assertThat(admin.get("assets").get(0).get("size").longValue()).isEqualTo(mp4.length);
        assertThat(download(url.replaceAll("Signature=[^&]+", "Signature=forged")).statusCode()).isEqualTo(403);
        assertThat(download(url.substring(0, url.indexOf('?'))).statusCode()).isEqualTo(403);
        assertThat(get("main", "/v1/videos/text2video/" + externalId).get("data").get("task_id").stringValue())
                .isEqualTo(taskId);
        assertThat(get("main", "/v1/videos/text2video?external_task_id=" + externalId).get("data").get("task_id")
                .stringValue()).isEqualTo(taskId);
    }

    @Test
    void aTaskIsVisibleOnlyUnderItsOwnProductAndAccount() throws Exception {
        String taskId = post("main", "/v1/videos/text2video", "{\"prompt\":\"x\"}").get("data").get("task_id").stringValue();

        assertThat(getResponse("main", "/v1/videos/image2video/" + taskId).statusCode()).isEqualTo(404);
        HttpResponse<String> otherAccount = getResponse("hooks", "/v1/videos/text2video/" + taskId);
        assertThat(otherAccount.statusCode()).isEqualTo(404);
        assertThat(MAPPER.readTree(otherAccount.body()).get("code").intValue()).isEqualTo(1203);
    }

    @Test
    void imageGenerationProducesOneReadablePngPerImage() throws Exception {
        JsonNode created = post("main", "/v1/images/generations", "{\"prompt\":\"A lighthouse\",\"n\":2,\"aspect_ratio\":\"1:1\"}");
        String taskId = created.get("data").get("task_id").stringValue();

        JsonNode done = awaitStatus("main", "/v1/images/generations/" + taskId, "succeed");

        JsonNode images = done.get("task_result").get("images");
        assertThat(images).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(images.get(i).get("index").intValue()).isEqualTo(i);
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(download(images.get(i).get("url").stringValue()).body()));
            assertThat(png.getWidth()).isEqualTo(png.getHeight());
        }
    }

    @Test
    void imageToVideoAcceptsAUrlAndRejectsAMissingImage() throws Exception {
        JsonNode created = post("main", "/v1/videos/image2video",
                "{\"image\":\"https://example.org/first.png\",\"model_name\":\"kling-v1-6\",\"aspect_ratio\":\"16:9\"}");
        awaitStatus("main", "/v1/videos/image2video/" + created.get("data").get("task_id").stringValue(), "succeed");

        HttpResponse<String> rejected = postResponse("main", "/v1/videos/image2video", "{\"prompt\":\"x\"}");

        assertThat(rejected.statusCode()).isEqualTo(400);
        JsonNode body = MAPPER.readTree(rejected.body());
        assertThat(body.get("code").intValue()).isEqualTo(1201);
        assertThat(body.get("message").stringValue()).isEqualTo("image can not be null");
        assertThat(body.has("data")).isFalse();
    }

    @Test
    void answers1303OverTheConcurrencyLimitAndFreesTheSlotWhenTheTaskEnds() throws Exception {
        // GIVEN account "small" has one slot
        String first = post("small", "/v1/videos/text2video", "{\"prompt\":\"one\"}").get("data").get("task_id").stringValue();

        // WHEN
        HttpResponse<String> second = postResponse("small", "/v1/videos/text2video", "{\"prompt\":\"two\"}");

        // THEN
        assertThat(second.statusCode()).isEqualTo(429);
        JsonNode body = MAPPER.readTree(second.body());
        assertThat(body.get("code").intValue()).isEqualTo(1303);
        assertThat(body.get("message").stringValue()).isEqualTo("parallel task over resource pack limit");
        assertThat(body.has("data")).isFalse();
        awaitStatus("small", "/v1/videos/text2video/" + first, "succeed");
        assertThat(postResponse("small", "/v1/videos/text2video", "{\"prompt\":\"three\"}").statusCode()).isEqualTo(200);
        JsonNode stats = getJson("/admin/stats").get("accounts").get("small");
        assertThat(stats.get("creates").longValue()).isEqualTo(2);
        assertThat(stats.get("capacityRejections").longValue()).isEqualTo(1);
        assertThat(stats.get("maxRunning").intValue()).isEqualTo(1);
        assertThat(stats.get("errorCodes").get("1303").longValue()).isEqualTo(1);
    }

    @Test
    void deliversEveryStatusChangeToTheCallbackUrlUntilCallbacksAreSwitchedOff() throws Exception {
        String hook = "http://127.0.0.1:" + callbackServer.getAddress().getPort() + "/hook";
        String taskId = post("hooks", "/v1/videos/text2video",
                "{\"prompt\":\"hooked\",\"callback_url\":\"" + hook + "\"}").get("data").get("task_id").stringValue();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(callbacksFor(taskId))
                .extracting(r -> r.body().get("task_status").stringValue())
                .containsExactly("submitted", "processing", "succeed"));
        Received last = callbacksFor(taskId).get(2);
        assertThat(last.contentType()).isEqualTo("application/json; charset=utf-8");
        assertThat(last.userAgent()).isEqualTo("Apache-HttpClient/4.5.13 (Java/11.0.14-internal)");
        assertThat(last.body().has("code")).isFalse();
        assertThat(last.webhookSignature()).isEqualTo(new WebhookSigner(WEBHOOK_SECRET)
                .sign(last.webhookId(), Long.parseLong(last.webhookTimestamp()), last.raw()));
        assertThat(last.body().get("task_info").isObject()).isTrue();
        assertThat(last.body().get("task_result").get("videos")).hasSize(1);
        assertThat(last.body()).isEqualTo(get("hooks", "/v1/videos/text2video/" + taskId).get("data"));

        patchSettings("{\"callbacksEnabled\": false}");
        try {
            String silent = post("hooks", "/v1/videos/text2video",
                    "{\"prompt\":\"silent\",\"callback_url\":\"" + hook + "\"}").get("data").get("task_id").stringValue();
            awaitStatus("hooks", "/v1/videos/text2video/" + silent, "succeed");
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                    .untilAsserted(() -> assertThat(callbacksFor(silent)).isEmpty());
        } finally {
            patchSettings("{\"callbacksEnabled\": true}");
        }
        assertThat(getJson("/admin/stats").get("callbacks").get("sent").longValue()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void rejectsMissingAndForgedAuthorizationWith401() throws Exception {
        HttpResponse<String> missing = HTTP.send(HttpRequest.newBuilder(uri("/v1/videos/text2video/1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(MAPPER.readTree(missing.body()).get("code").intValue()).isEqualTo(1001);

        String forged = Jwts.official("ak-main", "not-the-secret-0123456789abcdef0123", System.currentTimeMillis());
        HttpResponse<String> bad = HTTP.send(HttpRequest.newBuilder(uri("/v1/videos/text2video/1"))
                .header("Authorization", "Bearer " + forged).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(MAPPER.readTree(bad.body()).get("code").intValue()).isEqualTo(1002);
    }

    @Test
    void listsNewestFirstAsABareArrayAndChecksPaging() throws Exception {
        String older = post("main", "/v1/images/generations", "{\"prompt\":\"older\"}").get("data").get("task_id").stringValue();
        String newer = post("main", "/v1/images/generations", "{\"prompt\":\"newer\"}").get("data").get("task_id").stringValue();

        JsonNode page = get("main", "/v1/images/generations?pageNum=1&pageSize=2").get("data");

        assertThat(page.isArray()).isTrue();
        assertThat(page.get(0).get("task_id").stringValue()).isEqualTo(newer);
        assertThat(page.get(1).get("task_id").stringValue()).isEqualTo(older);
        assertThat(get("main", "/v1/images/generations?pageNum=1000&pageSize=500").get("data")).isEmpty();
        HttpResponse<String> tooBig = getResponse("main", "/v1/images/generations?pageNum=1&pageSize=501");
        assertThat(tooBig.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(tooBig.body()).get("code").intValue()).isEqualTo(1201);
    }

    @Test
    void rejectsADuplicateExternalTaskIdByDefaultAndCountsIt() throws Exception {
        String body = "{\"prompt\":\"dup\",\"external_task_id\":\"dup-" + System.nanoTime() + "\"}";
        post("main", "/v1/videos/text2video", body);
        long before = getJson("/admin/stats").get("accounts").get("main").get("duplicateExternalTaskIds").longValue();

        HttpResponse<String> duplicate = postResponse("main", "/v1/videos/text2video", body);

        assertThat(duplicate.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(duplicate.body()).get("code").intValue()).isEqualTo(1201);
        assertThat(getJson("/admin/stats").get("accounts").get("main").get("duplicateExternalTaskIds").longValue())
                .isEqualTo(before + 1);
    }

    private JsonNode awaitStatus(String account, String path, String status) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            last[0] = get(account, path).get("data");
            assertThat(last[0].get("task_status").stringValue()).isEqualTo(status);
        });
        return last[0];
    }

    private static List<Received> callbacksFor(String taskId) {
        return CALLBACKS.stream().filter(r -> taskId.equals(r.body().get("task_id").stringValue())).toList();
    }

    private JsonNode post(String account, String path, String body) throws Exception {
        HttpResponse<String> response = postResponse(account, path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return MAPPER.readTree(response.body());
    }

    private HttpResponse<String> postResponse(String account, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", bearer(account))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String account, String path) throws Exception {
        HttpResponse<String> response = getResponse(account, path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return MAPPER.readTree(response.body());
    }

    private HttpResponse<String> getResponse(String account, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", bearer(account)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(String path) throws Exception {
        return MAPPER.readTree(HTTP.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private void patchSettings(String json) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri("/admin/settings"))
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static HttpResponse<byte[]> download(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String bearer(String account) {
        Map<String, String[]> keys = Map.of(
                "main", new String[] {"ak-main", "sk-main-0123456789abcdef0123456789"},
                "small", new String[] {"ak-small", "sk-small-0123456789abcdef012345678"},
                "hooks", new String[] {"ak-hooks", "sk-hooks-0123456789abcdef012345678"});
        String[] pair = keys.get(account);
        return "Bearer " + Jwts.official(pair[0], pair[1], System.currentTimeMillis());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private record Received(String contentType, String userAgent, String webhookId, String webhookTimestamp,
            String webhookSignature, byte[] raw, JsonNode body) {
    }
}
