package io.klingrelay.deploy.chaos;

import io.klingrelay.common.kafka.Topics;
import io.klingrelay.deploy.stack.KlingAccount;
import io.klingrelay.deploy.stack.KlingTarget;
import io.klingrelay.deploy.stack.LocalStack;
import io.klingrelay.deploy.stack.Service;
import io.klingrelay.deploy.stack.StackConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * One chaos run (issue 7), shared by {@code klingrelay chaos} and {@code ChaosIT}: starts the local
 * stack (2 submitters with a 5 s dispatch lease, Redis with AOF, Kafka as a process, the emulator
 * with {@code accept-new} for duplicate external ids and twice each account's limit as its own
 * limit, so an over-limit run is visible rather than refused), publishes the generated campaign in
 * slices between the chaos steps (each a SIGKILL and restart of a service, Redis or Kafka), with
 * the emulator making 5 % of creates slow (8 s, longer than the dispatch lease) or losing their
 * answer (5002 with the task created) and dropping and duplicating 20 % of callbacks. Then it
 * waits for every outcome, throws hostile callbacks at the webhook receiver, and counts the
 * guarantees from the topics (read from the beginning), the emulator's stats and the submitter's
 * admission state ({@link ChaosReport}).
 *
 * @param dataDir      the stack's data folder (logs in {@code <dataDir>/logs})
 * @param libDir       the Kafka broker's classpath folder
 * @param servicesDir  the folder with the services' exec jars
 * @param s3proxyJar   the s3proxy jar
 * @param startTimeout how long each process may take to become healthy
 */
public record ChaosRun(Path dataDir, Path libDir, Path servicesDir, Path s3proxyJar, Duration startTimeout) {

    /** The submitters' dispatch lease: shorter than the slow creates. */
    static final Duration DISPATCH_LEASE = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(ChaosRun.class);
    private static final int SUBMITTERS = 2;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final Duration DOWN_TIME = Duration.ofSeconds(2);
    private static final String CALLBACK_FAULTS = "\"callbacks\":{\"dropRate\":0.2,\"duplicateRate\":0.2}";
    private static final String SLOW_CREATES = "{\"create\":{\"rate\":0.05,\"delay\":\"PT8S\"}," + CALLBACK_FAULTS + "}";
    private static final String LOST_ANSWERS = "{\"create\":{\"rate\":0.05,\"code\":5002,\"taskCreated\":true},"
            + CALLBACK_FAULTS + "}";
    /** At most this many detail lines per kind of detail (the first word or two of the line). */
    private static final int MAX_DETAILS = 25;

    public ChaosRun {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(libDir, "libDir");
        Objects.requireNonNull(servicesDir, "servicesDir");
        Objects.requireNonNull(s3proxyJar, "s3proxyJar");
        Objects.requireNonNull(startTimeout, "startTimeout");
    }

    /**
     * The layout of a build ({@code deploy/target/lib}, {@code deploy/target/services},
     * {@code deploy/target/local-stack/s3proxy.jar}).
     *
     * @param projectRoot the repository root
     * @param dataDir     the data folder
     * @return the run's layout, with a 4 min start timeout per process
     */
    public static ChaosRun forBuild(Path projectRoot, Path dataDir) {
        Path target = projectRoot.resolve("deploy").resolve("target");
        return new ChaosRun(dataDir, target.resolve("lib"), target.resolve("services"),
                target.resolve("local-stack").resolve("s3proxy.jar"), Duration.ofMinutes(4));
    }

    /**
     * @param plan     what to run and break
     * @param progress receives one human-readable line per step (the command prints them)
     * @return the figures
     * @throws IllegalStateException when the stack does not start or a restart fails
     */
    public ChaosReport run(ChaosPlan plan, Consumer<String> progress) {
        long started = System.nanoTime();
        Random random = new Random(plan.seed());
        String runId = KlingAccount.randomHex(3);
        List<KlingAccount> accounts = accounts(plan.accounts());
        Consumer<String> say = line -> {
            String stamped = "[" + CLOCK.format(LocalTime.now()) + " +" + seconds(started) + "s] " + line;
            log.debug("{}", stamped);
            progress.accept(stamped);
        };
        say.accept("chaos run " + runId + ": " + plan.requests() + " requests over " + accounts.size() + " accounts "
                + limits(accounts) + ", seed " + plan.seed() + ", data in " + dataDir);
        try (LocalStack stack = LocalStack.start(stackConfig(plan, accounts))) {
            say.accept("stack up: Kafka " + stack.bootstrapServers() + ", emulator " + stack.emulatorBaseUrl()
                    + ", webhook receiver " + stack.endpoints().baseUrl(Service.WEBHOOK_RECEIVER));
            Session session = new Session(plan, stack, accounts, runId, random, say);
            return session.run(started);
        }
    }

    private StackConfig stackConfig(ChaosPlan plan, List<KlingAccount> accounts) {
        Map<String, String> quickRebalance = Map.of(
                // a killed instance leaves its consumer group after 6 s, not 45 s
                "spring.kafka.consumer.properties.session.timeout.ms", "6000",
                "spring.kafka.consumer.properties.heartbeat.interval.ms", "1000");
        Map<String, String> submitter = new LinkedHashMap<>(quickRebalance);
        submitter.put("klingrelay.submitter.dispatch-lease", DISPATCH_LEASE.toSeconds() + "s");
        submitter.put("klingrelay.submitter.sweep-interval", "1s");
        return new StackConfig(dataDir, libDir, servicesDir, s3proxyJar,
                new KlingTarget.Emulator(accounts, plan.timeScale()), Duration.ofSeconds(10), Duration.ofSeconds(1),
                startTimeout)
                .withSubmitterInstances(SUBMITTERS)
                .withProperties(Service.SUBMITTER, submitter)
                .withProperties(Service.ARCHIVER, quickRebalance)
                .withProperties(Service.WEBHOOK_RECEIVER, quickRebalance)
                .withProperties(Service.POLLER, quickRebalance);
    }

    /**
     * @param count how many
     * @return {@code chaos-1..count} with limits 3, 4, 5, 6, 3, … (random keys)
     */
    static List<KlingAccount> accounts(int count) {
        List<KlingAccount> accounts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            accounts.add(KlingAccount.withRandomKeys("chaos-" + (i + 1), 3 + i % 4));
        }
        return accounts;
    }

    private static String limits(List<KlingAccount> accounts) {
        return accounts.stream().map(a -> a.id() + "=" + a.concurrency()).toList().toString();
    }

    private static long seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1_000_000_000L;
    }

    /** The state of one run against a started stack. */
    private static final class Session {

        private final ChaosPlan plan;
        private final LocalStack stack;
        private final List<KlingAccount> accounts;
        private final String runId;
        private final Random random;
        private final Consumer<String> say;
        private final JsonHttp emulator;
        private final List<String> details = new ArrayList<>();
        private final Map<String, Integer> detailsPerKind = new HashMap<>();
        /** Where each record landed: {@code klingrelay.requests-<partition>@<offset>}. */
        private final Map<Integer, String> locators = new HashMap<>();

        Session(ChaosPlan plan, LocalStack stack, List<KlingAccount> accounts, String runId, Random random,
                Consumer<String> say) {
            this.plan = plan;
            this.stack = stack;
            this.accounts = accounts;
            this.runId = runId;
            this.random = random;
            this.say = say;
            this.emulator = new JsonHttp(Objects.requireNonNull(stack.emulatorBaseUrl()));
        }

        ChaosReport run(long started) {
            prepareEmulator();
            List<ChaosRecord> records = ChaosCampaign.generate(runId, accounts, plan.requests(), plan.hostileRecords(),
                    random.nextLong(), plan.skippedKinds());
            List<ChaosStep> steps = ChaosStep.schedule(plan, random);
            say.accept("campaign: " + records.size() + " records (" + plan.hostileRecords() + " hostile); "
                    + steps.size() + " chaos steps: " + steps.stream().map(ChaosStep::name).toList());
            publishWithChaos(records, steps);
            say.accept("chaos over; faults stay on until every request has its outcome (timeout " + plan.timeout() + ")");
            try (TopicAudit audit = new TopicAudit(stack.bootstrapServers())) {
                boolean complete = awaitOutcomes(audit, records);
                say.accept(complete ? "every request has an outcome" : "timed out waiting for outcomes");
                emulator.send("DELETE", "/admin/faults", null);
                accounts.forEach(a -> emulator.send("DELETE", "/admin/accounts/" + a.id() + "/faults", null));
                awaitEmulatorIdle();
                HostileOutcome hostile = plan.hostileCallbacks() > 0 ? hostileCallbacks(audit) : HostileOutcome.NOT_RUN;
                long permits = awaitPermitsReleased();
                audit.catchUp(Duration.ofMinutes(2));
                return new ChaosReport(lost(audit, records), twoOutcomes(audit), duplicateTasks(), permits, overLimit(),
                        hostile.accepted(), hostile.answered5xx(), hostile.events(), hostile.heapGrowthMb(),
                        plan.hostileRecords() > 0 ? hostileRecordsWithoutOne(audit, records) : -1,
                        Duration.ofNanos(System.nanoTime() - started), details);
            }
        }

        private void prepareEmulator() {
            emulator.send("PATCH", "/admin/settings", "{\"duplicateExternalTaskId\":\"accept-new\"}");
            for (KlingAccount account : accounts) {
                // the emulator allows twice the relay's limit, so going over it shows in maxRunning instead of a 1303
                emulator.send("PUT", "/admin/accounts/" + account.id() + "/concurrency",
                        "{\"concurrency\":" + 2 * account.concurrency() + "}");
            }
        }

        private void publishWithChaos(List<ChaosRecord> records, List<ChaosStep> steps) {
            int slices = steps.size() + 1;
            try (KafkaProducer<String, byte[]> producer = producer()) {
                for (int slice = 0; slice < slices; slice++) {
                    setFaults(slice);
                    int from = records.size() * slice / slices;
                    int to = records.size() * (slice + 1) / slices;
                    publish(producer, records, from, to);
                    say.accept("published records " + from + ".." + (to - 1));
                    if (slice < steps.size()) {
                        perform(steps.get(slice));
                        Pause.pause(plan.killGap());
                    }
                }
            }
        }

        private KafkaProducer<String, byte[]> producer() {
            return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000,
                    ProducerConfig.CLIENT_ID_CONFIG, "klingrelay-chaos-" + runId),
                    new StringSerializer(), new ByteArraySerializer());
        }

        private void publish(KafkaProducer<String, byte[]> producer, List<ChaosRecord> records, int from, int to) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = from; i < to; i++) {
                ChaosRecord record = records.get(i);
                sent.add(producer.send(new ProducerRecord<>(Topics.REQUESTS, record.key(), record.value())));
            }
            producer.flush();
            for (int i = from; i < to; i++) {
                RecordMetadata metadata = acknowledged(sent.get(i - from));
                locators.put(i, metadata.topic() + "-" + metadata.partition() + "@" + metadata.offset());
            }
        }

        private static RecordMetadata acknowledged(Future<RecordMetadata> future) {
            try {
                return future.get(3, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("a campaign record was not acknowledged by Kafka", e);
            }
        }

        /** Even slices make even-numbered accounts' creates slow and odd ones lose answers; odd slices swap. */
        private void setFaults(int slice) {
            for (int i = 0; i < accounts.size(); i++) {
                emulator.send("PUT", "/admin/accounts/" + accounts.get(i).id() + "/faults",
                        (i + slice) % 2 == 0 ? SLOW_CREATES : LOST_ANSWERS);
            }
        }

        private void perform(ChaosStep step) {
            long begin = System.nanoTime();
            String name = step.name();
            switch (step.target()) {
                case SERVICE -> name = killService(Objects.requireNonNull(step.service()));
                case REDIS -> {
                    stack.killRedis();
                    say.accept("killed redis-server (SIGKILL)");
                    Pause.pause(DOWN_TIME);
                    stack.restartRedis();
                }
                case KAFKA -> {
                    stack.killKafka();
                    say.accept("killed kafka (SIGKILL)");
                    Pause.pause(DOWN_TIME);
                    stack.restartKafka();
                }
            }
            say.accept("restarted " + name + " (" + seconds(begin) + " s from kill to healthy)");
        }

        /** @return the name of the process killed and restarted, e.g. {@code submitter-2} */
        private String killService(Service service) {
            if (service == Service.SUBMITTER) {
                int instance = 1 + random.nextInt(SUBMITTERS);
                stack.killSubmitter(instance);
                say.accept("killed submitter-" + instance + " (SIGKILL)");
                Pause.pause(DOWN_TIME);
                stack.restartSubmitter(instance);
                return "submitter-" + instance;
            }
            stack.kill(service);
            say.accept("killed " + service.moduleName() + " (SIGKILL)");
            Pause.pause(DOWN_TIME);
            stack.restart(service);
            return service.moduleName();
        }

        private boolean awaitOutcomes(TopicAudit audit, List<ChaosRecord> records) {
            long deadline = System.nanoTime() + plan.timeout().toNanos();
            long lastReport = 0;
            while (true) {
                audit.catchUp(Duration.ofMinutes(1));
                long missing = missing(audit, records);
                if (missing == 0) {
                    return true;
                }
                if (System.nanoTime() > deadline) {
                    return false;
                }
                if (System.nanoTime() - lastReport > Duration.ofSeconds(15).toNanos()) {
                    say.accept(missing + " of " + records.size() + " records still without an outcome");
                    lastReport = System.nanoTime();
                }
                Pause.pause(Duration.ofSeconds(2));
            }
        }

        private long missing(TopicAudit audit, List<ChaosRecord> records) {
            long missing = 0;
            for (int i = 0; i < records.size(); i++) {
                if (outcomesOf(audit, records, i).isEmpty()) {
                    missing++;
                }
            }
            return missing;
        }

        /**
         * The outcome events of record {@code i}: a valid request's under its request id; a hostile
         * record's under its locator (intake names it in every failure reason, and reports a too long or
         * unsafe id in a shortened, hashed form), else under its request id.
         */
        private List<TopicAudit.Outcome> outcomesOf(TopicAudit audit, List<ChaosRecord> records, int i) {
            ChaosRecord record = records.get(i);
            if (record.valid()) {
                return record.requestId() == null ? List.of() : audit.outcomes(record.requestId());
            }
            String locator = locators.get(i);
            List<TopicAudit.Outcome> outcomes = locator == null ? List.of() : audit.outcomes(locator);
            // a failure after intake (at dispatch) names the request id only
            return outcomes.isEmpty() && record.requestId() != null ? audit.outcomes(record.requestId()) : outcomes;
        }

        private void awaitEmulatorIdle() {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (System.nanoTime() < deadline) {
                long running = 0;
                for (KlingAccount account : accounts) {
                    running += accountStats(account).get("running").asLong();
                }
                if (running == 0) {
                    return;
                }
                Pause.pause(Duration.ofSeconds(1));
            }
            say.accept("the emulator still runs tasks after 2 min");
        }

        private JsonNode accountStats(KlingAccount account) {
            return emulator.get("/admin/stats").get("accounts").get(account.id());
        }

        private long awaitPermitsReleased() {
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            JsonHttp submitter = new JsonHttp(stack.submitterBaseUrl(1));
            while (true) {
                long held = 0;
                List<String> holders = new ArrayList<>();
                for (JsonNode account : submitter.get("/admin/accounts")) {
                    long inUse = account.get("permitsInUse").asLong();
                    held += inUse;
                    if (inUse > 0) {
                        holders.add(account.toString());
                    }
                }
                if (held == 0 || System.nanoTime() > deadline) {
                    holders.forEach(h -> detail("permits still held: " + h));
                    return held;
                }
                Pause.pause(Duration.ofSeconds(2));
            }
        }

        private long duplicateTasks() {
            long duplicates = 0;
            for (KlingAccount account : accounts) {
                JsonNode stats = accountStats(account);
                long count = stats.get("duplicateExternalTaskIds").asLong();
                duplicates += count;
                if (count > 0) {
                    detail("emulator stats of " + account.id() + ": " + stats);
                }
            }
            return duplicates;
        }

        private long overLimit() {
            long over = 0;
            for (KlingAccount account : accounts) {
                JsonNode stats = accountStats(account);
                long excess = Math.max(0, stats.get("maxRunning").asLong() - account.concurrency());
                over += excess;
                detail("emulator stats of " + account.id() + " (limit " + account.concurrency() + "): " + stats);
            }
            return over;
        }

        private long lost(TopicAudit audit, List<ChaosRecord> records) {
            long lost = 0;
            Map<String, Integer> perPartition = new java.util.TreeMap<>();
            for (int i = 0; i < records.size(); i++) {
                ChaosRecord record = records.get(i);
                if (record.valid() && outcomesOf(audit, records, i).isEmpty()) {
                    lost++;
                    String id = Objects.requireNonNull(record.requestId());
                    String locator = String.valueOf(locators.get(i));
                    perPartition.merge(locator.substring(0, locator.lastIndexOf('@')), 1, Integer::sum);
                    detail("lost: " + record.accountId() + "/" + id + " published at " + locator
                            + ", tasks.completed task ids " + audit.completedTasks().getOrDefault(id, Set.of()));
                }
            }
            if (!perPartition.isEmpty()) {
                detail("lost requests per partition of klingrelay.requests: " + perPartition);
            }
            return lost;
        }

        private long twoOutcomes(TopicAudit audit) {
            long two = 0;
            for (String requestId : audit.requestsWithOutcome()) {
                Set<String> distinct = new HashSet<>();
                List<TopicAudit.Outcome> outcomes = audit.outcomes(requestId);
                outcomes.forEach(o -> distinct.add(o.identity()));
                if (distinct.size() > 1) {
                    two++;
                    detail("two outcomes: " + shorten(requestId) + ": " + outcomes);
                }
            }
            return two;
        }

        private long hostileRecordsWithoutOne(TopicAudit audit, List<ChaosRecord> records) {
            long bad = 0;
            Map<String, Integer> perKind = new LinkedHashMap<>();
            for (int i = 0; i < records.size(); i++) {
                ChaosRecord record = records.get(i);
                if (record.valid()) {
                    continue;
                }
                List<TopicAudit.Outcome> outcomes = outcomesOf(audit, records, i);
                // a re-publication with the same event id (a record redelivered after a kill) is one event to a
                // consumer that de-duplicates by eventId, as the topics' contract asks; it is listed, not counted
                Set<String> distinct = new HashSet<>();
                outcomes.forEach(o -> distinct.add(o.identity()));
                boolean oneFailed = distinct.size() == 1 && outcomes.getFirst().topic().equals(Topics.REQUESTS_FAILED);
                if (oneFailed && outcomes.size() > 1) {
                    detail("republished (same eventId " + outcomes.getFirst().eventId() + ", " + outcomes.size()
                            + " records): hostile " + record.kind() + " at " + locators.get(i));
                }
                if (!oneFailed) {
                    bad++;
                    perKind.merge(record.kind(), 1, Integer::sum);
                    if (perKind.get(record.kind()) <= 3) {
                        detail("hostile record " + record + " at " + locators.get(i) + ": " + outcomes.size()
                                + " outcome(s) " + outcomes);
                    }
                }
            }
            if (!perKind.isEmpty()) {
                detail("hostile kinds without exactly one requests.failed (records per kind): " + perKind);
            }
            return bad;
        }

        private HostileOutcome hostileCallbacks(TopicAudit audit) {
            audit.catchUp(Duration.ofMinutes(1));
            List<HostileCallbacks.RealCallback> real = realCallbacks(audit);
            if (real.size() < 2) {
                detail("hostile callbacks skipped: fewer than two completed tasks");
                return HostileOutcome.NOT_RUN;
            }
            JsonHttp receiver = new JsonHttp(stack.endpoints().baseUrl(Service.WEBHOOK_RECEIVER));
            double heapBefore = settledHeapMb(receiver);
            Map<String, Integer> before = eventsOf(audit, real);
            say.accept("sending " + plan.hostileCallbacks() + " hostile callbacks (" + real.size()
                    + " real tasks to forge and replay)");
            HostileCallbacks.Result result = new HostileCallbacks(stack.endpoints().baseUrl(Service.WEBHOOK_RECEIVER),
                    stack.endpoints().callbackSecret(), real, random.nextLong()).send(plan.hostileCallbacks());
            Pause.pause(Duration.ofSeconds(5));
            audit.catchUp(Duration.ofMinutes(1));
            Map<String, Integer> after = eventsOf(audit, real);
            long events = 0;
            for (Map.Entry<String, Integer> entry : after.entrySet()) {
                long added = entry.getValue() - before.getOrDefault(entry.getKey(), 0);
                events += added;
                if (added > 0) {
                    detail("hostile callbacks published " + added + " record(s): " + shorten(entry.getKey()));
                }
            }
            double heapAfter = settledHeapMb(receiver);
            detail("hostile callback answers (kind status: count): " + result.statuses());
            if (result.cutOff() > 0) {
                detail("hostile callbacks over the receiver's head or body cap whose connection was reset before the "
                        + "answer was read (the receiver answered and closed without reading them; status -1 above): " + result.cutOff());
            }
            result.samples().forEach(this::detail);
            detail("webhook receiver heap (min of 5 samples): " + String.format(java.util.Locale.ROOT,
                    "%.1f MB before, %.1f MB after", heapBefore, heapAfter));
            return new HostileOutcome(result.accepted(), result.answered5xx(), events, heapAfter - heapBefore);
        }

        /**
         * @return the records on every output topic that name one of the requests whose callbacks
         *     are forged and replayed (they ended before the hostile pass, so nothing may be added),
         *     keyed {@code "<topic> <requestId>"}
         */
        private static Map<String, Integer> eventsOf(TopicAudit audit, List<HostileCallbacks.RealCallback> real) {
            Map<String, Integer> all = audit.recordsPerRequest();
            Map<String, Integer> targeted = new HashMap<>();
            for (HostileCallbacks.RealCallback callback : real) {
                for (String topic : TopicAudit.TOPICS) {
                    String key = topic + " " + callback.requestId();
                    targeted.put(key, all.getOrDefault(key, 0));
                }
            }
            return targeted;
        }

        private List<HostileCallbacks.RealCallback> realCallbacks(TopicAudit audit) {
            List<HostileCallbacks.RealCallback> real = new ArrayList<>();
            for (Map.Entry<String, Set<String>> entry : audit.completedTasks().entrySet()) {
                String accountId = audit.completedAccount(entry.getKey());
                if (real.size() >= 100 || accountId == null || audit.outcomes(entry.getKey()).isEmpty()) {
                    continue;
                }
                String taskId = entry.getValue().iterator().next();
                try {
                    JsonNode task = emulator.get("/admin/tasks/" + taskId).get("task");
                    real.add(new HostileCallbacks.RealCallback(accountId, entry.getKey(), taskId,
                            task.toString().getBytes(StandardCharsets.UTF_8)));
                } catch (RuntimeException e) {
                    log.debug("no emulator view of task {}: {}", taskId, e.toString());
                }
            }
            return real;
        }

        /** The smallest of five heap readings a second apart (a serial-GC heap shrinks only at a collection). */
        private static double settledHeapMb(JsonHttp receiver) {
            double min = Double.NaN;
            for (int i = 0; i < 5; i++) {
                try {
                    double used = receiver.get("/actuator/metrics/jvm.memory.used?tag=area:heap")
                            .get("measurements").get(0).get("value").asDouble() / (1024 * 1024);
                    min = Double.isNaN(min) ? used : Math.min(min, used);
                } catch (RuntimeException e) {
                    log.debug("heap reading failed: {}", e.toString());
                }
                Pause.pause(Duration.ofSeconds(1));
            }
            return min;
        }

        private void detail(String line) {
            String kind = line.substring(0, Math.min(line.length(), 12));
            if (detailsPerKind.merge(kind, 1, Integer::sum) <= MAX_DETAILS) {
                details.add(line);
            }
        }

        private static String shorten(@Nullable String id) {
            return id == null ? "-" : id.length() > 60 ? id.substring(0, 60) + "…(" + id.length() + " chars)" : id;
        }
    }

    /**
     * @param accepted     forged callbacks answered 2xx (-1: not run)
     * @param answered5xx  callbacks answered 5xx (-1: not run)
     * @param events       records published while they ran (-1: not run)
     * @param heapGrowthMb the receiver's settled heap growth, MB
     */
    private record HostileOutcome(long accepted, long answered5xx, long events, double heapGrowthMb) {
        static final HostileOutcome NOT_RUN = new HostileOutcome(-1, -1, -1, Double.NaN);
    }
}
