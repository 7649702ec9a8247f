package io.klingrelay.archiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.klingrelay.archiver.archive.MinioAssetStore;
import io.klingrelay.common.event.AssetKind;
import io.klingrelay.common.event.AssetsArchived;
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
import io.klingrelay.localstack.S3ProxyProcess;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole archiver against real services: an embedded KRaft broker, an s3proxy process
 * (in memory) and a JDK HTTP server on 127.0.0.1 playing the asset CDN. Isolated by fresh
 * request ids on the real topics (STYLE.md 18).
 */
@SpringBootTest(properties = {
        "server.port=0",
        "klingrelay.archiver.allowed-hosts=127.0.0.1",
        "klingrelay.archiver.allow-private-addresses=true",
        "klingrelay.archiver.retry.initial-delay=10ms",
        "klingrelay.archiver.retry.max-delay=50ms",
        "klingrelay.archiver.concurrency=3",
        "logging.level.org.apache.kafka=warn",
        "logging.level.kafka=warn"})
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers",
        topics = {Topics.TASKS_COMPLETED, Topics.ASSETS_ARCHIVED, Topics.REQUESTS_FAILED, Topics.TASKS_COMPLETED
                + Topics.DLT_SUFFIX})
class ArchiverIT {

    private static final String ACCESS_KEY = "archiver-it";
    private static final String SECRET_KEY = "archiver-it-secret-" + UUID.randomUUID();
    private static final String BUCKET = "archiver-it-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String ACCOUNT = "acct-it";
    private static final int SMALL_SIZE = 300 * 1024;
    private static final long LARGE_SIZE = 40L * 1024 * 1024;
    private static final String SIGNED_QUERY = "Expires=1768112080&Signature=s3cr3tSignatureValue";

    private static @Nullable S3ProxyProcess s3;
    private static @Nullable Path s3WorkDir;
    private static @Nullable HttpServer assetHost;
    private static @Nullable ExecutorService assetHostThreads;
    private static final Map<String, AtomicInteger> requestCounts = new ConcurrentHashMap<>();
    private static final ConcurrentLinkedQueue<ConsumerRecord<String, String>> outcomes = new ConcurrentLinkedQueue<>();
    private static final AtomicBoolean collecting = new AtomicBoolean();
    private static @Nullable Thread collector;

    @Autowired
    private EmbeddedKafkaBroker broker;

    @Autowired
    private KafkaTemplate<String, Object> kafkaTemplate;

    @BeforeAll
    static void startServices(@org.junit.jupiter.api.io.TempDir Path workDir) throws IOException {
        s3WorkDir = workDir.resolve("s3proxy");
        s3 = S3ProxyProcess.start(S3ProxyProcess.jarFromSystemProperty(), FreePorts.next(), ACCESS_KEY, SECRET_KEY,
                null, s3WorkDir);
        assetHostThreads = Executors.newFixedThreadPool(4);
        assetHost = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        assetHost.createContext("/", ArchiverIT::serveAsset);
        assetHost.setExecutor(assetHostThreads);
        assetHost.start();
    }

    @DynamicPropertySource
    static void archiverProperties(DynamicPropertyRegistry registry) {
        registry.add("klingrelay.archiver.s3.endpoint", () -> s3().endpoint());
        registry.add("klingrelay.archiver.s3.access-key", () -> ACCESS_KEY);
        registry.add("klingrelay.archiver.s3.secret-key", () -> SECRET_KEY);
        registry.add("klingrelay.archiver.bucket", () -> BUCKET);
        registry.add("klingrelay.archiver.retry.initial-delay", () -> "100ms");
        registry.add("klingrelay.archiver.retry.max-delay", () -> "300ms");
        registry.add("klingrelay.archiver.store-outage.initial-delay", () -> "200ms");
        registry.add("klingrelay.archiver.store-outage.max-delay", () -> "1s");
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
        if (assetHostThreads != null) {
            assetHostThreads.shutdownNow();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @BeforeEach
    void startCollecting() {
        if (collecting.compareAndSet(false, true)) {
            collector = Thread.ofPlatform().name("outcome-collector").start(this::collectOutcomes);
        }
    }

    @Test
    void archivesImagesAndPublishesAssetsArchivedWithTheirSha256() throws Exception {
        // GIVEN
        String requestId = newRequestId();
        TaskCompleted task = succeeded(requestId, Product.IMAGE_GENERATION, List.of(
                new TaskAsset(AssetKind.IMAGE, 0, null, assetUrl("/small/" + requestId + "-a.png"), null),
                new TaskAsset(AssetKind.IMAGE, 1, null, assetUrl("/redirect/small/" + requestId + "-b.png"), null)));

        // WHEN
        publish(task);

        // THEN
        AssetsArchived archived = awaitArchived(requestId);
        assertThat(archived.assets()).hasSize(2);
        assertThat(archived.assets().get(0).objectKey()).isEqualTo(ACCOUNT + "/" + requestId + "/image-0.png");
        assertThat(archived.assets().get(1).objectKey()).isEqualTo(ACCOUNT + "/" + requestId + "/image-1.png");
        for (var asset : archived.assets()) {
            String path = "/small/" + requestId + (asset.index() == 0 ? "-a.png" : "-b.png");
            assertThat(asset.size()).isEqualTo(SMALL_SIZE);
            assertThat(asset.sha256()).isEqualTo(sha256Hex(smallAsset(path)));
            assertThat(asset.bucket()).isEqualTo(BUCKET);
            assertThat(asset.contentType()).isEqualTo("image/png");
            assertThat(asset.presignedUrl()).contains(asset.objectKey()).contains("X-Amz-Signature");
            assertThat(storedSha256(asset.objectKey())).isEqualTo(asset.sha256());
            StatObjectResponse stat = minio().statObject(StatObjectArgs.builder().bucket(BUCKET)
                    .object(asset.objectKey()).build());
            assertThat(stat.userMetadata().getFirst(MinioAssetStore.SHA256_METADATA)).isEqualTo(asset.sha256());
            assertThat(stat.userMetadata().getFirst(MinioAssetStore.REQUEST_ID_METADATA)).isEqualTo(requestId);
            assertThat(stat.contentType()).isEqualTo("image/png");
        }
    }

    @Test
    void streamsALargeVideoOfUnknownLengthIntoObjectStorage() throws Exception {
        // GIVEN a 40 MB body generated on the fly, sent chunked without Content-Length
        String requestId = newRequestId();
        TaskCompleted task = succeeded(requestId, Product.TEXT_TO_VIDEO, List.of(
                new TaskAsset(AssetKind.VIDEO, 0, "828338674655576157", assetUrl("/large/" + requestId + ".mp4?"
                        + SIGNED_QUERY), "5.1")));

        // WHEN
        publish(task);

        // THEN
        AssetsArchived archived = awaitArchived(requestId);
        var asset = archived.assets().getFirst();
        String expectedSha256 = sha256Hex(largeAsset());
        assertThat(asset.objectKey()).isEqualTo(ACCOUNT + "/" + requestId + "/video-0.mp4");
        assertThat(asset.size()).isEqualTo(LARGE_SIZE);
        assertThat(asset.sha256()).isEqualTo(expectedSha256);
        assertThat(asset.contentType()).isEqualTo("video/mp4");
        assertThat(asset.sourceAssetId()).isEqualTo("828338674655576157");
        assertThat(storedSha256(asset.objectKey())).isEqualTo(expectedSha256);
    }

    @Test
    void failedTaskEndsWithAGenerationFailure() {
        // GIVEN
        String requestId = newRequestId();
        TaskCompleted task = new TaskCompleted(1, null, requestId, ACCOUNT, "campaign-it", Product.TEXT_TO_VIDEO,
                "task-" + requestId, TaskStatus.FAILED, "content risk check failed", List.of(), StatusSource.WEBHOOK,
                Instant.now());

        // WHEN
        publish(task);

        // THEN
        RequestFailed failed = awaitFailed(requestId);
        assertThat(failed.stage()).isEqualTo(FailureStage.GENERATION);
        assertThat(failed.reason()).isEqualTo("Kling task failed: content risk check failed");
        assertThat(failed.klingMessage()).isEqualTo("content risk check failed");
        assertThat(failed.taskId()).isEqualTo("task-" + requestId);
        assertThat(failed.campaignId()).isEqualTo("campaign-it");
    }

    @Test
    void expiredAssetUrlEndsWithAnArchiveFailureThatHidesTheSignedQuery() {
        // GIVEN
        String requestId = newRequestId();
        TaskCompleted task = succeeded(requestId, Product.TEXT_TO_VIDEO, List.of(
                new TaskAsset(AssetKind.VIDEO, 0, null, assetUrl("/expired/" + requestId + ".mp4?" + SIGNED_QUERY),
                        null)));

        // WHEN
        publish(task);

        // THEN
        RequestFailed failed = awaitFailed(requestId);
        assertThat(failed.stage()).isEqualTo(FailureStage.ARCHIVE);
        assertThat(failed.reason()).contains("asset 0").contains("403").contains("expired")
                .doesNotContain("Signature").doesNotContain("s3cr3t").doesNotContain("/expired/");
        assertThat(requestCount("/expired/" + requestId + ".mp4")).as("a 403 is not retried").isEqualTo(1);
    }

    @Test
    void replayedTaskCompletedDoesNotDownloadAgain() {
        // GIVEN an archived task
        String requestId = newRequestId();
        String path = "/small/" + requestId + ".png";
        TaskCompleted task = succeeded(requestId, Product.IMAGE_GENERATION,
                List.of(new TaskAsset(AssetKind.IMAGE, 0, null, assetUrl(path), null)));
        publish(task);
        AssetsArchived first = awaitArchived(requestId);
        assertThat(requestCount(path)).isEqualTo(1);

        // WHEN the same record is replayed
        publish(task);

        // THEN a second, identical outcome, and no second download
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(outcomesFor(Topics.ASSETS_ARCHIVED, requestId)).hasSize(2));
        AssetsArchived second = parse(outcomesFor(Topics.ASSETS_ARCHIVED, requestId).get(1), AssetsArchived.class);
        assertThat(second.eventId()).isEqualTo(first.eventId());
        assertThat(second.assets().getFirst().sha256()).isEqualTo(first.assets().getFirst().sha256());
        assertThat(requestCount(path)).isEqualTo(1);
    }

    @Test
    void transientAssetHostErrorsAreRetried() throws Exception {
        // GIVEN a host that answers 503 twice, then the asset
        String requestId = newRequestId();
        String path = "/flaky/" + requestId + ".png";
        TaskCompleted task = succeeded(requestId, Product.IMAGE_GENERATION,
                List.of(new TaskAsset(AssetKind.IMAGE, 0, null, assetUrl(path), null)));

        // WHEN
        publish(task);

        // THEN
        AssetsArchived archived = awaitArchived(requestId);
        assertThat(archived.assets().getFirst().sha256()).isEqualTo(sha256Hex(smallAsset(path)));
        assertThat(requestCount(path)).isEqualTo(3);
    }

    @Test
    void anObjectStoreOutageDelaysArchivingButFailsNothing() throws Exception {
        // GIVEN the object store is down
        int port = s3().port();
        s3().close();
        String requestId = newRequestId();
        String path = "/small/" + requestId + ".png";
        TaskCompleted task = succeeded(requestId, Product.IMAGE_GENERATION,
                List.of(new TaskAsset(AssetKind.IMAGE, 0, null, assetUrl(path), null)));
        try {
            // WHEN a task completes meanwhile
            publish(task);

            // THEN no outcome is decided while it is down, long after the per-asset budget was spent
            await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(outcomesFor(Topics.REQUESTS_FAILED, requestId)).isEmpty();
                assertThat(outcomesFor(Topics.ASSETS_ARCHIVED, requestId)).isEmpty();
                assertThat(outcomesFor(Topics.dlt(Topics.TASKS_COMPLETED), requestId)).isEmpty();
            });
        } finally {
            // WHEN it comes back (in-memory backend: empty, so the bucket is created again)
            s3 = S3ProxyProcess.start(S3ProxyProcess.jarFromSystemProperty(), port, ACCESS_KEY, SECRET_KEY, null,
                    java.util.Objects.requireNonNull(s3WorkDir));
            minio().makeBucket(MakeBucketArgs.builder().bucket(BUCKET).build());
        }

        // THEN the task is archived
        AssetsArchived archived = awaitArchived(requestId);
        assertThat(archived.assets().getFirst().sha256()).isEqualTo(sha256Hex(smallAsset(path)));
        assertThat(storedSha256(archived.assets().getFirst().objectKey())).isEqualTo(sha256Hex(smallAsset(path)));
    }

    @Test
    void hostOutsideTheAllowListIsRefusedWithoutAnyRequest() {
        // GIVEN localhost, which is not on the allow-list (only 127.0.0.1 is)
        String requestId = newRequestId();
        String url = "http://localhost:" + assetHost().getAddress().getPort() + "/small/" + requestId + ".png";
        TaskCompleted task = succeeded(requestId, Product.IMAGE_GENERATION,
                List.of(new TaskAsset(AssetKind.IMAGE, 0, null, url, null)));

        // WHEN
        publish(task);

        // THEN
        RequestFailed failed = awaitFailed(requestId);
        assertThat(failed.stage()).isEqualTo(FailureStage.ARCHIVE);
        assertThat(failed.reason()).contains("asset 0").contains("localhost").contains("allowed-hosts");
        assertThat(requestCount("/small/" + requestId + ".png")).isZero();
    }

    @Test
    void recordThatCannotBeDeserializedGoesToTheDeadLetterTopic() {
        // GIVEN
        String key = "poison-" + newRequestId();

        // WHEN
        kafkaTemplate.send(Topics.TASKS_COMPLETED, key, "{not json".getBytes(StandardCharsets.UTF_8));

        // THEN
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(outcomesFor(Topics.dlt(Topics.TASKS_COMPLETED), key)).singleElement()
                        .satisfies(record -> assertThat(record.value()).isEqualTo("{not json")));
    }

    // ---- fixtures

    private static String newRequestId() {
        return "it-" + UUID.randomUUID();
    }

    private static TaskCompleted succeeded(String requestId, Product product, List<TaskAsset> assets) {
        return new TaskCompleted(1, null, requestId, ACCOUNT, null, product, "task-" + requestId, TaskStatus.SUCCEED,
                "", assets, StatusSource.WEBHOOK, Instant.now());
    }

    private void publish(TaskCompleted task) {
        kafkaTemplate.send(Topics.TASKS_COMPLETED, task.requestId(), task).join();
    }

    private static String assetUrl(String pathAndQuery) {
        return "http://127.0.0.1:" + assetHost().getAddress().getPort() + pathAndQuery;
    }

    private AssetsArchived awaitArchived(String requestId) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(outcomesFor(Topics.ASSETS_ARCHIVED, requestId)).isNotEmpty());
        assertThat(outcomesFor(Topics.REQUESTS_FAILED, requestId)).isEmpty();
        return parse(outcomesFor(Topics.ASSETS_ARCHIVED, requestId).getFirst(), AssetsArchived.class);
    }

    private RequestFailed awaitFailed(String requestId) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(outcomesFor(Topics.REQUESTS_FAILED, requestId)).isNotEmpty());
        assertThat(outcomesFor(Topics.ASSETS_ARCHIVED, requestId)).isEmpty();
        return parse(outcomesFor(Topics.REQUESTS_FAILED, requestId).getFirst(), RequestFailed.class);
    }

    private static List<ConsumerRecord<String, String>> outcomesFor(String topic, String key) {
        return outcomes.stream().filter(r -> r.topic().equals(topic) && key.equals(r.key())).toList();
    }

    private static <T> T parse(ConsumerRecord<String, String> record, Class<T> type) {
        return EventJson.mapper().readValue(record.value(), type);
    }

    private void collectOutcomes() {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "archiver-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.ASSETS_ARCHIVED, Topics.REQUESTS_FAILED,
                    Topics.dlt(Topics.TASKS_COMPLETED)));
            while (collecting.get()) {
                consumer.poll(Duration.ofMillis(200)).forEach(outcomes::add);
            }
        }
    }

    private static int requestCount(String path) {
        return requestCounts.getOrDefault(path, new AtomicInteger()).get();
    }

    // ---- the asset host

    private static void serveAsset(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            int count = requestCounts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            if (path.startsWith("/redirect/")) {
                exchange.getResponseHeaders().add("Location", path.substring("/redirect".length()));
                exchange.sendResponseHeaders(302, -1);
            } else if (path.startsWith("/expired/")) {
                exchange.sendResponseHeaders(403, -1);
            } else if (path.startsWith("/flaky/") && count <= 2) {
                exchange.sendResponseHeaders(503, -1);
            } else if (path.startsWith("/large/")) {
                exchange.getResponseHeaders().add("Content-Type", "video/mp4");
                exchange.sendResponseHeaders(200, 0); // chunked: length unknown
                streamLarge(exchange.getResponseBody());
            } else {
                byte[] body = smallAsset(path);
                exchange.getResponseHeaders().add("Content-Type", "image/png");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        }
    }

    private static byte[] smallAsset(String path) {
        byte[] body = new byte[SMALL_SIZE];
        new Random(path.hashCode()).nextBytes(body);
        return body;
    }

    private static void streamLarge(OutputStream out) throws IOException {
        Random random = new Random(42);
        byte[] chunk = new byte[64 * 1024];
        for (long sent = 0; sent < LARGE_SIZE; sent += chunk.length) {
            random.nextBytes(chunk);
            out.write(chunk);
        }
    }

    private static InputStream largeAsset() {
        return new InputStream() {
            private final Random random = new Random(42);
            private final byte[] chunk = new byte[64 * 1024];
            private long position;
            private int offset = chunk.length;

            @Override
            public int read() {
                if (position >= LARGE_SIZE) {
                    return -1;
                }
                if (offset == chunk.length) {
                    random.nextBytes(chunk);
                    offset = 0;
                }
                position++;
                return chunk[offset++] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int off, int len) {
                if (position >= LARGE_SIZE) {
                    return -1;
                }
                if (offset == chunk.length) {
                    random.nextBytes(chunk);
                    offset = 0;
                }
                int n = Math.min(len, chunk.length - offset);
                System.arraycopy(chunk, offset, buffer, off, n);
                offset += n;
                position += n;
                return n;
            }
        };
    }

    // ---- object storage

    private static MinioClient minio() {
        return MinioClient.builder().endpoint(s3().endpoint()).region("us-east-1")
                .credentials(ACCESS_KEY, SECRET_KEY).build();
    }

    private static String storedSha256(String objectKey) throws Exception {
        try (InputStream in = minio().getObject(GetObjectArgs.builder().bucket(BUCKET).object(objectKey).build())) {
            return sha256Hex(in);
        }
    }

    private static String sha256Hex(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static String sha256Hex(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (DigestInputStream digesting = new DigestInputStream(in, digest)) {
            digesting.transferTo(OutputStream.nullOutputStream());
        }
        return java.util.HexFormat.of().formatHex(digest.digest());
    }

    private static S3ProxyProcess s3() {
        return java.util.Objects.requireNonNull(s3, "s3proxy not started");
    }

    private static HttpServer assetHost() {
        return java.util.Objects.requireNonNull(assetHost, "asset host not started");
    }

}
