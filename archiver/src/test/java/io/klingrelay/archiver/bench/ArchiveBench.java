package io.klingrelay.archiver.bench;

import io.klingrelay.archiver.archive.ArchiveService;
import io.klingrelay.archiver.archive.MinioAssetStore;
import io.klingrelay.archiver.download.AssetDownloader;
import io.klingrelay.archiver.download.HostPolicy;
import io.klingrelay.common.event.AssetKind;
import io.klingrelay.common.event.AssetsArchived;
import io.klingrelay.common.event.KlingRelayEvent;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.event.StatusSource;
import io.klingrelay.common.event.TaskAsset;
import io.klingrelay.common.event.TaskCompleted;
import io.klingrelay.common.event.TaskStatus;
import io.klingrelay.coordination.retry.FullJitterBackOff;
import io.klingrelay.localstack.FreePorts;
import io.klingrelay.localstack.S3ProxyProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive benchmark (issue 10, "Speed and memory"): {@code ./klingrelay bench archive}, or
 * {@code ./mvnw -B -pl archiver -am -Pbench -DskipTests verify}. Prints the figures and writes them to
 * {@code archiver/target/bench/archive-bench.md}.
 *
 * <ol>
 *   <li>(a) large assets: {@code bench.large.count} × {@code bench.large.bytes} videos archived
 *       {@code bench.concurrency} at a time through the archiver's own data path (SSRF-safe
 *       downloader, SHA-256 on the way, multipart into s3proxy, outcome event built), divided by a
 *       plain MinIO SDK multipart PUT of the same bytes into the same s3proxy, as many at a time, in
 *       the same run;</li>
 *   <li>(b) one {@code bench.huge.bytes} (2 GiB) asset archived while the heap is sampled (used, and
 *       live after each GC via the heap pools' collection usage), SHA-256 verified against the
 *       source and against the stored object;</li>
 *   <li>(c) the archiver alone through Kafka and Redis: {@link EndToEndBench} (the whole pipeline is deploy's
 *       {@code io.klingrelay.deploy.bench.EndToEndBench}).</li>
 * </ol>
 * Assets come from an in-bench HTTP server ({@link AssetServer}), not the emulator: it keeps the
 * emulator's heap out of the archiver's process for (b).
 */
public final class ArchiveBench {

    private static final Logger log = LoggerFactory.getLogger(ArchiveBench.class);
    private static final String ACCESS_KEY = "archive-bench";
    private static final String SECRET_KEY = "archive-bench-" + UUID.randomUUID();
    private static final long PART_SIZE = 16L * 1024 * 1024;
    private static final double MB = 1_000_000.0;
    private static final double MIB = 1024.0 * 1024;

    private ArchiveBench() {
    }

    /**
     * @param args ignored; settings are system properties ({@code bench.*})
     * @throws Exception when the bench cannot run
     */
    public static void main(String[] args) throws Exception {
        int largeCount = Integer.getInteger("bench.large.count", 20);
        long largeBytes = Long.getLong("bench.large.bytes", 200_000_000L);
        long hugeBytes = Long.getLong("bench.huge.bytes", 2L * 1024 * 1024 * 1024);
        int concurrency = Integer.getInteger("bench.concurrency", 4);
        boolean endToEnd = Boolean.parseBoolean(System.getProperty("bench.e2e", "true"));
        boolean largeAndHuge = Boolean.parseBoolean(System.getProperty("bench.large", "true"));
        Path output = Path.of(System.getProperty("klingrelay.bench.output", "target/bench"));
        Path work = Files.createTempDirectory("archive-bench-");
        StringBuilder report = new StringBuilder("# Archive benchmark\n\n")
                .append("Run ").append(Instant.now()).append(" on ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores; s3proxy 4.1.0 (filesystem backend, ").append(work).append("); assets from an in-bench HTTP server.\n\n");
        try (S3ProxyProcess s3 = S3ProxyProcess.start(S3ProxyProcess.jarFromSystemProperty(), FreePorts.next(),
                ACCESS_KEY, SECRET_KEY, Files.createDirectories(work.resolve("data")), work);
                AssetServer assets = AssetServer.start()) {
            MinioClient raw = client(s3);
            MinioClient archiverClient = client(s3);
            raw.makeBucket(MakeBucketArgs.builder().bucket("raw").build());
            raw.makeBucket(MakeBucketArgs.builder().bucket("archive").build());
            ArchiveService service = archiveService(archiverClient, concurrency);
            if (largeAndHuge) {
                warmUp(raw, service, assets);
                large(report, raw, service, assets, largeCount, largeBytes, concurrency);
                write(output, report);
                huge(report, archiverClient, service, assets, hugeBytes);
                write(output, report);
            }
            if (endToEnd) {
                try {
                    EndToEndBench.run(report, s3, raw, work);
                } catch (Exception | AssertionError e) {
                    report.append("## (c) failed: ").append(e).append("\n\n");
                    log.error("end-to-end bench failed", e);
                }
            }
        } finally {
            deleteQuietly(work);
        }
        write(output, report);
        log.info("\n{}", report);
        System.exit(0); // the embedded broker and client threads are not all daemons
    }

    private static void write(Path output, StringBuilder report) throws java.io.IOException {
        Files.createDirectories(output);
        Files.writeString(output.resolve("archive-bench.md"), report.toString());
    }

    private static MinioClient client(S3ProxyProcess s3) {
        return MinioClient.builder().endpoint(s3.endpoint()).region("us-east-1").credentials(ACCESS_KEY, SECRET_KEY)
                .build();
    }

    private static ArchiveService archiveService(MinioClient client, int concurrency) {
        AssetDownloader downloader = new AssetDownloader(new HostPolicy(List.of("127.0.0.1"), true),
                5L * 1024 * 1024 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(60));
        MinioAssetStore store = new MinioAssetStore(client, "archive", PART_SIZE);
        return new ArchiveService(downloader, store, new FullJitterBackOff(5, Duration.ofMillis(500),
                Duration.ofSeconds(10)), Duration.ofMinutes(30), Duration.ofDays(7), new SimpleMeterRegistry(),
                Clock.systemUTC(), 3);
    }

    private static void warmUp(MinioClient raw, ArchiveService service, AssetServer assets) throws Exception {
        for (int i = 0; i < 2; i++) {
            putRaw(raw, "warm-up-" + i, 50_000_000L);
            archive(service, assets, 50_000_000L, "warm-up-" + i);
        }
    }

    // ---- (a)

    private static void large(StringBuilder report, MinioClient raw, ArchiveService service, AssetServer assets,
            int count, long bytes, int concurrency) throws Exception {
        String expected = BenchBody.sha256(bytes);
        double rawSeconds = timed(concurrency, count, i -> {
            putRaw(raw, "large-" + i, bytes);
            return null;
        });
        double archiveSeconds = timed(concurrency, count, i -> {
            AssetsArchived archived = archive(service, assets, bytes, "large-" + i);
            if (!archived.assets().getFirst().sha256().equals(expected)) {
                throw new IllegalStateException("SHA-256 mismatch on large-" + i);
            }
            return null;
        });
        double total = (double) count * bytes;
        double rawRate = total / rawSeconds / MB;
        double archiveRate = total / archiveSeconds / MB;
        report.append("## (a) Large assets: ").append(count).append(" × ").append(fmt(bytes / MB)).append(" MB, ")
                .append(concurrency).append(" at a time\n\n")
                .append("| path | seconds | MB/s |\n|---|---|---|\n")
                .append("| raw MinIO SDK multipart PUT (16 MiB parts) | ").append(fmt(rawSeconds)).append(" | ")
                .append(fmt(rawRate)).append(" |\n")
                .append("| archiver (download, SHA-256 on the way, multipart to the final key, checksum object) | ")
                .append(fmt(archiveSeconds)).append(" | ").append(fmt(archiveRate)).append(" |\n\n")
                .append("**archive / raw = ").append(String.format(Locale.ROOT, "%.2f", archiveRate / rawRate))
                .append("** (target ≥ 0.9); every archived SHA-256 equals the source's.\n\n");
    }

    private static void putRaw(MinioClient raw, String name, long bytes) throws Exception {
        try (InputStream body = new BenchBody(bytes)) {
            raw.putObject(PutObjectArgs.builder().bucket("raw").object(name).stream(body, bytes, PART_SIZE)
                    .contentType("video/mp4").build());
        }
    }

    private static AssetsArchived archive(ArchiveService service, AssetServer assets, long bytes, String name) {
        String requestId = name + "-" + UUID.randomUUID();
        TaskCompleted task = new TaskCompleted(1, null, requestId, "acct-bench", null, Product.TEXT_TO_VIDEO,
                "task-" + requestId, TaskStatus.SUCCEED, "", List.of(new TaskAsset(AssetKind.VIDEO, 0, null,
                assets.url(bytes, requestId), null)), StatusSource.WEBHOOK, Instant.now());
        KlingRelayEvent outcome = service.outcomeOf(task, false);
        if (outcome instanceof AssetsArchived archived) {
            return archived;
        }
        throw new IllegalStateException("not archived: " + outcome);
    }

    // ---- (b)

    private static void huge(StringBuilder report, MinioClient client, ArchiveService service, AssetServer assets,
            long bytes) throws Exception {
        String expected = BenchBody.sha256(bytes);
        HeapSampler sampler = HeapSampler.start();
        long started = System.nanoTime();
        AssetsArchived archived = archive(service, assets, bytes, "huge");
        double seconds = (System.nanoTime() - started) / 1e9;
        HeapSampler.Figures heap = sampler.stop();
        String archivedSha = archived.assets().getFirst().sha256();
        String storedSha = storedSha256(client, archived.assets().getFirst().objectKey());
        report.append("## (b) One ").append(fmt(bytes / MIB)).append(" MiB asset\n\n")
                .append("Archived in ").append(fmt(seconds)).append(" s (").append(fmt(bytes / seconds / MB))
                .append(" MB/s). Heap (MemoryMXBean, this process; baseline after System.gc()): baseline ")
                .append(fmt(heap.baseline() / MIB)).append(" MiB; **live-set growth (heap pools' usage after each GC, max) ")
                .append(fmt(heap.peakLiveGrowth() / MIB)).append(" MiB** (target ≤ 64 MiB); growth after the run + System.gc() ")
                .append(fmt(heap.afterGrowth() / MIB)).append(" MiB; peak used incl. garbage not yet collected ")
                .append(fmt(heap.peakUsedGrowth() / MIB)).append(" MiB above baseline; GCs during the run: ")
                .append(heap.collections()).append(".\n\n")
                .append("SHA-256: source ").append(expected).append(", event ").append(archivedSha)
                .append(", stored object ").append(storedSha).append(": ")
                .append(expected.equals(archivedSha) && expected.equals(storedSha) ? "**all equal**" : "**MISMATCH**")
                .append(".\n\n");
    }

    private static String storedSha256(MinioClient client, String objectKey) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(client.getObject(GetObjectArgs.builder().bucket("archive")
                .object(objectKey).build()), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    // ---- helpers

    /** One step of a timed batch. */
    @FunctionalInterface
    interface Step {
        /** @param index the step's index @return ignored @throws Exception on failure */
        Object run(int index) throws Exception;
    }

    static double timed(int concurrency, int count, Step step) throws Exception {
        long started = System.nanoTime();
        try (ExecutorService threads = Executors.newFixedThreadPool(concurrency)) {
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(threads.submit((Callable<Object>) () -> step.run(index)));
            }
            for (Future<Object> future : futures) {
                future.get();
            }
        }
        return (System.nanoTime() - started) / 1e9;
    }

    static String fmt(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.2f", value);
    }

    private static void deleteQuietly(Path folder) {
        try (var paths = Files.walk(folder)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (java.io.IOException e) {
            log.warn("cannot delete {}: {}", folder, e.toString());
        }
    }

    /** Samples the heap every 10 ms: used, and the heap pools' usage after their last GC (the live set). */
    static final class HeapSampler {

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong peakUsed = new AtomicLong();
        private final AtomicLong peakLive = new AtomicLong();
        private final long baseline;
        private final long collectionsBefore;
        private final Thread thread;

        /** Figures in bytes. */
        record Figures(long baseline, long peakLiveGrowth, long afterGrowth, long peakUsedGrowth, long collections) {
        }

        private HeapSampler() {
            System.gc();
            baseline = used();
            collectionsBefore = collections();
            peakLive.set(baseline);
            thread = Thread.ofPlatform().name("heap-sampler").daemon().start(this::sample);
        }

        static HeapSampler start() {
            return new HeapSampler();
        }

        private void sample() {
            while (running.get()) {
                peakUsed.accumulateAndGet(used(), Math::max);
                peakLive.accumulateAndGet(liveAfterLastGc(), Math::max);
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
            }
        }

        Figures stop() throws InterruptedException {
            running.set(false);
            thread.join();
            long collections = collections() - collectionsBefore;
            System.gc();
            long after = used();
            return new Figures(baseline, peakLive.get() - baseline, after - baseline, peakUsed.get() - baseline,
                    collections);
        }

        private static long used() {
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }

        private static long liveAfterLastGc() {
            long live = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                    live += pool.getCollectionUsage().getUsed();
                }
            }
            return live;
        }

        private static long collections() {
            return ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .mapToLong(gc -> Math.max(0, gc.getCollectionCount())).sum();
        }
    }
}
