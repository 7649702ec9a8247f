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
import io.klingrelay.localstack.LocalRedis;
import io.klingrelay.localstack.S3ProxyProcess;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.messages.Item;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
        "klingrelay.archiver.asset-concurrency=3",
        "klingrelay.archiver.download-deadline=" + ArchiverIT.DOWNLOAD_DEADLINE_SECONDS + "s",
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
    /** A signed query valid until 2100 (a download that overruns its deadline on a slow machine is retried). */
    private static final String SIGNED_QUERY = "Expires=4102444800&Signature=s3cr3tSignatureValue";
    /** A signed query whose {@code Expires} (2023-11-14) has passed. */
    private static final String EXPIRED_QUERY = "Expires=1700000000&Signature=s3cr3tSignatureValue";
    static final int DOWNLOAD_DEADLINE_SECONDS = 10;
    private static final Duration UNAVAILABLE_FOR = Duration.ofSeconds(10);
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private static @Nullable S3ProxyProcess s3;
    private static @Nullable LocalRedis redis;
    private static @Nullable MinioClient minio;
    private static @Nullable Path s3WorkDir;
    private static @Nullable HttpServer assetHost;
    private static @Nullable ExecutorService assetHostThreads;
    private static @Nullable ScheduledExecutorService drippers;
    private static final Map<String, Long> firstRequestNanos = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> requestCounts = new ConcurrentHashMap<>();
    /** Request id of every {@code /slow/} download in progress, once per download. */
    private static final ConcurrentLinkedQueue<String> slowInFlight = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger maxSlowTasksAtOnce = new AtomicInteger();
    private static final AtomicInteger maxSlowAssetsOfATaskAtOnce = new AtomicInteger();
    private static final ConcurrentLinkedQueue<ConsumerRecord<String, String>> outcomes = new ConcurrentLinkedQueue<>();
    private static final AtomicBoolean collecting = new AtomicBoolean();
    private static @Nullable Thread collector;

    @Autowired
    private EmbeddedKafkaBroker broker;

    @Autowired
    private KafkaTemplate<String, Object> kafkaTemplate;

    @BeforeAll
    static void startServices(@org.junit.jupiter.api.io.TempDir Path workDir) throws IOException {
        redis = LocalRedis.startFromSystemProperty(Files.createDirectories(workDir.resolve("redis")));
        s3WorkDir = workDir.resolve("s3proxy");
        s3 = S3ProxyProcess.start(S3ProxyProcess.jarFromSystemProperty(), FreePorts.next(), ACCESS_KEY, SECRET_KEY,
                null, s3WorkDir);
        assetHostThreads = Executors.newFixedThreadPool(16);
        drippers = Executors.newSingleThreadScheduledExecutor();
        assetHost = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        assetHost.createContext("/", ArchiverIT::serveAsset);
        assetHost.setExecutor(assetHostThreads);
        assetHost.start();
    }

    @DynamicPropertySource
    static void archiverProperties(DynamicPropertyRegistry registry) {
        java.util.Objects.requireNonNull(redis).springProperties().forEach((name, value) -> registry.add(name, () -> value));
        registry.add("klingrelay.redis.key-prefix", () -> "archiver-it-" + UUID.randomUUID());
        registry.add("klingrelay.archiver.s3.endpoint", () -> s3().endpoint());
        registry.add("klingrelay.archiver.s3.access-key", () -> ACCESS_KEY);
        registry.add("klingrelay.archiver.s3.secret-key", () -> SECRET_KEY);
        registry.add("klingrelay.archiver.bucket", () -> BUCKET);
        registry.add("klingrelay.archiver.retry.initial-delay", () -> "100ms");
        registry.add("klingrelay.archiver.retry.max-delay", () -> "300ms");
        registry.add("klingrelay.archiver.store-outage.initial-delay", () -> "200ms");
        registry.add("klingrelay.archiver.store-outage.max-delay", () -> "1s");
        registry.add("klingrelay.archiver.download-retry.initial-delay", () -> "2s");
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
        if (drippers != null) {
            drippers.shutdownNow();
        }
        if (s3 != null) {
            s3.close();
        }
        if (redis != null) {
            redis.close();
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
                new TaskAsset(AssetKind.VIDEO, 0, null, assetUrl("/expired/" + requestId + ".mp4?" + EXPIRED_QUERY),
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
    void aGoneAnswerBeforeTheSignedExpiryIsRetriedLaterInsteadOfFailingTheRequest() throws Exception {
        // GIVEN a CDN that refuses a URL whose signature is still valid once (403), then serves it
        String requestId = newRequestId();
        String path = "/refused-once/" + requestId + ".png";
        TaskCompleted task = succeeded(requestId, Product.IMAGE_GENERATION,
                List.of(new TaskAsset(AssetKind.IMAGE, 0, null, assetUrl(path + "?" + SIGNED_QUERY), null)));

        // WHEN
        publish(task);

        // THEN
        AssetsArchived archived = awaitArchived(requestId);
        assertThat(archived.assets().getFirst().sha256()).isEqualTo(sha256Hex(smallAsset(path)));
        assertThat(requestCount(path)).isEqualTo(2);
    }

    @Test
    void replayedTaskCompletedIsNeitherDownloadedNorPublishedAgain() {
        // GIVEN an archived task
        String requestId = newRequestId();
        String path = "/small/" + requestId + ".png";
        TaskCompleted task = succeeded(requestId, Product.IMAGE_GENERATION,
                List.of(new TaskAsset(AssetKind.IMAGE, 0, null, assetUrl(path), null)));
        publish(task);
        awaitArchived(requestId);
        assertThat(requestCount(path)).isEqualTo(1);

        // WHEN the same record is replayed
        publish(task);

        // THEN the request keeps its one outcome, and nothing is downloaded again
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(outcomesFor(Topics.ASSETS_ARCHIVED, requestId)).hasSize(1);
            assertThat(outcomesFor(Topics.REQUESTS_FAILED, requestId)).isEmpty();
        });
        assertThat(requestCount(path)).isEqualTo(1);
    }

    @Test
    void aRequestThatFailedIsNotArchivedByALaterCompletionOfItsTask() {
        // GIVEN a request whose completion failed for good (its asset URL had expired)
        String requestId = newRequestId();
        publish(succeeded(requestId, Product.TEXT_TO_VIDEO, List.of(new TaskAsset(AssetKind.VIDEO, 0, null,
                assetUrl("/expired/" + requestId + ".mp4?" + EXPIRED_QUERY), null))));
        awaitFailed(requestId);

        // WHEN another completion of the task arrives whose asset can be archived
        String path = "/small/" + requestId + ".png";
        publish(succeeded(requestId, Product.IMAGE_GENERATION,
                List.of(new TaskAsset(AssetKind.IMAGE, 0, null, assetUrl(path), null))));

        // THEN consumers still see one outcome: the failure
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(outcomesFor(Topics.REQUESTS_FAILED, requestId)).hasSize(1);
            assertThat(outcomesFor(Topics.ASSETS_ARCHIVED, requestId)).isEmpty();
        });
        assertThat(requestCount(path)).isZero();
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
    void aSlowDripHostIsCutOffAtTheDownloadDeadline() {
        // GIVEN a host that sends one byte every 500 ms forever (never reaching the size cap, so the
        // read timeout never fires), behind a URL that has expired meanwhile
        String requestId = newRequestId();
        TaskCompleted task = succeeded(requestId, Product.TEXT_TO_VIDEO, List.of(
                new TaskAsset(AssetKind.VIDEO, 0, null, assetUrl("/drip/" + requestId + ".mp4?" + EXPIRED_QUERY),
                        null)));

        // WHEN
        long started = System.nanoTime();
        publish(task);

        // THEN the download is aborted at the deadline (transient), and as the URL has expired the
        // request fails instead of holding the partition
        RequestFailed failed = awaitFailed(requestId, Duration.ofSeconds(DOWNLOAD_DEADLINE_SECONDS + 15));
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isLessThan(Duration.ofSeconds(DOWNLOAD_DEADLINE_SECONDS + 15));
        assertThat(failed.stage()).isEqualTo(FailureStage.ARCHIVE);
        assertThat(failed.reason()).contains("asset 0").contains("download-deadline").contains("expired")
                .doesNotContain("s3cr3t");
    }

    @Test
    void anHtmlPageServedForAVideoIsNotArchived() throws Exception {
        // GIVEN a host that answers a video URL with an HTML page
        String requestId = newRequestId();
        TaskCompleted task = succeeded(requestId, Product.TEXT_TO_VIDEO, List.of(
                new TaskAsset(AssetKind.VIDEO, 0, null, assetUrl("/html/" + requestId + ".mp4?" + SIGNED_QUERY),
                        null)));

        // WHEN
        publish(task);

        // THEN a permanent archive failure that says what came back, and no object in the bucket
        RequestFailed failed = awaitFailed(requestId);
        assertThat(failed.stage()).isEqualTo(FailureStage.ARCHIVE);
        assertThat(failed.reason()).contains("asset 0 is text/html, not a video");
        assertThat(requestCount("/html/" + requestId + ".mp4")).as("a wrong body is not retried").isEqualTo(1);
        assertThat(objectsUnder(ACCOUNT + "/" + requestId)).isEmpty();
        assertThat(objectsUnder(MinioAssetStore.CHECKSUM_PREFIX + ACCOUNT + "/" + requestId)).isEmpty();
    }

    @Test
    void aJsonErrorBodyWithoutContentTypeServedForAnImageIsNotArchived() throws Exception {
        // GIVEN a host that answers an image URL with a JSON error body and no Content-Type
        String requestId = newRequestId();
        TaskCompleted task = succeeded(requestId, Product.IMAGE_GENERATION, List.of(
                new TaskAsset(AssetKind.IMAGE, 0, null, assetUrl("/json/" + requestId + ".png"), null)));

        // WHEN
        publish(task);

        // THEN
        RequestFailed failed = awaitFailed(requestId);
        assertThat(failed.stage()).isEqualTo(FailureStage.ARCHIVE);
        assertThat(failed.reason()).contains("asset 0").contains("application/json").contains("not an image");
        assertThat(objectsUnder(ACCOUNT + "/" + requestId)).isEmpty();
        assertThat(objectsUnder(MinioAssetStore.CHECKSUM_PREFIX + ACCOUNT + "/" + requestId)).isEmpty();
    }

    @Test
    void anAssetHostDownLongerThanTheRetryBudgetDelaysArchivingWhileTheUrlIsValid() throws Exception {
        // GIVEN a host that answers 503 for 10 s (far past the per-asset retry budget), then the asset;
        // the URL carries no Expires, so it is valid until completedAt + 30 days
        String requestId = newRequestId();
        String path = "/unavailable/" + requestId + ".png";
        TaskCompleted task = succeeded(requestId, Product.IMAGE_GENERATION,
                List.of(new TaskAsset(AssetKind.IMAGE, 0, null, assetUrl(path), null)));

        // WHEN
        publish(task);

        // THEN no failure in between: the task is redelivered until the host answers, then archived
        AssetsArchived archived = awaitArchived(requestId);
        assertThat(archived.assets().getFirst().sha256()).isEqualTo(sha256Hex(smallAsset(path)));
        assertThat(outcomesFor(Topics.REQUESTS_FAILED, requestId)).isEmpty();
        assertThat(requestCount(path)).as("more requests than one delivery's retry budget").isGreaterThan(5);
    }

    @Test
    void anAssetHostThatStaysDownFailsTheRequestOnceTheUrlHasExpired() {
        // GIVEN a host that always answers 503, behind a URL whose Expires has passed
        String requestId = newRequestId();
        String path = "/down/" + requestId + ".mp4";
        TaskCompleted task = succeeded(requestId, Product.TEXT_TO_VIDEO,
                List.of(new TaskAsset(AssetKind.VIDEO, 0, null, assetUrl(path + "?" + EXPIRED_QUERY), null)));

        // WHEN
        publish(task);

        // THEN
        RequestFailed failed = awaitFailed(requestId);
        assertThat(failed.stage()).isEqualTo(FailureStage.ARCHIVE);
        assertThat(failed.reason()).contains("asset 0").contains("503").contains("gave up after 5 attempts")
                .contains("expired").doesNotContain("s3cr3t");
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
    void archivesSeveralTasksAndSeveralAssetsOfATaskAtOnce() {
        // GIVEN three tasks of three images each, every image taking 1 s to serve
        List<TaskCompleted> tasks = new java.util.ArrayList<>();
        for (int t = 0; t < 3; t++) {
            String requestId = newRequestId();
            List<TaskAsset> assets = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                assets.add(new TaskAsset(AssetKind.IMAGE, i, null, assetUrl("/slow/" + requestId + "/" + i + ".png"),
                        null));
            }
            tasks.add(succeeded(requestId, Product.IMAGE_GENERATION, assets));
        }

        // WHEN
        tasks.forEach(this::publish);

        // THEN all are archived, with downloads of different tasks and of one task overlapping
        tasks.forEach(task -> assertThat(awaitArchived(task.requestId()).assets()).hasSize(3));
        assertThat(maxSlowTasksAtOnce.get()).as("tasks downloading at once").isGreaterThan(1);
        assertThat(maxSlowAssetsOfATaskAtOnce.get()).as("assets of one task downloading at once").isGreaterThan(1);
    }

    @Test
    void aTaskWhoseAssetHostIsDownDoesNotHoldUpTheTasksAfterIt() {
        // GIVEN a task whose host answers 503 for good, behind a URL valid for another hour
        String stuck = newRequestId();
        publish(succeeded(stuck, Product.TEXT_TO_VIDEO, List.of(new TaskAsset(AssetKind.VIDEO, 0, null,
                assetUrl("/down/" + stuck + ".mp4?Expires=" + Instant.now().plus(Duration.ofHours(1)).getEpochSecond()
                        + "&Signature=s3cr3tSignatureValue"), null))));

        // WHEN six tasks complete after it (on every partition)
        List<String> others = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String requestId = newRequestId();
            others.add(requestId);
            publish(succeeded(requestId, Product.IMAGE_GENERATION, List.of(new TaskAsset(AssetKind.IMAGE, 0, null,
                    assetUrl("/small/" + requestId + ".png"), null))));
        }

        // THEN they are archived while it is retried, with no outcome for it
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> others.forEach(requestId ->
                assertThat(outcomesFor(Topics.ASSETS_ARCHIVED, requestId)).hasSize(1)));
        assertThat(outcomesFor(Topics.REQUESTS_FAILED, stuck)).isEmpty();
        assertThat(outcomesFor(Topics.ASSETS_ARCHIVED, stuck)).isEmpty();
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
        return awaitFailed(requestId, Duration.ofSeconds(60));
    }

    private RequestFailed awaitFailed(String requestId, Duration atMost) {
        await().atMost(atMost).untilAsserted(() ->
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
        String path = exchange.getRequestURI().getPath();
        int count = requestCounts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        if (path.startsWith("/drip/")) {
            exchange.getResponseHeaders().add("Content-Type", "video/mp4");
            exchange.sendResponseHeaders(200, 0); // chunked
            drip(exchange); // the dripper closes the exchange when the client has gone
            return;
        }
        if (path.startsWith("/slow/")) {
            serveSlowly(exchange, path);
            return;
        }
        try (exchange) {
            if (path.startsWith("/redirect/")) {
                exchange.getResponseHeaders().add("Location", path.substring("/redirect".length()));
                exchange.sendResponseHeaders(302, -1);
            } else if (path.startsWith("/expired/") || path.startsWith("/refused-once/") && count == 1) {
                exchange.sendResponseHeaders(403, -1);
            } else if (path.startsWith("/flaky/") && count <= 2) {
                exchange.sendResponseHeaders(503, -1);
            } else if (path.startsWith("/down/") || path.startsWith("/unavailable/") && stillUnavailable(path)) {
                exchange.sendResponseHeaders(503, -1);
            } else if (path.startsWith("/html/")) {
                byte[] body = "<!DOCTYPE html><html><body>504 Gateway Time-out</body></html>"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } else if (path.startsWith("/json/")) {
                byte[] body = "{\"code\":5000,\"message\":\"internal error\"}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
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

    /** Serves a small image after 1 s, recording how many tasks and assets of one task were in flight at once. */
    private static void serveSlowly(HttpExchange exchange, String path) throws IOException {
        String requestId = path.split("/")[2];
        slowInFlight.add(requestId);
        List<String> now = List.copyOf(slowInFlight);
        maxSlowTasksAtOnce.accumulateAndGet((int) now.stream().distinct().count(), Math::max);
        maxSlowAssetsOfATaskAtOnce.accumulateAndGet((int) now.stream().filter(requestId::equals).count(), Math::max);
        try (exchange) {
            await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
            byte[] body = smallAsset(path);
            exchange.getResponseHeaders().add("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        } finally {
            slowInFlight.remove(requestId);
        }
    }

    private static boolean stillUnavailable(String path) {
        long first = firstRequestNanos.computeIfAbsent(path, p -> System.nanoTime());
        return System.nanoTime() - first < UNAVAILABLE_FOR.toNanos();
    }

    /**
     * Writes the start of a video at once, then one byte every 500 ms until the client goes away;
     * closes the exchange then.
     */
    private static void drip(HttpExchange exchange) throws IOException {
        OutputStream out = exchange.getResponseBody();
        out.write(mp4Header());
        out.write(new byte[] {'i', 's', 'o', 'm'});
        out.flush();
        AtomicReference<@Nullable ScheduledFuture<?>> self = new AtomicReference<>();
        self.set(java.util.Objects.requireNonNull(drippers).scheduleAtFixedRate(() -> {
            try {
                out.write(0);
                out.flush();
            } catch (IOException e) {
                exchange.close();
                ScheduledFuture<?> future = self.get();
                if (future != null) {
                    future.cancel(false);
                }
            }
        }, 0, 500, TimeUnit.MILLISECONDS));
    }

    /** A PNG: the PNG signature, then bytes seeded by the path. */
    private static byte[] smallAsset(String path) {
        byte[] body = new byte[SMALL_SIZE];
        new Random(path.hashCode()).nextBytes(body);
        System.arraycopy(PNG_SIGNATURE, 0, body, 0, PNG_SIGNATURE.length);
        return body;
    }

    /** The first 8 bytes of an MP4: a box size, then the {@code ftyp} box type. */
    private static byte[] mp4Header() {
        return new byte[] {0, 0, 0, 0x20, 'f', 't', 'y', 'p'};
    }

    private static void streamLarge(OutputStream out) throws IOException {
        Random random = new Random(42);
        byte[] chunk = new byte[64 * 1024];
        for (long sent = 0; sent < LARGE_SIZE; sent += chunk.length) {
            nextLargeChunk(random, chunk, sent);
            out.write(chunk);
        }
    }

    /** The large video: bytes from {@code random}, starting like an MP4. */
    private static void nextLargeChunk(Random random, byte[] chunk, long position) {
        random.nextBytes(chunk);
        if (position == 0) {
            byte[] header = mp4Header();
            System.arraycopy(header, 0, chunk, 0, header.length);
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
                    nextLargeChunk(random, chunk, position);
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
                    nextLargeChunk(random, chunk, position);
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

    /** One client for the test's checks (building one per call cost seconds per check). */
    private static synchronized MinioClient minio() {
        if (minio == null) {
            minio = MinioClient.builder().endpoint(s3().endpoint()).region("us-east-1")
                    .credentials(ACCESS_KEY, SECRET_KEY).build();
        }
        return minio;
    }

    private static List<String> objectsUnder(String prefix) throws Exception {
        List<String> keys = new java.util.ArrayList<>();
        for (Result<Item> item : minio().listObjects(ListObjectsArgs.builder().bucket(BUCKET).prefix(prefix)
                .recursive(true).build())) {
            keys.add(item.get().objectName());
        }
        return keys;
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
