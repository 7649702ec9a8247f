package io.klingrelay.deploy.bench;

import io.klingrelay.common.event.AssetsArchived;
import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.event.StatusSource;
import io.klingrelay.common.event.TaskCompleted;
import io.klingrelay.common.event.TaskSubmitted;
import io.klingrelay.common.kafka.Topics;
import io.klingrelay.deploy.harness.AdminApi;
import io.klingrelay.deploy.harness.PipelineEvents;
import io.klingrelay.deploy.harness.RequestPublisher;
import io.klingrelay.deploy.stack.KlingAccount;
import io.klingrelay.deploy.stack.KlingTarget;
import io.klingrelay.deploy.stack.LocalStack;
import io.klingrelay.deploy.stack.Service;
import io.klingrelay.deploy.stack.StackConfig;
import io.klingrelay.deploy.stack.StackEndpoints;
import io.klingrelay.localstack.KafkaBrokerProcess;
import io.klingrelay.localstack.S3ProxyProcess;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Figure (c) of issue 10, end to end: {@code bench.e2e.requests} (default 5,000) image generations published to
 * {@code klingrelay.requests} on the whole local stack (Kafka, redis-server, s3proxy, the Kling emulator, submitter,
 * webhook receiver, poller, archiver, each its own process), spread over {@code bench.e2e.accounts} (4) accounts of
 * {@code bench.e2e.limit} (2,000) slots each. The emulator generates in zero time (image phases 0 s) with callbacks on
 * (terminal callbacks only) and serves 132 × 132 PNGs of about 1 KiB ({@code assets.image-short-side=132}); the
 * archiver runs {@code bench.e2e.concurrency} (32) tasks at once. The run ends when every request has its outcome
 * ({@code assets.archived} or {@code requests.failed}; both are counted, the figure is archived requests per second
 * from the first publish to the last outcome record). Divided by the same s3proxy's raw 1 KiB PUT rate (MinIO SDK,
 * {@code bench.e2e.put-threads} (16) threads, the same count of objects) measured first, in the same run.
 *
 * <p>Where the time goes, per request, from record timestamps and payload times (one machine, one clock): publish →
 * Kling {@code created_at} (intake, admission, create call), {@code created_at} → {@code tasks.submitted} record,
 * Kling {@code updated_at} (terminal) → {@code tasks.completed} record (callback, receiver, produce),
 * {@code tasks.completed} record → {@code archivedAt} (Kafka hop, archiver queue, download, PUT), {@code archivedAt}
 * → {@code assets.archived} record (outcome claim and send); p50, p99 and the rate at which each stage completed,
 * plus each topic's hop to a consumer. Written to {@code <klingrelay.bench.output>/e2e-bench.md}. Run:
 * {@code ./klingrelay bench archive}, or {@code ./mvnw -B -pl deploy -am -Pbench-e2e -DskipTests verify -Dbench.e2e.requests=500}.
 */
public final class EndToEndBench {

    private static final Logger log = LoggerFactory.getLogger(EndToEndBench.class);
    private static final String RAW_BUCKET = "raw-small";
    private static final int IMAGE_SHORT_SIDE = 132;

    private EndToEndBench() {
    }

    /**
     * @param args ignored; configuration comes from system properties ({@code bench.e2e.*} and those the bench
     *             profile sets)
     * @throws Exception when the stack, the raw PUTs or the report fail
     */
    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromSystemProperties();
        Path output = Path.of(System.getProperty("klingrelay.bench.output", "target/bench"));
        Path dataDir = Files.createTempDirectory(Files.createDirectories(output), "e2e-");
        String report = run(settings, dataDir.resolve("stack"));
        new PrintStream(System.out, true, StandardCharsets.UTF_8).println(report);
        Files.writeString(output.resolve("e2e-bench.md"), report + System.lineSeparator());
        log.info("benchmark report written to {}", output.resolve("e2e-bench.md").toAbsolutePath());
    }

    /**
     * The benchmark's knobs.
     *
     * @param requests    requests in the measured run
     * @param warmUp      requests of the warm-up run before it (not measured)
     * @param accounts    Kling accounts the requests are spread over
     * @param limit       each account's concurrency limit (both the emulator's and the submitter's)
     * @param putThreads  threads of the raw PUT baseline
     * @param concurrency the archiver's {@code klingrelay.archiver.concurrency}
     * @param intakeConcurrency the submitter's {@code klingrelay.submitter.intake-concurrency}; 0 = its default
     *                    (1 reproduces the intake before issue 10's change)
     * @param maxInFlight the submitter's {@code klingrelay.submitter.max-in-flight} (dispatches at once); 0 = its default
     */
    record Settings(int requests, int warmUp, int accounts, int limit, int putThreads, int concurrency,
            int intakeConcurrency, int maxInFlight) {

        static Settings fromSystemProperties() {
            return new Settings(Integer.getInteger("bench.e2e.requests", 5000),
                    Integer.getInteger("bench.e2e.warm-up", 200), Integer.getInteger("bench.e2e.accounts", 4),
                    Integer.getInteger("bench.e2e.limit", 2000), Integer.getInteger("bench.e2e.put-threads", 16),
                    Integer.getInteger("bench.e2e.concurrency", 32), Integer.getInteger("bench.e2e.intake-concurrency", 0),
                    Integer.getInteger("bench.e2e.max-in-flight", 0));
        }

        /** @return the submitter properties this run sets (none: its defaults) */
        Map<String, String> submitterProperties() {
            Map<String, String> properties = new LinkedHashMap<>();
            if (intakeConcurrency > 0) {
                properties.put("klingrelay.submitter.intake-concurrency", Integer.toString(intakeConcurrency));
            }
            if (maxInFlight > 0) {
                properties.put("klingrelay.submitter.max-in-flight", Integer.toString(maxInFlight));
            }
            return properties;
        }

        String intakeLabel() {
            return intakeConcurrency == 0 ? "default" : Integer.toString(intakeConcurrency);
        }
    }

    private static String run(Settings settings, Path dataDir) throws Exception {
        List<KlingAccount> accounts = new ArrayList<>();
        for (int i = 0; i < settings.accounts(); i++) {
            accounts.add(KlingAccount.withRandomKeys("bench-e2e-" + i, settings.limit()));
        }
        Path services = Path.of(System.getProperty("klingrelay.services.dir", "target/services"));
        StackConfig config = new StackConfig(dataDir, KafkaBrokerProcess.libFromSystemProperty(), services,
                S3ProxyProcess.jarFromSystemProperty(), new KlingTarget.Emulator(accounts, 1.0), Duration.ofMinutes(10),
                Duration.ofSeconds(1), Duration.ofMinutes(4))
                .withProperties(Service.KLING_EMULATOR, Map.of(
                        "klingrelay.emulator.phases.image-generations.submitted", "0s",
                        "klingrelay.emulator.phases.image-generations.processing", "0s",
                        "klingrelay.emulator.assets.image-short-side", Integer.toString(IMAGE_SHORT_SIDE),
                        "klingrelay.emulator.callbacks.intermediate", "false"))
                .withProperties(Service.ARCHIVER, Map.of(
                        "klingrelay.archiver.concurrency", Integer.toString(settings.concurrency())));
        if (!settings.submitterProperties().isEmpty()) {
            config = config.withProperties(Service.SUBMITTER, settings.submitterProperties());
        }
        try (LocalStack stack = LocalStack.start(config);
                RequestPublisher publisher = new RequestPublisher(stack.bootstrapServers());
                PipelineEvents events = PipelineEvents.start(stack.bootstrapServers())) {
            double rawPutRate = rawPutRate(stack.endpoints(), settings.requests(), settings.putThreads());
            AdminApi admin = new AdminApi(Objects.requireNonNull(stack.emulatorBaseUrl()));
            execute("warm-up", settings.warmUp(), accounts, publisher, events);
            List<ServiceTimer> timers = ServiceTimer.of(stack);
            Map<ServiceTimer, double[]> before = ServiceTimer.scrapeAll(timers);
            SubmitterSampler sampler = SubmitterSampler.start(stack.submitterBaseUrl(1) + "/actuator/prometheus");
            Run run = execute("measured", settings.requests(), accounts, publisher, events);
            List<SubmitterSampler.Sample> samples = sampler.stop();
            Map<ServiceTimer, double[]> after = ServiceTimer.scrapeAll(timers);
            Breakdown breakdown = Breakdown.of(run, events, admin);
            return report(settings, rawPutRate, run, breakdown, events, ServiceTimer.means(timers, before, after))
                    + System.lineSeparator() + System.lineSeparator()
                    + SubmitterSampler.summary(samples, run.firstPublishMs());
        }
    }

    /**
     * The same s3proxy's rate of 1 KiB PUTs with the MinIO SDK: a warm-up of 500, then {@code count} timed.
     *
     * @return PUTs per second
     */
    static double rawPutRate(StackEndpoints endpoints, int count, int threads) throws Exception {
        MinioClient raw = MinioClient.builder().endpoint(endpoints.s3Endpoint()).region("us-east-1")
                .credentials(endpoints.s3AccessKey(), endpoints.s3SecretKey()).build();
        raw.makeBucket(MakeBucketArgs.builder().bucket(RAW_BUCKET).build());
        byte[] body = new byte[1024];
        timed(threads, 500, i -> put(raw, "warm-" + i, body));
        double seconds = timed(threads, count, i -> put(raw, "small-" + i, body));
        log.info("raw 1 KiB PUTs: {} in {} s", count, "%.2f".formatted(seconds));
        return count / seconds;
    }

    private static Object put(MinioClient raw, String name, byte[] body) throws Exception {
        return raw.putObject(PutObjectArgs.builder().bucket(RAW_BUCKET).object(name)
                .stream(new ByteArrayInputStream(body), (long) body.length, -1L).contentType("image/png").build());
    }

    /** One indexed step of {@link #timed}. */
    interface Step {
        Object run(int index) throws Exception;
    }

    /** @return seconds {@code count} steps took on {@code threads} threads */
    static double timed(int threads, int count, Step step) throws InterruptedException, ExecutionException {
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit((Callable<Object>) () -> step.run(index)));
            }
            for (Future<Object> future : futures) {
                future.get();
            }
        }
        return (System.nanoTime() - started) / 1e9;
    }

    /**
     * A published batch and when it ended.
     *
     * @param publishedMs per request id, its {@code klingrelay.requests} record timestamp (epoch ms), in order
     * @param firstPublishMs wall clock just before the first publish (epoch ms)
     * @param lastOutcomeMs the latest outcome record timestamp (epoch ms)
     */
    record Run(Map<String, Long> publishedMs, long firstPublishMs, long lastOutcomeMs) {

        double seconds() {
            return (lastOutcomeMs - firstPublishMs) / 1000.0;
        }
    }

    private static Run execute(String name, int count, List<KlingAccount> accounts, RequestPublisher publisher,
            PipelineEvents events) {
        String run = KlingAccount.randomHex(3);
        List<GenerationRequest> batch = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            batch.add(RequestPublisher.image("e2e-" + run + "-" + i, accounts.get(i % accounts.size()).id(),
                    "e2e-" + run));
        }
        List<String> ids = batch.stream().map(GenerationRequest::requestId).toList();
        log.info("{}: publishing {} requests", name, count);
        long first = System.currentTimeMillis();
        Map<String, Long> published = publisher.publishAll(batch);
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        long ended;
        while ((ended = events.endedCount(ids)) < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + ": only " + ended + " of " + count + " requests ended in 30 min");
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        long last = ids.stream().mapToLong(id -> events.endedTimestamps().get(id)).max().orElse(first);
        Run result = new Run(published, first, last);
        log.info("{}: {} requests ended in {} s ({} archived)", name, count, "%.2f".formatted(result.seconds()),
                events.archivedCount(ids));
        return result;
    }

    /**
     * One stage of a request's way: per request its duration and the time it completed.
     *
     * @param name        what the stage covers
     * @param durationsMs per request, stage end − stage start, sorted
     * @param endsMs      per request, the stage's end (epoch ms), sorted
     */
    record Stage(String name, List<Long> durationsMs, List<Long> endsMs) {

        /** @return requests per second the stage completed, over the window from its first to its last completion */
        double ratePerSecond() {
            long window = endsMs.getLast() - endsMs.getFirst();
            return window <= 0 ? Double.NaN : (endsMs.size() - 1) * 1000.0 / window;
        }
    }

    /**
     * Where the time went, over the requests that were archived.
     *
     * @param stages   the stages in pipeline order
     * @param archived archived requests
     * @param failed   failed requests
     * @param sources  terminal events per source
     */
    record Breakdown(List<Stage> stages, int archived, int failed, Map<StatusSource, Long> sources) {

        static Breakdown of(Run run, PipelineEvents events, AdminApi admin) throws InterruptedException,
                ExecutionException {
            List<String> archivedIds = run.publishedMs().keySet().stream().filter(events.archived()::containsKey)
                    .toList();
            awaitRead(archivedIds, events);
            Map<String, AdminApi.TaskTimes> times = klingTimes(archivedIds, events, admin);
            List<Row> rows = new ArrayList<>();
            Map<StatusSource, Long> sources = new TreeMap<>();
            for (String id : archivedIds) {
                List<PipelineEvents.Observed<TaskSubmitted>> submitted = events.submitted().get(id);
                PipelineEvents.Observed<TaskCompleted> completed = events.completed().get(id).getFirst();
                AssetsArchived archived = events.archived().get(id);
                AdminApi.TaskTimes kling = times.get(id);
                // tasks.submitted is informational (a task whose event was not acknowledged has none)
                long submittedMs = submitted == null ? kling.createdAt() : submitted.getFirst().timestampMs();
                rows.add(new Row(run.publishedMs().get(id), kling.createdAt(), submittedMs,
                        kling.updatedAt(), completed.timestampMs(), archived.archivedAt().toEpochMilli(),
                        events.endedTimestamps().get(id)));
                sources.merge(completed.event().source(), 1L, Long::sum);
            }
            List<Stage> stages = List.of(
                    stage("publish → Kling created_at (intake, admission, create call)", rows, Row::published,
                            Row::created),
                    stage("Kling created_at → tasks.submitted record (record the task, produce)", rows, Row::created,
                            Row::submitted),
                    stage("Kling created_at → updated_at (generation; zero here)", rows, Row::created, Row::ended),
                    stage("Kling updated_at → tasks.completed record (callback, webhook receiver, produce)", rows,
                            Row::ended, Row::completed),
                    stage("tasks.completed record → archivedAt (Kafka hop, archiver queue, download, PUT)", rows,
                            Row::completed, Row::archivedAt),
                    stage("archivedAt → assets.archived record (claim the outcome, produce)", rows, Row::archivedAt,
                            Row::outcome),
                    stage("publish → assets.archived record (end to end)", rows, Row::published, Row::outcome));
            int failed = (int) run.publishedMs().keySet().stream().filter(events.failed()::containsKey).count();
            return new Breakdown(stages, archivedIds.size(), failed, sources);
        }

        /** The reader sees the topics in its own order: waits up to 30 s until it has read each request's completion. */
        private static void awaitRead(List<String> ids, PipelineEvents events) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!ids.stream().allMatch(events.completed()::containsKey)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("an archived request's tasks.completed record was not read in 30 s");
                }
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            }
        }

        private static Stage stage(String name, List<Row> rows, ToLongFunction<Row> start, ToLongFunction<Row> end) {
            List<Long> durations = new ArrayList<>(rows.size());
            List<Long> ends = new ArrayList<>(rows.size());
            for (Row row : rows) {
                durations.add(end.applyAsLong(row) - start.applyAsLong(row));
                ends.add(end.applyAsLong(row));
            }
            durations.sort(null);
            ends.sort(null);
            return new Stage(name, durations, ends);
        }

        /** Kling's created_at and updated_at of every task, from the emulator's admin API on 4 threads. */
        private static Map<String, AdminApi.TaskTimes> klingTimes(List<String> ids, PipelineEvents events,
                AdminApi admin) throws InterruptedException, ExecutionException {
            Map<String, Future<AdminApi.TaskTimes>> futures = new LinkedHashMap<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
                for (String id : ids) {
                    String taskId = events.completed().get(id).getFirst().event().taskId();
                    futures.put(id, pool.submit(() -> admin.taskTimes(taskId)));
                }
            }
            Map<String, AdminApi.TaskTimes> times = new LinkedHashMap<>();
            for (Map.Entry<String, Future<AdminApi.TaskTimes>> entry : futures.entrySet()) {
                times.put(entry.getKey(), entry.getValue().get());
            }
            return times;
        }
    }

    /** One archived request's timestamps, epoch ms. */
    private record Row(long published, long created, long submitted, long ended, long completed, long archivedAt,
            long outcome) {
    }

    /**
     * A Micrometer timer of one service, read from its Prometheus scrape: the sum and count of its
     * {@code <name>_seconds_sum/_count} series whose labels contain {@code labelFilter}, over every series.
     *
     * @param label       what the report calls it
     * @param url         the service's {@code /actuator/prometheus}
     * @param metric      the Prometheus base name, e.g. {@code klingrelay_submitter_wait_seconds}
     * @param labelFilter a substring the series' labels must contain ("" = all)
     */
    record ServiceTimer(String label, String url, String metric, String labelFilter) {

        static List<ServiceTimer> of(LocalStack stack) {
            String submitter = stack.submitterBaseUrl(1) + "/actuator/prometheus";
            String archiver = "http://127.0.0.1:" + stack.port(Service.ARCHIVER) + "/actuator/prometheus";
            return List.of(
                    new ServiceTimer("submitter: arrival → taken for dispatch (klingrelay.submitter.wait)", submitter,
                            "klingrelay_submitter_wait_seconds", ""),
                    new ServiceTimer("submitter: Kling create call (klingrelay.kling.calls, create)", submitter,
                            "klingrelay_kling_calls_seconds", "operation=\"create\""),
                    new ServiceTimer("archiver: one task archived (klingrelay.archiver.duration, archived)", archiver,
                            "klingrelay_archiver_duration_seconds", "outcome=\"archived\""));
        }

        static Map<ServiceTimer, double[]> scrapeAll(List<ServiceTimer> timers) {
            Map<String, String> bodies = new LinkedHashMap<>();
            Map<ServiceTimer, double[]> values = new LinkedHashMap<>();
            for (ServiceTimer timer : timers) {
                String body = bodies.computeIfAbsent(timer.url(), CompletionBench::scrape);
                values.put(timer, new double[] {timer.sum(body, "_sum"), timer.sum(body, "_count")});
            }
            return values;
        }

        private double sum(String body, String suffix) {
            double total = 0;
            for (String line : body.split("\n")) {
                if (line.startsWith(metric + suffix) && line.contains(labelFilter)) {
                    total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return total;
        }

        /** @return per timer, the mean in ms over the measured run (NaN when nothing was recorded) */
        static Map<String, Double> means(List<ServiceTimer> timers, Map<ServiceTimer, double[]> before,
                Map<ServiceTimer, double[]> after) {
            Map<String, Double> means = new LinkedHashMap<>();
            for (ServiceTimer timer : timers) {
                double count = after.get(timer)[1] - before.get(timer)[1];
                double sum = after.get(timer)[0] - before.get(timer)[0];
                means.put(timer.label() + " — " + (long) count + " recorded", count > 0 ? sum * 1000 / count : Double.NaN);
            }
            return means;
        }
    }

    /** Samples the submitter's intake and dispatch counters every second during the measured run. */
    static final class SubmitterSampler {

        /**
         * One sample.
         *
         * @param atMs    when, epoch ms
         * @param parked  {@code klingrelay.submitter.requests{outcome=parked}} so far
         * @param created {@code klingrelay.submitter.dispatches{outcome=created}} so far
         */
        record Sample(long atMs, double parked, double created) {
        }

        private final String url;
        private final List<Sample> samples = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Thread thread;
        private volatile boolean running = true;

        private SubmitterSampler(String url) {
            this.url = url;
            this.thread = Thread.ofPlatform().daemon(true).name("bench-sampler").unstarted(this::run);
        }

        static SubmitterSampler start(String url) {
            SubmitterSampler sampler = new SubmitterSampler(url);
            sampler.thread.start();
            return sampler;
        }

        private void run() {
            while (running) {
                try {
                    String body = CompletionBench.scrape(url);
                    samples.add(new Sample(System.currentTimeMillis(),
                            sum(body, "klingrelay_submitter_requests_total", "outcome=\"parked\""),
                            sum(body, "klingrelay_submitter_dispatches_total", "outcome=\"created\"")));
                } catch (RuntimeException e) {
                    log.debug("sample failed: {}", e.toString());
                }
                LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
            }
        }

        private static double sum(String body, String prefix, String labelFilter) {
            double total = 0;
            for (String line : body.split("\n")) {
                if (line.startsWith(prefix) && line.contains(labelFilter)) {
                    total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return total;
        }

        List<Sample> stop() throws InterruptedException {
            running = false;
            thread.join(Duration.ofSeconds(5));
            return samples;
        }

        /** @return when intake had parked, and dispatch created, every request, and at what rate */
        static String summary(List<Sample> samples, long firstPublishMs) {
            if (samples.size() < 2) {
                return "Submitter samples: too few.";
            }
            Sample first = samples.getFirst();
            Sample last = samples.getLast();
            double parked = last.parked() - first.parked();
            double created = last.created() - first.created();
            long parkedAt = samples.stream().filter(s -> s.parked() - first.parked() >= parked).findFirst()
                    .orElse(last).atMs();
            long createdAt = samples.stream().filter(s -> s.created() - first.created() >= created).findFirst()
                    .orElse(last).atMs();
            return ("Submitter, sampled every second (Prometheus counters): intake parked %d requests by %s s after the "
                    + "first publish (%s /s); dispatch created %d tasks by %s s (%s /s). Whichever finished last, and "
                    + "slower, bounds the first stage.").formatted((long) parked,
                    fmt((parkedAt - firstPublishMs) / 1000.0), fmt(parked * 1000 / Math.max(1, parkedAt - firstPublishMs)),
                    (long) created, fmt((createdAt - firstPublishMs) / 1000.0),
                    fmt(created * 1000 / Math.max(1, createdAt - firstPublishMs)));
        }
    }

    private static String report(Settings settings, double rawPutRate, Run run, Breakdown breakdown,
            PipelineEvents events, Map<String, Double> serviceMeans) {
        double archivedPerSecond = breakdown.archived() / run.seconds();
        List<Long> sizes = new ArrayList<>();
        run.publishedMs().keySet().stream().map(events.archived()::get).filter(Objects::nonNull)
                .forEach(archived -> archived.assets().forEach(asset -> sizes.add(asset.size())));
        sizes.sort(null);
        List<String> lines = new ArrayList<>(List.of(
                "## (c) End to end: %d requests × one %d×%d PNG (%d–%d B, median %d B)".formatted(settings.requests(),
                        IMAGE_SHORT_SIDE, IMAGE_SHORT_SIDE, sizes.isEmpty() ? 0 : sizes.getFirst(),
                        sizes.isEmpty() ? 0 : sizes.getLast(), AdmissionBench.percentile(sizes, 50)),
                "",
                ("Whole local stack, every service its own process: %d image generations published to klingrelay.requests "
                        + "over %d accounts of %d slots; emulator image phases 0 s, terminal callbacks on; archiver "
                        + "concurrency %d; submitter intake concurrency %s, max-in-flight %s; after a %d-request warm-up. Wall "
                        + "time: first "
                        + "publish → last outcome record.")
                        .formatted(settings.requests(), settings.accounts(), settings.limit(), settings.concurrency(),
                                settings.intakeLabel(), settings.maxInFlight() == 0 ? "default" : settings.maxInFlight(),
                                settings.warmUp()),
                "",
                "| figure | value |",
                "|---|---|",
                "| raw s3proxy 1 KiB PUT rate (MinIO SDK, %d threads, same s3proxy, same run) | %s PUT/s |"
                        .formatted(settings.putThreads(), fmt(rawPutRate)),
                "| archived requests/s end to end | %s /s (%d archived, %d failed in %s s) |".formatted(
                        fmt(archivedPerSecond), breakdown.archived(), breakdown.failed(), fmt(run.seconds())),
                "| terminal events by source | %s |".formatted(breakdown.sources()),
                "",
                "**archived / raw PUT = %.2f** (target ≥ 0.5)".formatted(archivedPerSecond / rawPutRate),
                "",
                "Where the time goes (per archived request; rate = how many per second the stage completed, over the "
                        + "window from its first to its last completion; done = last completion, s after the first publish):",
                "",
                "| stage | p50 ms | p99 ms | max ms | rate /s | done at s |",
                "|---|---|---|---|---|---|"));
        for (Stage stage : breakdown.stages()) {
            lines.add("| %s | %d | %d | %d | %s | %s |".formatted(stage.name(),
                    AdmissionBench.percentile(stage.durationsMs(), 50), AdmissionBench.percentile(stage.durationsMs(), 99),
                    stage.durationsMs().getLast(), fmt(stage.ratePerSecond()),
                    fmt((stage.endsMs().getLast() - run.firstPublishMs()) / 1000.0)));
        }
        lines.add("");
        lines.add("Inside the services (their own timers, means over the measured run):");
        lines.add("");
        lines.add("| timer | mean ms |");
        lines.add("|---|---|");
        serviceMeans.forEach((label, mean) -> lines.add("| %s | %s |".formatted(label, fmt(mean))));
        lines.add("");
        lines.add("Kafka hop lag (record timestamp → the harness consumer's receipt; polls every 100 ms), whole run:");
        lines.add("");
        lines.add("| topic | records | p50 ms | p99 ms |");
        lines.add("|---|---|---|---|");
        for (String topic : List.of(Topics.TASKS_SUBMITTED, Topics.TASKS_COMPLETED, Topics.ASSETS_ARCHIVED)) {
            List<Long> lags = new ArrayList<>(events.receiptLagsMs().getOrDefault(topic, List.of()));
            lags.sort(null);
            lines.add("| %s | %d | %d | %d |".formatted(topic, lags.size(), AdmissionBench.percentile(lags, 50),
                    AdmissionBench.percentile(lags, 99)));
        }
        lines.add("");
        lines.add("Machine: %d cores, Java %s; Kafka, Redis, s3proxy, emulator, five services and the bench on it."
                .formatted(Runtime.getRuntime().availableProcessors(), Runtime.version().feature()));
        return String.join(System.lineSeparator(), lines);
    }

    static String fmt(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.2f", value);
    }
}
