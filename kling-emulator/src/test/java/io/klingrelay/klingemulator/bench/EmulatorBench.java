package io.klingrelay.klingemulator.bench;

import static org.awaitility.Awaitility.await;

import io.klingrelay.klingemulator.KlingEmulatorApplication;
import io.klingrelay.klingemulator.auth.Jwts;
import io.klingrelay.klingemulator.product.ProductRegistry;
import io.klingrelay.klingemulator.spec.Product;
import io.klingrelay.klingemulator.task.Housekeeping;
import io.klingrelay.klingemulator.task.TaskService;
import io.klingrelay.klingemulator.task.TaskStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Benchmark, run only by the {@code bench} profile (README "Emulator" section has the command):
 * <ol>
 *   <li>throughput: starts the emulator on a random port and drives {@code POST /v1/videos/text2video} +
 *       {@code GET /v1/videos/text2video/{task_id}} pairs over loopback from {@code bench.threads} client
 *       threads, each with one keep-alive connection ({@link RawHttpConnection}), for {@code bench.seconds} (after a warm-up), printing pairs/s;</li>
 *   <li>memory: creates {@code bench.tasks} tasks in-process through {@link TaskService} (not HTTP) with a short
 *       retention, and prints the task count and the heap retained after GC before and after eviction.</li>
 * </ol>
 * No assertion: figures are printed, never checked (timed assertions do not belong in the test suite).
 */
public final class EmulatorBench {

    private static final Logger log = LoggerFactory.getLogger(EmulatorBench.class);
    private static final String AK = "ak-bench";
    private static final String SK = "sk-bench-0123456789abcdef0123456789";
    private static final Pattern TASK_ID = Pattern.compile("\"task_id\":\"(\\d+)\"");

    private EmulatorBench() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.getInteger("bench.threads", 32);
        int seconds = Integer.getInteger("bench.seconds", 20);
        int tasks = Integer.getInteger("bench.tasks", 1_000_000);
        if (!Boolean.getBoolean("bench.skipThroughput")) {
            throughput(threads, seconds);
        }
        if (!Boolean.getBoolean("bench.skipMemory")) {
            memory(tasks);
        }
    }

    private static ConfigurableApplicationContext start(String... extra) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--logging.level.root=WARN",
                "--klingrelay.emulator.accounts[0].id=bench", "--klingrelay.emulator.accounts[0].access-key=" + AK,
                "--klingrelay.emulator.accounts[0].secret-key=" + SK,
                "--klingrelay.emulator.accounts[0].concurrency=100000000"));
        args.addAll(List.of(extra));
        return SpringApplication.run(KlingEmulatorApplication.class, args.toArray(String[]::new));
    }

    private static void throughput(int threads, int seconds) throws Exception {
        try (ConfigurableApplicationContext emulator = start("--klingrelay.emulator.time-scale=0.01",
                "--klingrelay.emulator.asset-retention=5s", "--klingrelay.emulator.housekeeping-interval=2s")) {
            int port = ((WebServerApplicationContext) emulator).getWebServer().getPort();
            String bearer = "Bearer " + Jwts.official(AK, SK, System.currentTimeMillis());
            run(port, bearer, threads, Duration.ofSeconds(5));
            long started = System.nanoTime();
            long pairs = run(port, bearer, threads, Duration.ofSeconds(seconds));
            double elapsed = (System.nanoTime() - started) / 1e9;
            log.warn("BENCH throughput: {} create+query pairs in {} s with {} client threads = {} pairs/s ({} requests/s)",
                    pairs, String.format("%.1f", elapsed), threads, Math.round(pairs / elapsed),
                    Math.round(2 * pairs / elapsed));
        }
    }

    private static long run(int port, String bearer, int threads, Duration duration) throws Exception {
        LongAdder pairs = new LongAdder();
        AtomicLong errors = new AtomicLong();
        long deadline = System.nanoTime() + duration.toNanos();
        String path = "/v1/videos/text2video";
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            workers.add(pool.submit(() -> {
                int[] status = new int[1];
                RawHttpConnection connection = new RawHttpConnection("127.0.0.1", port);
                while (System.nanoTime() < deadline) {
                    try {
                        String created = connection.exchange("POST", path, bearer,
                                "{\"prompt\":\"bench\",\"duration\":\"5\"}", status);
                        Matcher matcher = TASK_ID.matcher(created);
                        if (status[0] != 200 || !matcher.find()) {
                            errors.incrementAndGet();
                            continue;
                        }
                        connection.exchange("GET", path + "/" + matcher.group(1), bearer, null, status);
                        if (status[0] == 200) {
                            pairs.increment();
                        } else {
                            errors.incrementAndGet();
                        }
                    } catch (IOException e) {
                        // the server closed the keep-alive connection: open a new one
                        connection.close();
                        connection = new RawHttpConnection("127.0.0.1", port);
                    }
                }
                connection.close();
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        if (errors.get() > 0) {
            log.warn("BENCH {} failed pairs", errors.get());
        }
        return pairs.sum();
    }

    private static void memory(int count) throws Exception {
        try (ConfigurableApplicationContext emulator = start("--klingrelay.emulator.time-scale=0.0001",
                "--klingrelay.emulator.callbacks.enabled=false", "--klingrelay.emulator.asset-retention=1s",
                "--klingrelay.emulator.housekeeping-interval=1h")) {
            TaskService service = emulator.getBean(TaskService.class);
            TaskStore store = emulator.getBean(TaskStore.class);
            Housekeeping housekeeping = emulator.getBean(Housekeeping.class);
            Product t2v = emulator.getBean(ProductRegistry.class).byPath("/v1/videos/text2video").orElseThrow();
            JsonMapper mapper = JsonMapper.builder().build();
            long baseline = retainedHeap();
            long started = System.nanoTime();
            int maxStored = 0;
            for (int i = 0; i < count; i++) {
                JsonNode body = mapper.readTree("{\"prompt\":\"memory " + i + "\",\"external_task_id\":\"mem-" + i + "\"}");
                service.create("bench", t2v, body);
                if (i % 100_000 == 99_999) {
                    int stored = store.size();
                    maxStored = Math.max(maxStored, stored);
                    int evicted = housekeeping.sweep();
                    log.warn("BENCH memory: {} created, {} stored before the sweep, {} evicted, heap after GC {} MB",
                            i + 1, stored, evicted, retainedHeap() / (1024 * 1024));
                }
            }
            double elapsed = (System.nanoTime() - started) / 1e9;
            long withTasks = retainedHeap();
            int storedBefore = store.size();
            AtomicLong evictedTotal = new AtomicLong();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                evictedTotal.addAndGet(housekeeping.sweep());
                return store.size() == 0;
            });
            long evicted = evictedTotal.get();
            long afterEviction = retainedHeap();
            log.warn("BENCH memory: {} tasks created in-process through TaskService in {} s ({} creates/s), "
                    + "at most {} stored at once", count, String.format("%.1f", elapsed), Math.round(count / elapsed),
                    maxStored);
            log.warn("BENCH memory: heap after GC: baseline {} MB, with {} stored tasks {} MB, "
                    + "after evicting {} expired tasks ({} left) {} MB; max heap {} MB",
                    baseline / (1024 * 1024), storedBefore, withTasks / (1024 * 1024), evicted, store.size(),
                    afterEviction / (1024 * 1024), Runtime.getRuntime().maxMemory() / (1024 * 1024));
        }
    }

    private static long retainedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
