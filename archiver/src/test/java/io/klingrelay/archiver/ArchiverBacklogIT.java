package io.klingrelay.archiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.klingrelay.archiver.queue.ArchiveQueue;
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
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
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
 * A backlog built up during an object-store outage is archived earliest URL expiry first once the
 * store is back, one task at a time ({@code concurrency=1}, so the order is observable): the asset
 * host records the order of the downloads. Real services as in {@link ArchiverIT}.
 */
@SpringBootTest(properties = {
        "server.port=0",
        "klingrelay.archiver.allowed-hosts=127.0.0.1",
        "klingrelay.archiver.allow-private-addresses=true",
        "klingrelay.archiver.concurrency=1",
        "klingrelay.archiver.retry.max-attempts=2",
        "klingrelay.archiver.retry.initial-delay=10ms",
        "klingrelay.archiver.retry.max-delay=50ms",
        "klingrelay.archiver.store-outage.initial-delay=200ms",
        "klingrelay.archiver.store-outage.max-delay=1s",
        "logging.level.org.apache.kafka=warn",
        "logging.level.kafka=warn"})
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers",
        topics = {Topics.TASKS_COMPLETED, Topics.ASSETS_ARCHIVED, Topics.REQUESTS_FAILED, Topics.TASKS_COMPLETED
                + Topics.DLT_SUFFIX})
class ArchiverBacklogIT {

    private static final String ACCESS_KEY = "archiver-backlog-it";
    private static final String SECRET_KEY = "archiver-backlog-it-secret-" + UUID.randomUUID();
    private static final String BUCKET = "archiver-backlog-it-" + UUID.randomUUID().toString().substring(0, 8);
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3, 4};

    private static @Nullable S3ProxyProcess s3;
    private static @Nullable Path s3WorkDir;
    private static @Nullable LocalRedis redis;
    private static @Nullable HttpServer assetHost;
    /** Request ids in the order their asset was requested. */
    private static final ConcurrentLinkedQueue<String> downloads = new ConcurrentLinkedQueue<>();
    private static final ConcurrentLinkedQueue<ConsumerRecord<String, String>> outcomes = new ConcurrentLinkedQueue<>();
    private static final AtomicBoolean collecting = new AtomicBoolean();
    private static @Nullable Thread collector;

    @Autowired
    private EmbeddedKafkaBroker broker;

    @Autowired
    private KafkaTemplate<String, Object> kafkaTemplate;

    @Autowired
    private ArchiveQueue queue;

    @BeforeAll
    static void startServices(@TempDir Path workDir) throws IOException {
        redis = LocalRedis.startFromSystemProperty(Files.createDirectories(workDir.resolve("redis")));
        s3WorkDir = workDir.resolve("s3proxy");
        s3 = S3ProxyProcess.start(S3ProxyProcess.jarFromSystemProperty(), FreePorts.next(), ACCESS_KEY, SECRET_KEY,
                null, s3WorkDir);
        assetHost = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        assetHost.createContext("/", ArchiverBacklogIT::serve);
        assetHost.start();
    }

    @DynamicPropertySource
    static void archiverProperties(DynamicPropertyRegistry registry) {
        Objects.requireNonNull(redis).springProperties().forEach((name, value) -> registry.add(name, () -> value));
        registry.add("klingrelay.redis.key-prefix", () -> "archiver-backlog-it-" + UUID.randomUUID());
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
    void aBacklogIsArchivedEarliestExpiryFirstAfterAnObjectStoreOutage() throws Exception {
        // GIVEN the object store is down, and the archiver found out with a first task
        collector = Thread.ofPlatform().name("backlog-collector").start(this::collect);
        int port = s3().port();
        s3().close();
        Instant now = Instant.now();
        TaskCompleted sentinel = task(null, "sentinel"); // no Expires: completedAt + 30 days, the latest
        publish(sentinel);
        await().atMost(Duration.ofSeconds(30)).until(() -> downloads.contains(sentinel.requestId()));

        // WHEN a backlog with mixed expiries builds up meanwhile, published in random order
        List<TaskCompleted> expired = List.of(task(now.minus(Duration.ofHours(2)), "expired"),
                task(now.minus(Duration.ofMinutes(1)), "expired"));
        List<TaskCompleted> valid = new ArrayList<>();
        for (int hours = 1; hours <= 6; hours++) {
            valid.add(task(now.plus(Duration.ofHours(hours)), "valid"));
        }
        List<TaskCompleted> backlog = new ArrayList<>(expired);
        backlog.addAll(valid);
        Collections.shuffle(backlog, new Random(7));
        backlog.forEach(this::publish);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(queue.backlog()).isEqualTo(9));
        assertThat(outcomes).as("nothing decided during the outage").isEmpty();

        // WHEN the store comes back (in-memory backend: empty, so the bucket is created again)
        downloads.clear();
        s3 = S3ProxyProcess.start(S3ProxyProcess.jarFromSystemProperty(), port, ACCESS_KEY, SECRET_KEY, null,
                Objects.requireNonNull(s3WorkDir));
        MinioClient.builder().endpoint(s3().endpoint()).region("us-east-1").credentials(ACCESS_KEY, SECRET_KEY).build()
                .makeBucket(MakeBucketArgs.builder().bucket(BUCKET).build());

        // THEN all but the expired ones are archived, the expired ones fail, and the downloads ran by expiry
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(outcomes).hasSize(9));
        for (TaskCompleted task : expired) {
            RequestFailed failed = EventJson.mapper().readValue(single(Topics.REQUESTS_FAILED, task.requestId()).value(),
                    RequestFailed.class);
            assertThat(failed.stage()).isEqualTo(FailureStage.ARCHIVE);
            assertThat(failed.reason()).contains("403").contains("expired");
        }
        for (TaskCompleted task : valid) {
            single(Topics.ASSETS_ARCHIVED, task.requestId());
        }
        single(Topics.ASSETS_ARCHIVED, sentinel.requestId());
        List<String> expectedOrder = new ArrayList<>();
        expired.forEach(task -> expectedOrder.add(task.requestId()));
        valid.forEach(task -> expectedOrder.add(task.requestId()));
        expectedOrder.add(sentinel.requestId());
        List<String> recordedOrder = List.copyOf(new LinkedHashSet<>(downloads));
        assertThat(recordedOrder).as("download order after the outage, by URL expiry").isEqualTo(expectedOrder);
    }

    private static ConsumerRecord<String, String> single(String topic, String requestId) {
        List<ConsumerRecord<String, String>> found = outcomes.stream()
                .filter(r -> r.topic().equals(topic) && requestId.equals(r.key())).toList();
        assertThat(found).as("%s of %s", topic, requestId).hasSize(1);
        return found.getFirst();
    }

    private static TaskCompleted task(@Nullable Instant expires, String kind) {
        String requestId = "backlog-" + UUID.randomUUID();
        String url = "http://127.0.0.1:" + assetHost().getAddress().getPort() + "/" + kind + "/" + requestId + ".png"
                + (expires == null ? "" : "?Expires=" + expires.getEpochSecond() + "&Signature=s3cr3t");
        return new TaskCompleted(1, null, requestId, "acct-backlog", null, Product.IMAGE_GENERATION,
                "task-" + requestId, TaskStatus.SUCCEED, "", List.of(new TaskAsset(AssetKind.IMAGE, 0, null, url, null)),
                StatusSource.WEBHOOK, Instant.now());
    }

    private void publish(TaskCompleted task) {
        kafkaTemplate.send(Topics.TASKS_COMPLETED, task.requestId(), task).join();
    }

    private void collect() {
        collecting.set(true);
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "archiver-backlog-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.ASSETS_ARCHIVED, Topics.REQUESTS_FAILED));
            while (collecting.get()) {
                consumer.poll(Duration.ofMillis(200)).forEach(outcomes::add);
            }
        }
    }

    private static void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String requestId = path.substring(path.lastIndexOf('/') + 1).replace(".png", "");
            downloads.add(requestId);
            if (path.startsWith("/expired/")) {
                exchange.sendResponseHeaders(403, -1);
                return;
            }
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
