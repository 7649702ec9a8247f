package io.klingrelay.archiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.klingrelay.common.event.AssetKind;
import io.klingrelay.common.event.FailureStage;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.event.RequestFailed;
import io.klingrelay.common.event.StatusSource;
import io.klingrelay.common.event.TaskAsset;
import io.klingrelay.common.event.TaskCompleted;
import io.klingrelay.common.event.TaskStatus;
import io.klingrelay.common.json.EventJson;
import io.klingrelay.common.kafka.Topics;
import io.klingrelay.localstack.FreePorts;
import io.klingrelay.localstack.LocalRedis;
import io.klingrelay.localstack.S3ProxyProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The archiver giving up on a task it kept redelivering (object store down past
 * {@code store-outage.give-up-after}): the request ends with {@code requests.failed} besides the
 * dead-letter record. Real services as in {@link ArchiverIT}; its own context because of the tiny
 * {@code give-up-after}.
 */
@SpringBootTest(properties = {
        "server.port=0",
        "klingrelay.archiver.allowed-hosts=127.0.0.1",
        "klingrelay.archiver.allow-private-addresses=true",
        "klingrelay.archiver.retry.initial-delay=10ms",
        "klingrelay.archiver.retry.max-delay=50ms",
        "klingrelay.archiver.store-outage.initial-delay=200ms",
        "klingrelay.archiver.store-outage.max-delay=500ms",
        "klingrelay.archiver.store-outage.give-up-after=2s",
        "logging.level.org.apache.kafka=warn",
        "logging.level.kafka=warn"})
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers",
        topics = {Topics.TASKS_COMPLETED, Topics.ASSETS_ARCHIVED, Topics.REQUESTS_FAILED, Topics.TASKS_COMPLETED
                + Topics.DLT_SUFFIX})
class ArchiverGiveUpIT {

    private static final String ACCESS_KEY = "archiver-give-up-it";
    private static final String SECRET_KEY = "archiver-give-up-it-secret-" + UUID.randomUUID();
    private static final String BUCKET = "archiver-give-up-it-" + UUID.randomUUID().toString().substring(0, 8);
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0};

    private static @Nullable S3ProxyProcess s3;
    private static @Nullable LocalRedis redis;
    private static @Nullable HttpServer assetHost;
    private static final ConcurrentLinkedQueue<ConsumerRecord<String, String>> records = new ConcurrentLinkedQueue<>();
    private static final AtomicBoolean collecting = new AtomicBoolean();
    private static @Nullable Thread collector;

    @Autowired
    private EmbeddedKafkaBroker broker;

    @Autowired
    private KafkaTemplate<String, Object> kafkaTemplate;

    @BeforeAll
    static void startServices(@TempDir Path workDir) throws IOException {
        redis = LocalRedis.startFromSystemProperty(Files.createDirectories(workDir.resolve("redis")));
        s3 = S3ProxyProcess.start(S3ProxyProcess.jarFromSystemProperty(), FreePorts.next(), ACCESS_KEY, SECRET_KEY,
                null, workDir.resolve("s3proxy"));
        assetHost = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        assetHost.createContext("/", ArchiverGiveUpIT::servePng);
        assetHost.start();
    }

    @DynamicPropertySource
    static void archiverProperties(DynamicPropertyRegistry registry) {
        java.util.Objects.requireNonNull(redis).springProperties().forEach((name, value) -> registry.add(name, () -> value));
        registry.add("klingrelay.redis.key-prefix", () -> "archiver-give-up-it-" + UUID.randomUUID());
        registry.add("klingrelay.archiver.s3.endpoint", () -> s3().endpoint());
        registry.add("klingrelay.archiver.s3.access-key", () -> ACCESS_KEY);
        registry.add("klingrelay.archiver.s3.secret-key", () -> SECRET_KEY);
        registry.add("klingrelay.archiver.bucket", () -> BUCKET);
    }

    @AfterAll
    static void stopServices() throws InterruptedException {
        collecting.set(false);
        if (collector != null) {
            collector.join(10_000);
        }
        if (assetHost != null) {
            assetHost.stop(0);
        }
        if (s3 != null) {
            s3.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void givingUpOnAnObjectStoreOutagePublishesARequestFailedBesidesTheDeadLetter() {
        // GIVEN the object store is down for good
        collector = Thread.ofPlatform().name("give-up-collector").start(this::collect);
        s3().close();
        String requestId = "it-" + UUID.randomUUID();
        TaskCompleted task = new TaskCompleted(1, null, requestId, "acct-give-up", "campaign-it",
                Product.IMAGE_GENERATION, "task-" + requestId, TaskStatus.SUCCEED, "",
                List.of(new TaskAsset(AssetKind.IMAGE, 0, null, "http://127.0.0.1:" + assetHost().getAddress().getPort()
                        + "/" + requestId + ".png", null)), StatusSource.WEBHOOK, Instant.now());

        // WHEN a task completes and is redelivered until give-up-after (2 s of back-off) is spent
        kafkaTemplate.send(Topics.TASKS_COMPLETED, requestId, task).join();

        // THEN the request ends with one requests.failed, and the record is dead-lettered as well
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(recordsFor(Topics.REQUESTS_FAILED, requestId)).hasSize(1);
            assertThat(recordsFor(Topics.dlt(Topics.TASKS_COMPLETED), requestId)).hasSize(1);
        });
        RequestFailed failed = EventJson.mapper().readValue(recordsFor(Topics.REQUESTS_FAILED, requestId).getFirst()
                .value(), RequestFailed.class);
        assertThat(failed.stage()).isEqualTo(FailureStage.ARCHIVE);
        assertThat(failed.taskId()).isEqualTo("task-" + requestId);
        assertThat(failed.campaignId()).isEqualTo("campaign-it");
        assertThat(failed.reason()).containsPattern("gave up after \\d+ tr(y|ies)")
                .contains("store-outage.give-up-after").contains("object storage")
                .doesNotContain(SECRET_KEY);
        assertThat(recordsFor(Topics.ASSETS_ARCHIVED, requestId)).isEmpty();
    }

    private static List<ConsumerRecord<String, String>> recordsFor(String topic, String key) {
        return records.stream().filter(r -> r.topic().equals(topic) && key.equals(r.key())).toList();
    }

    private void collect() {
        collecting.set(true);
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "archiver-give-up-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.ASSETS_ARCHIVED, Topics.REQUESTS_FAILED,
                    Topics.dlt(Topics.TASKS_COMPLETED)));
            while (collecting.get()) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
    }

    private static void servePng(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().add("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, PNG.length);
            exchange.getResponseBody().write(PNG);
        }
    }

    private static S3ProxyProcess s3() {
        return Objects.requireNonNull(s3, "s3proxy not started");
    }

    private static HttpServer assetHost() {
        return Objects.requireNonNull(assetHost, "asset host not started");
    }
}
