package io.klingrelay.deploy.bench;

import io.klingrelay.common.event.GenerationRequest;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admission benchmark of issue 4. Prints three figures and a block for the README (also
 * written to {@code <klingrelay.bench.output>/admission-bench.md}):
 * <ol>
 *   <li>permit utilisation: {@value #TASKS} text-to-video tasks of 2 s (emulator phases submitted 0 s,
 *       processing 2 s, time scale 1.0) on one account whose limit is {@value #LIMIT} on both sides,
 *       one submitter; makespan = first request's publish → last {@code tasks.completed} record,
 *       divided by the ideal {@value #TASKS} × 2 s / {@value #LIMIT} = 100 s (target ≤ 1.03);</li>
 *   <li>acquire+release pairs per second of coordination's {@code RequestQueue} against a local
 *       redis-server ({@link QueueThroughput}), beside {@code redis-benchmark}'s EVAL figure;</li>
 *   <li>dispatch latency of run 1: for each create after the first {@value #LIMIT}, its emulator
 *       {@code created_at} minus the {@code tasks.completed} record timestamp of the completion
 *       that freed its permit; p50 and p99.</li>
 * </ol>
 * Run: {@code ./klingrelay bench}, or {@code ./mvnw -B -pl deploy -am -Pbench -DskipTests verify}.
 */
public final class AdmissionBench {

    private static final Logger log = LoggerFactory.getLogger(AdmissionBench.class);
    private static final int TASKS = 500;
    private static final int LIMIT = 10;
    private static final Duration TASK_DURATION = Duration.ofSeconds(2);
    private static final String ACCOUNT = "bench";

    private AdmissionBench() {
    }

    /**
     * @param args ignored; configuration comes from the system properties the bench profile sets
     *             ({@code klingrelay.kafka.lib}, {@code klingrelay.services.dir},
     *             {@code klingrelay.s3proxy.jar}, {@code klingrelay.bench.output})
     * @throws IOException when the data folder or the report cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path output = Path.of(System.getProperty("klingrelay.bench.output", "target/bench"));
        // a fresh folder per run (Kafka and Redis data, the processes' logs), kept for inspection
        Path dataDir = Files.createTempDirectory(Files.createDirectories(output), "run-");
        UtilisationRun utilisation = runUtilisation(dataDir.resolve("stack"));
        QueueThroughput.Result throughput = QueueThroughput.measure(dataDir.resolve("redis"));
        String report = report(utilisation, throughput);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.println(report);
        Files.writeString(output.resolve("admission-bench.md"), report + System.lineSeparator());
        log.info("benchmark report written to {}", output.resolve("admission-bench.md").toAbsolutePath());
    }

    private static UtilisationRun runUtilisation(Path dataDir) {
        Path services = Path.of(System.getProperty("klingrelay.services.dir", "target/services"));
        KlingTarget.Emulator emulator = new KlingTarget.Emulator(
                List.of(KlingAccount.withRandomKeys(ACCOUNT, LIMIT)), 1.0);
        StackConfig config = new StackConfig(dataDir, KafkaBrokerProcess.libFromSystemProperty(), services,
                S3ProxyProcess.jarFromSystemProperty(), emulator, Duration.ofSeconds(30), Duration.ofSeconds(1),
                Duration.ofMinutes(4))
                .withProperties(Service.KLING_EMULATOR, Map.of(
                        "klingrelay.emulator.phases.text2video.submitted", "0s",
                        "klingrelay.emulator.phases.text2video.processing", TASK_DURATION.toMillis() + "ms",
                        "klingrelay.emulator.callbacks.intermediate", "false",
                        "logging.level.io.klingrelay.klingemulator.callback", "DEBUG"));
        try (LocalStack stack = LocalStack.start(config);
                RequestPublisher publisher = new RequestPublisher(stack.bootstrapServers());
                PipelineEvents events = PipelineEvents.start(stack.bootstrapServers())) {
            AdminApi emulatorAdmin = new AdminApi(Objects.requireNonNull(stack.emulatorBaseUrl()));
            UtilisationRun run = UtilisationRun.execute(publisher, events, emulatorAdmin);
            log.info("emulator stats of {}: {}; submitter state: {}", ACCOUNT, emulatorAdmin.emulatorAccountStats(ACCOUNT),
                    new AdminApi(stack.submitterBaseUrl(1)).submitterAccount(ACCOUNT));
            return run;
        }
    }

    private static String report(UtilisationRun run, QueueThroughput.Result throughput) {
        double idealMs = (double) TASKS * TASK_DURATION.toMillis() / LIMIT;
        List<Long> latencies = run.dispatchLatenciesMs();
        return String.join(System.lineSeparator(),
                "### Admission benchmark (`./klingrelay bench`)",
                "",
                "| figure | result |",
                "|---|---|",
                "| permit utilisation: %d × %d s text-to-video tasks, limit %d, 1 submitter | makespan %.1f s (first publish → last tasks.completed), ideal %.0f s, **ratio %.3f** (target ≤ 1.03: %s); last assets.archived after %.1f s |"
                        .formatted(TASKS, TASK_DURATION.toSeconds(), LIMIT, run.makespanMs() / 1000.0,
                                idealMs / 1000.0, run.makespanMs() / idealMs,
                                run.makespanMs() / idealMs <= 1.03 ? "met" : "missed", run.archivedSpanMs() / 1000.0),
                "| RequestQueue acquire+release pairs/s (park+take, endDispatch; %d threads, local redis-server) | **%.0f pairs/s** (%.0f Lua EVALs/s) |"
                        .formatted(throughput.threads(), throughput.pairsPerSecond(), throughput.pairsPerSecond() * 3),
                "| redis-benchmark `-n 200000 -c 50 eval \"return redis.call('incr',KEYS[1])\" 1 bench:key`, same server | %s |"
                        .formatted(throughput.redisBenchmark()),
                "| dispatch latency, permit release (tasks.completed record) → next create (emulator created_at), %d creates | **p50 %d ms, p99 %d ms** (max %d ms) |"
                        .formatted(latencies.size(), percentile(latencies, 50), percentile(latencies, 99),
                                latencies.isEmpty() ? 0 : latencies.getLast()),
                "| where the rest of a cycle goes: Kling's end (updated_at) → tasks.completed record (callback, ledger, Kafka) | p50 %d ms, p99 %d ms; first publish → first create %d ms |"
                        .formatted(percentile(run.handOffsMs(), 50), percentile(run.handOffsMs(), 99), run.firstCreateMs()),
                "| the emulated Kling itself: task duration (updated_at − created_at, ideal 2,000 ms) | p50 %d ms, p99 %d ms, max %d ms |"
                        .formatted(percentile(run.taskDurationsMs(), 50), percentile(run.taskDurationsMs(), 99),
                                run.taskDurationsMs().getLast()),
                "",
                "Machine: %d cores, Java %s; every process (Kafka, Redis, s3proxy, emulator, four services, bench) on it."
                        .formatted(Runtime.getRuntime().availableProcessors(), Runtime.version().feature()));
    }

    /** Nearest-rank percentile of sorted values; 0 when empty. */
    static long percentile(List<Long> sorted, int percent) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size(), rank) - 1));
    }

    /**
     * One run of {@value #TASKS} tasks and what it measured.
     *
     * @param makespanMs          first publish → last tasks.completed record, ms
     * @param archivedSpanMs      first publish → last assets.archived record, ms
     * @param firstCreateMs       first publish → first create (emulator {@code created_at}), ms
     * @param dispatchLatenciesMs per create after the first {@value #LIMIT}, sorted ascending
     * @param handOffsMs          per task, Kling's end ({@code updated_at}) → its tasks.completed record
     *                            (callback, ledger, Kafka), sorted ascending
     * @param taskDurationsMs     per task, the emulator's own {@code updated_at − created_at} (2 s ideally),
     *                            sorted ascending: how late the emulated Kling itself ran
     */
    record UtilisationRun(long makespanMs, long archivedSpanMs, long firstCreateMs, List<Long> dispatchLatenciesMs,
            List<Long> handOffsMs, List<Long> taskDurationsMs) {

        static UtilisationRun execute(RequestPublisher publisher, PipelineEvents events, AdminApi emulator) {
            List<GenerationRequest> batch = new ArrayList<>();
            String run = KlingAccount.randomHex(3);
            for (int i = 0; i < TASKS; i++) {
                batch.add(RequestPublisher.video("bench-" + run + "-" + i, ACCOUNT, "bench-" + run));
            }
            List<String> ids = batch.stream().map(GenerationRequest::requestId).toList();
            log.info("publishing {} requests; ideal makespan {} s", TASKS, TASKS * TASK_DURATION.toSeconds() / LIMIT);
            long firstPublish = Collections.min(publisher.publishAll(batch).values());
            awaitArchived(events, ids);
            long lastCompleted = ids.stream().mapToLong(id -> events.completed().get(id).getFirst().timestampMs()).max()
                    .orElseThrow();
            long lastArchived = lastArchived(events, ids);
            Map<String, AdminApi.TaskTimes> times = new HashMap<>();
            ids.forEach(id -> times.put(id, emulator.taskTimes(events.completed().get(id).getFirst().event().taskId())));
            List<Long> creates = ids.stream().map(id -> times.get(id).createdAt()).sorted().toList();
            List<Long> completions = ids.stream().map(id -> events.completed().get(id).getFirst().timestampMs())
                    .sorted().toList();
            List<Long> handOffs = ids.stream()
                    .map(id -> events.completed().get(id).getFirst().timestampMs() - times.get(id).updatedAt())
                    .sorted().toList();
            List<Long> durations = ids.stream().map(id -> times.get(id).updatedAt() - times.get(id).createdAt())
                    .sorted().toList();
            return new UtilisationRun(lastCompleted - firstPublish, lastArchived - firstPublish,
                    creates.getFirst() - firstPublish, latencies(creates, completions), handOffs, durations);
        }

        private static void awaitArchived(PipelineEvents events, List<String> ids) {
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

        private static long lastArchived(PipelineEvents events, List<String> ids) {
            // AssetsArchived carries no record timestamp in the index; its archivedAt is the archiver's clock
            return ids.stream().mapToLong(id -> events.archived().get(id).archivedAt().toEpochMilli()).max()
                    .orElseThrow();
        }

        /** k-th create (k &gt; LIMIT, by created_at) against the (k − LIMIT)-th completion (by record time). */
        private static List<Long> latencies(List<Long> creates, List<Long> completions) {
            List<Long> latencies = new ArrayList<>();
            for (int k = LIMIT; k < creates.size(); k++) {
                latencies.add(creates.get(k) - completions.get(k - LIMIT));
            }
            Collections.sort(latencies);
            return latencies;
        }
    }
}
