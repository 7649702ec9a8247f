package io.klingrelay.deploy.bench;

import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.event.StatusSource;
import io.klingrelay.common.event.TaskCompleted;
import io.klingrelay.deploy.harness.AdminApi;
import io.klingrelay.deploy.harness.PipelineEvents;
import io.klingrelay.deploy.harness.RequestPublisher;
import io.klingrelay.deploy.stack.KlingAccount;
import io.klingrelay.deploy.stack.KlingTarget;
import io.klingrelay.deploy.stack.LocalStack;
import io.klingrelay.deploy.stack.Service;
import io.klingrelay.deploy.stack.StackConfig;
import io.klingrelay.localstack.KafkaBrokerProcess;
import io.klingrelay.localstack.S3ProxyProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The completion benchmark of issue 9. On the whole local stack (emulator, submitter, webhook receiver,
 * poller, archiver), {@value #TASKS} text-to-video tasks of similar length (emulator processing
 * {@value #TASK_SECONDS} s ± 10 % uniform, time scale 1.0) on one account with {@value #LIMIT} slots,
 * twice: every callback dropped (the emulator's fault plan), then callbacks healthy. A warm-up of
 * {@value #WARM_UP} tasks with callbacks dropped comes first, so the poller has learned the generation
 * time (the cold start uses the configured default). Per run it prints:
 * <ol>
 *   <li>Kling API calls per completed task: creates + queries (single, by external id, list pages), from
 *       the {@code klingrelay_kling_calls_seconds_count} counters of the submitter and the poller
 *       (Prometheus scrape before and after);</li>
 *   <li>beside it, the usual client loop (one query every 10 s per task from its creation until one sees
 *       it ended), <em>computed</em> from each task's emulator {@code created_at}/{@code updated_at}, and for
 *       a typical 4-minute Kling task;</li>
 *   <li>Kling's terminal status ({@code updated_at}) → the {@code tasks.completed} record timestamp:
 *       p50 and p99.</li>
 * </ol>
 * Written to {@code <klingrelay.bench.output>/completion-bench.md}. Run: {@code ./klingrelay bench}.
 */
public final class CompletionBench {

    private static final Logger log = LoggerFactory.getLogger(CompletionBench.class);
    private static final int TASKS = 1000;
    private static final int WARM_UP = 60;
    private static final int LIMIT = 250;
    private static final int TASK_SECONDS = 10;
    private static final String ACCOUNT = "bench-completion";
    private static final long NAIVE_INTERVAL_MS = 10_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private CompletionBench() {
    }

    /**
     * @param args ignored; configuration comes from the system properties the bench profile sets
     * @throws IOException when the data folder or the report cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path output = Path.of(System.getProperty("klingrelay.bench.output", "target/bench"));
        Path dataDir = Files.createTempDirectory(Files.createDirectories(output), "completion-");
        List<Run> runs = runAll(dataDir.resolve("stack"));
        String report = report(runs);
        new PrintStream(System.out, true, StandardCharsets.UTF_8).println(report);
        Files.writeString(output.resolve("completion-bench.md"), report + System.lineSeparator());
        log.info("benchmark report written to {}", output.resolve("completion-bench.md").toAbsolutePath());
    }

    private static List<Run> runAll(Path dataDir) {
        Path services = Path.of(System.getProperty("klingrelay.services.dir", "target/services"));
        KlingTarget.Emulator emulator = new KlingTarget.Emulator(List.of(KlingAccount.withRandomKeys(ACCOUNT, LIMIT)),
                1.0);
        StackConfig config = new StackConfig(dataDir, KafkaBrokerProcess.libFromSystemProperty(), services,
                S3ProxyProcess.jarFromSystemProperty(), emulator, Duration.ofMinutes(10), Duration.ofSeconds(1),
                Duration.ofMinutes(4))
                .withProperties(Service.KLING_EMULATOR, Map.of(
                        "klingrelay.emulator.phases.text2video.submitted", "0s",
                        "klingrelay.emulator.phases.text2video.processing", TASK_SECONDS + "s",
                        "klingrelay.emulator.phases.text2video.distribution", "uniform",
                        "klingrelay.emulator.phases.text2video.spread", "0.1",
                        "klingrelay.emulator.callbacks.intermediate", "false"))
                // Kling's minutes scaled to the bench's 10 s tasks: the first back-off step and its cap, the
                // default before anything is learned, and the callback grace
                .withProperties(Service.POLLER, Map.of(
                        "klingrelay.poller.query-threads", "32",
                        "klingrelay.poller.recheck", "2s",
                        "klingrelay.poller.schedule.backoff-cap", "10s",
                        "klingrelay.poller.schedule.default-video", "20s",
                        "klingrelay.poller.schedule.callback-grace", "1s"));
        try (LocalStack stack = LocalStack.start(config);
                RequestPublisher publisher = new RequestPublisher(stack.bootstrapServers());
                PipelineEvents events = PipelineEvents.start(stack.bootstrapServers())) {
            AdminApi admin = new AdminApi(Objects.requireNonNull(stack.emulatorBaseUrl()));
            List<String> scrapes = List.of(stack.submitterBaseUrl(1) + "/actuator/prometheus",
                    "http://127.0.0.1:" + stack.port(Service.POLLER) + "/actuator/prometheus");
            List<Run> runs = new ArrayList<>();
            dropCallbacks(admin, true);
            Run.execute("warm-up", WARM_UP, publisher, events, admin, scrapes);
            runs.add(Run.execute("callbacks dropped (100 %)", TASKS, publisher, events, admin, scrapes));
            dropCallbacks(admin, false);
            runs.add(Run.execute("callbacks healthy", TASKS, publisher, events, admin, scrapes));
            return runs;
        }
    }

    private static void dropCallbacks(AdminApi admin, boolean drop) {
        if (drop) {
            admin.send("PUT", "/admin/accounts/" + ACCOUNT + "/faults", "{\"callbacks\":{\"dropRate\":1.0}}");
        } else {
            admin.send("DELETE", "/admin/accounts/" + ACCOUNT + "/faults", null);
        }
    }

    private static String report(List<Run> runs) {
        List<String> lines = new ArrayList<>(List.of(
                "### Completion benchmark (`./klingrelay bench`)",
                "",
                "%d text-to-video tasks of %d s ± 10 %% (emulator, time scale 1.0), %d slots, one account; poller recheck 2 s, back-off cap 10 s, callback grace 1 s, 32 threads, query limit 5/s; after a %d-task warm-up with callbacks dropped (the poller learns the generation time)."
                        .formatted(TASKS, TASK_SECONDS, LIMIT, WARM_UP),
                "",
                "| run | Kling calls per completed task (creates + queries) | the usual loop, a query every 10 s per task (computed from the same tasks) | Kling terminal → tasks.completed | completed by |",
                "|---|---|---|---|---|"));
        for (Run run : runs) {
            lines.add("| %s | **%.3f** (%s) | %.2f | **p50 %d ms, p99 %d ms** (max %d ms) | %s |".formatted(run.name(),
                    run.callsPerTask(), run.calls(), run.naivePerTask(), percentile(run.latenciesMs(), 50),
                    percentile(run.latenciesMs(), 99), run.latenciesMs().getLast(), run.sources()));
        }
        lines.add("");
        lines.add(("Targets: healthy ≤ 1.02 (%s), dropped ≤ 1.5 (%s) calls per task; healthy p99 ≤ 100 ms (%s). "
                + "The usual loop for a typical 4-minute Kling task: 1 + 25 = 26 calls per task.")
                .formatted(met(runs.get(1).callsPerTask() <= 1.02), met(runs.get(0).callsPerTask() <= 1.5),
                        met(percentile(runs.get(1).latenciesMs(), 99) <= 100)));
        lines.add("");
        lines.add("Machine: %d cores, Java %s; every process (Kafka, Redis, s3proxy, emulator, four services, bench) on it."
                .formatted(Runtime.getRuntime().availableProcessors(), Runtime.version().feature()));
        return String.join(System.lineSeparator(), lines);
    }

    private static String met(boolean met) {
        return met ? "met" : "missed";
    }

    /** Nearest-rank percentile of sorted values; 0 when empty. */
    static long percentile(List<Long> sorted, int percent) {
        return AdmissionBench.percentile(sorted, percent);
    }

    /**
     * Sums {@code klingrelay_kling_calls_seconds_count} of the bench account per {@code operation} over
     * the given Prometheus endpoints.
     */
    static Map<String, Double> klingCalls(List<String> scrapeUrls) {
        Map<String, Double> byOperation = new TreeMap<>();
        for (String url : scrapeUrls) {
            for (String line : scrape(url).split("\n")) {
                if (line.startsWith("klingrelay_kling_calls_seconds_count{") && line.contains("account=\"" + ACCOUNT + "\"")) {
                    String operation = line.replaceFirst(".*operation=\"([^\"]*)\".*", "$1");
                    double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    byOperation.merge(operation, value, Double::sum);
                }
            }
        }
        return byOperation;
    }

    /** @return the body of a GET answered 200; IllegalStateException otherwise */
    static String scrape(String url) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(url + " answered HTTP " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("cannot scrape " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted scraping " + url, e);
        }
    }

    /**
     * One run and what it measured.
     *
     * @param name         the run's name
     * @param tasks        tasks completed
     * @param calls        Kling calls made during the run, per operation
     * @param naivePerTask calls per task of the usual 10 s loop for the same tasks (computed)
     * @param latenciesMs  per task, Kling's {@code updated_at} → its tasks.completed record, sorted
     * @param sources      terminal events per source (webhook, poller)
     */
    record Run(String name, int tasks, Map<String, Double> calls, double naivePerTask, List<Long> latenciesMs,
            Map<StatusSource, Long> sources) {

        double callsPerTask() {
            return calls.values().stream().mapToDouble(Double::doubleValue).sum() / tasks;
        }

        static Run execute(String name, int count, RequestPublisher publisher, PipelineEvents events, AdminApi admin,
                List<String> scrapes) {
            Map<String, Double> before = klingCalls(scrapes);
            String run = KlingAccount.randomHex(3);
            List<GenerationRequest> batch = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                batch.add(RequestPublisher.video("completion-" + run + "-" + i, ACCOUNT, "completion-" + run));
            }
            List<String> ids = batch.stream().map(GenerationRequest::requestId).toList();
            log.info("{}: publishing {} requests", name, count);
            publisher.publishAll(batch);
            awaitEnded(events, ids);
            Map<String, Double> after = klingCalls(scrapes);
            Map<String, Double> calls = new TreeMap<>();
            after.forEach((operation, value) -> {
                double delta = value - before.getOrDefault(operation, 0.0);
                if (delta > 0) {
                    calls.put(operation, delta);
                }
            });
            List<Long> latencies = new ArrayList<>();
            long naive = 0;
            Map<StatusSource, Long> sources = new TreeMap<>();
            for (String id : ids) {
                PipelineEvents.Observed<TaskCompleted> completed =
                        events.completed().get(id).getFirst();
                AdminApi.TaskTimes times = admin.taskTimes(completed.event().taskId());
                latencies.add(completed.timestampMs() - times.updatedAt());
                naive += 1 + (times.updatedAt() - times.createdAt()) / NAIVE_INTERVAL_MS + 1;
                sources.merge(completed.event().source(), 1L, Long::sum);
            }
            latencies.sort(null);
            Run result = new Run(name, count, calls, (double) naive / count, latencies, sources);
            log.info("{}: {} calls per task {}, latency p50 {} ms p99 {} ms, sources {}", name,
                    "%.3f".formatted(result.callsPerTask()), calls, percentile(latencies, 50),
                    percentile(latencies, 99), sources);
            return result;
        }

        private static void awaitEnded(PipelineEvents events, List<String> ids) {
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (events.endedCount(ids) < ids.size()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + events.endedCount(ids) + " of " + ids.size()
                            + " requests ended within 10 minutes");
                }
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            }
            long failed = ids.stream().filter(events.failed()::containsKey).count();
            if (failed > 0) {
                throw new IllegalStateException(failed + " requests failed; the figures would be meaningless");
            }
        }
    }
}
