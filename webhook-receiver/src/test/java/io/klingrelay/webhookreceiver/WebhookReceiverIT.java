package io.klingrelay.webhookreceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import io.klingrelay.common.event.AssetKind;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.event.StatusSource;
import io.klingrelay.common.event.TaskStatus;
import io.klingrelay.common.kafka.Topics;
import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.common.testing.TopicRecorder;
import io.klingrelay.coordination.RecordedTasks;
import io.klingrelay.coordination.dispatch.Dispatches;
import io.klingrelay.coordination.dispatch.RequestQueue;
import io.klingrelay.coordination.permit.Permits;
import io.klingrelay.coordination.task.TaskLedger;
import io.klingrelay.coordination.task.TaskRecord;
import io.klingrelay.klingclient.callback.CallbackTokens;
import io.klingrelay.klingclient.callback.StandardWebhookVerifier;
import io.klingrelay.localstack.LocalRedis;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * The receiver against a real KRaft broker and a real redis-server, with real HTTP callbacks.
 * A Standard Webhooks secret is configured here, so every callback is signed unless a test says
 * otherwise; the unsigned path is covered by {@code CallbackHandlerTest}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "klingrelay.callback.secret=" + WebhookReceiverIT.CALLBACK_SECRET,
        "klingrelay.callback.webhook-secret=" + WebhookReceiverIT.WEBHOOK_SECRET,
        "klingrelay.callback.previous-secrets=" + WebhookReceiverIT.PREVIOUS_CALLBACK_SECRET,
        "klingrelay.callback.webhook-secrets=" + WebhookReceiverIT.PREVIOUS_WEBHOOK_SECRET,
        "klingrelay.webhook-receiver.publish-timeout=5s"})
@EmbeddedKafka(partitions = 1, topics = {Topics.TASKS_STATUS, Topics.TASKS_COMPLETED},
        bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class WebhookReceiverIT {

    static final String CALLBACK_SECRET = "it-callback-secret-0123456789-abcdefghij";
    static final String WEBHOOK_SECRET = "whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=";
    static final String PREVIOUS_CALLBACK_SECRET = "it-previous-callback-secret-0123456789-xyz";
    static final String PREVIOUS_WEBHOOK_SECRET = "whsec_b3RoZXJzZWNyZXRvdGhlcnNlY3JldG90aGVyc2VjcmV0MTI=";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private static Path redisDir;
    /** one redis-server, or a Redis Cluster with -Dklingrelay.it.redis=cluster; AOF on either way */
    private static LocalRedis redis;

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) throws IOException {
        redisDir = Files.createTempDirectory("webhook-receiver-it-redis");
        redis = LocalRedis.startFromSystemProperty(redisDir);
        redis.springProperties().forEach((name, value) -> registry.add(name, () -> value));
        registry.add("klingrelay.redis.key-prefix", () -> "it-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
        FileSystemUtils.deleteRecursively(redisDir.toFile());
    }

    @LocalServerPort
    int port;
    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    RequestQueue queue;
    @Autowired
    Dispatches dispatches;
    @Autowired
    Permits permits;
    @Autowired
    TaskLedger ledger;
    @Autowired
    StringRedisTemplate redisTemplate;
    @Autowired
    RedisKeys keys;

    private final HttpClient http = HttpClient.newHttpClient();
    private final CallbackTokens tokens = new CallbackTokens(CALLBACK_SECRET);
    private final StandardWebhookVerifier signer = new StandardWebhookVerifier(WEBHOOK_SECRET, Duration.ofMinutes(5),
            Clock.systemUTC());
    private String account;
    private String requestId;
    private String taskId;

    @BeforeEach
    void freshTask() {
        int n = SEQUENCE.incrementAndGet();
        account = "acct-" + n + "-" + UUID.randomUUID().toString().substring(0, 6);
        requestId = "req-" + n;
        taskId = "8283386746052" + (10000 + n);
        recordTask(account, requestId, taskId);
    }

    private void recordTask(String accountId, String request, String task) {
        RecordedTasks.record(queue, dispatches, accountId, request, task, "spring-sale", Instant.now(), Duration.ofHours(2));
    }

    private static String body(String task, String status) {
        return """
                {"task_id":"%s","task_status":"%s","task_status_msg":"","created_at":1765519848595,
                 "updated_at":1765520080995,"task_info":{},
                 "task_result":{"images":[],"videos":[{"id":"828338674655576157",
                 "url":"http://127.0.0.1:9/assets/v.mp4?Expires=1768112080&Signature=s3cr3tsig","duration":"5.1"}],
                 "audios":[]}}""".formatted(task, status);
    }

    private HttpResponse<String> post(String token, String body, boolean signed) throws Exception {
        byte[] raw = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/callbacks/" + account + "/" + requestId + "/" + token))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(raw));
        if (signed) {
            String id = "msg-" + UUID.randomUUID();
            String timestamp = Long.toString(Instant.now().getEpochSecond());
            request.header("webhook-id", id).header("webhook-timestamp", timestamp)
                    .header("webhook-signature", signer.sign(id, timestamp, raw));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> callback(String status) throws Exception {
        return post(tokens.token(account, requestId), body(taskId, status), true);
    }

    private TopicRecorder recorder() {
        return new TopicRecorder(broker.getBrokersAsString(), Topics.TASKS_STATUS, Topics.TASKS_COMPLETED);
    }

    @Test
    void publishesOneStatusEventForAProcessingCallback() throws Exception {
        try (TopicRecorder events = recorder()) {
            assertThat(callback("processing").statusCode()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(events.statuses(requestId)).singleElement().satisfies(event -> {
                        assertThat(event.taskStatus()).isEqualTo(TaskStatus.PROCESSING);
                        assertThat(event.source()).isEqualTo(StatusSource.WEBHOOK);
                        assertThat(event.taskId()).isEqualTo(taskId);
                    }));
            assertThat(events.completed(requestId)).isEmpty();
        }
    }

    @Test
    void publishesOneTaskCompletedAndReleasesThePermitOnSucceedAndIgnoresTheRepeat() throws Exception {
        try (TopicRecorder events = recorder()) {
            // GIVEN
            assertThat(permits.inUse(account)).isEqualTo(1);

            // WHEN
            HttpResponse<String> first = callback("succeed");

            // THEN
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.body()).contains("completed");
            assertThat(permits.inUse(account)).isZero();
            assertThat(ledger.find(account, requestId)).get().extracting(TaskRecord::published).isEqualTo(true);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(events.completed(requestId)).singleElement().satisfies(event -> {
                        assertThat(event.taskStatus()).isEqualTo(TaskStatus.SUCCEED);
                        assertThat(event.accountId()).isEqualTo(account);
                        assertThat(event.campaignId()).isEqualTo("spring-sale");
                        assertThat(event.product()).isEqualTo(Product.TEXT_TO_VIDEO);
                        assertThat(event.source()).isEqualTo(StatusSource.WEBHOOK);
                        assertThat(event.completedAt()).isEqualTo(Instant.ofEpochMilli(1765520080995L));
                        assertThat(event.assets()).singleElement().satisfies(asset -> {
                            assertThat(asset.kind()).isEqualTo(AssetKind.VIDEO);
                            assertThat(asset.id()).isEqualTo("828338674655576157");
                            assertThat(asset.url()).contains("Signature=s3cr3tsig");
                        });
                    }));

            // WHEN the same callback arrives again (Kling retries)
            HttpResponse<String> repeat = callback("succeed");

            // THEN
            assertThat(repeat.statusCode()).isEqualTo(200);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(events.completed(requestId)).hasSize(1);
                assertThat(events.statuses(requestId)).hasSize(1);
            });
        }
    }

    @Test
    void refusesABadTokenWith404ChangingAndPublishingNothing(CapturedOutput output) throws Exception {
        try (TopicRecorder events = recorder()) {
            String forged = tokens.token(account, "another-request");

            HttpResponse<String> response = post(forged, body(taskId, "succeed"), true);

            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(ledger.find(account, requestId)).get().satisfies(record -> {
                assertThat(record.status()).isEqualTo(TaskStatus.SUBMITTED);
                assertThat(record.published()).isFalse();
            });
            assertThat(permits.inUse(account)).isEqualTo(1);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(events.completed(requestId)).isEmpty();
                assertThat(events.statuses(requestId)).isEmpty();
            });
            assertThat(output).contains("bad token").contains(requestId).doesNotContain(forged)
                    .doesNotContain(tokens.token(account, requestId)).doesNotContain(CALLBACK_SECRET)
                    .doesNotContain(WEBHOOK_SECRET).doesNotContain("s3cr3tsig");
        }
    }

    @Test
    void refusesAMismatchedTaskIdWith409() throws Exception {
        HttpResponse<String> response = post(tokens.token(account, requestId), body("999999999999999999", "succeed"),
                true);

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(permits.inUse(account)).isEqualTo(1);
        assertThat(ledger.find(account, requestId)).get().extracting(TaskRecord::published).isEqualTo(false);
    }

    @Test
    void answers409ForATaskNotRecordedYet() throws Exception {
        requestId = "not-recorded-" + SEQUENCE.incrementAndGet();

        assertThat(callback("processing").statusCode()).isEqualTo(409);
    }

    @Test
    void requiresTheStandardWebhooksSignatureWhenASecretIsConfigured() throws Exception {
        HttpResponse<String> unsigned = post(tokens.token(account, requestId), body(taskId, "succeed"), false);

        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(permits.inUse(account)).isEqualTo(1);
        assertThat(callback("succeed").statusCode()).isEqualTo(200);
        assertThat(permits.inUse(account)).isZero();
    }

    @Test
    void answers400ToUnparseableBodiesAndUnknownStatuses() throws Exception {
        assertThat(post(tokens.token(account, requestId), "not json", true).statusCode()).isEqualTo(400);
        assertThat(callback("succeeded").statusCode()).isEqualTo(400);
        assertThat(ledger.find(account, requestId)).get().extracting(TaskRecord::status).isEqualTo(TaskStatus.SUBMITTED);
    }

    @Test
    void answersHealthWhenUp() throws Exception {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
    }

    // ---- issue 7: rotation and webhook-id de-duplication ----------------------------------------

    private HttpResponse<String> postSigned(String token, String body, String webhookId, String timestamp,
            String signature) throws Exception {
        return http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/callbacks/" + account + "/" + requestId + "/" + token))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("webhook-id", webhookId).header("webhook-timestamp", timestamp)
                .header("webhook-signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void publishesOneStatusEventForTheSameSignedCallbackDeliveredTwiceAndRemembersItsWebhookId() throws Exception {
        try (TopicRecorder events = recorder()) {
            // GIVEN
            String body = body(taskId, "processing");
            String webhookId = "msg_" + UUID.randomUUID();
            String timestamp = Long.toString(Instant.now().getEpochSecond());
            String signature = signer.sign(webhookId, timestamp, body.getBytes(StandardCharsets.UTF_8));
            String token = tokens.token(account, requestId);

            // WHEN
            HttpResponse<String> first = postSigned(token, body, webhookId, timestamp, signature);
            HttpResponse<String> again = postSigned(token, body, webhookId, timestamp, signature);

            // THEN
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.body()).contains("status_published");
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(again.body()).contains("duplicate");
            String key = keys.account(account) + ":webhook-id:" + HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(webhookId.getBytes(StandardCharsets.UTF_8)));
            assertThat(redisTemplate.getExpire(key)).isBetween(Duration.ofHours(24).toSeconds() - 60,
                    Duration.ofHours(24).toSeconds());
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(events.statuses(requestId)).hasSize(1));
        }
    }

    @Test
    void acceptsATokenOfThePreviousCallbackSecretAndASignatureOfAnyActiveWebhookSecret() throws Exception {
        // GIVEN
        String oldToken = new CallbackTokens(PREVIOUS_CALLBACK_SECRET).token(account, requestId);
        StandardWebhookVerifier previousSigner = new StandardWebhookVerifier(PREVIOUS_WEBHOOK_SECRET,
                Duration.ofMinutes(5), Clock.systemUTC());
        StandardWebhookVerifier retiredSigner = new StandardWebhookVerifier(
                "whsec_cmV0aXJlZHJldGlyZWRyZXRpcmVkcmV0aXJlZDEy", Duration.ofMinutes(5), Clock.systemUTC());
        String body = body(taskId, "processing");
        byte[] raw = body.getBytes(StandardCharsets.UTF_8);
        String timestamp = Long.toString(Instant.now().getEpochSecond());

        // WHEN / THEN
        assertThat(postSigned(oldToken, body, "msg-a", timestamp, retiredSigner.sign("msg-a", timestamp, raw))
                .statusCode()).isEqualTo(401);
        assertThat(postSigned(oldToken, body, "msg-b", timestamp, previousSigner.sign("msg-b", timestamp, raw))
                .statusCode()).isEqualTo(200);
        assertThat(postSigned(oldToken, body, "msg-c", timestamp, retiredSigner.sign("msg-c", timestamp, raw) + " "
                + signer.sign("msg-c", timestamp, raw)).statusCode()).isEqualTo(200);
        assertThat(postSigned(new CallbackTokens("it-retired-callback-secret-0123456789-xyz").token(account,
                requestId), body, "msg-d", timestamp, signer.sign("msg-d", timestamp, raw)).statusCode()).isEqualTo(404);
    }

    @Test
    void readinessProbeIsUpOnlyWithKafkaAndRedisAndLivenessIgnoresThem() throws Exception {
        // the Kubernetes probes (deploy/kubernetes); here on the public port (no MANAGEMENT_SERVER_PORT)
        HttpResponse<String> readiness = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/health/readiness")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> liveness = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/health/liveness")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body().replace(" ", ""))
                .contains("\"kafka\":{\"status\":\"UP\"", "\"redis\":{\"status\":\"UP\"", "\"readinessState\"");
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(liveness.body()).doesNotContain("kafka", "redis");
    }
}
