package io.klingrelay.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.event.TaskCompleted;
import io.klingrelay.common.event.TaskSubmitted;
import io.klingrelay.deploy.harness.AdminApi;
import io.klingrelay.deploy.harness.PipelineEvents;
import io.klingrelay.deploy.harness.RequestPublisher;
import io.klingrelay.deploy.harness.SubmitterChaos;
import io.klingrelay.deploy.stack.KlingAccount;
import io.klingrelay.deploy.stack.KlingTarget;
import io.klingrelay.deploy.stack.LocalStack;
import io.klingrelay.deploy.stack.Service;
import io.klingrelay.deploy.stack.StackConfig;
import io.klingrelay.localstack.KafkaBrokerProcess;
import io.klingrelay.localstack.S3ProxyProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Issue 4's acceptance tests for admission control, against real processes: Kafka, Redis,
 * s3proxy, the emulator, three submitter instances and the other services, driven through Kafka
 * and checked through Kafka (per request id), the emulator's {@code /admin/stats} and the
 * submitter's {@code /admin/accounts}. Each test uses its own accounts, so no reset is needed.
 *
 * <p>Timing: images take 0.1 s + 0.5 s on the emulator, text-to-video 0 s + 3 s (time scale 1),
 * intermediate callbacks are off; dispatch leases are 10 s so killed dispatches come back quickly,
 * and the submitters' Kafka session timeout is 6 s so a killed instance leaves its consumer group
 * quickly (with the 45 s default, kills every few seconds keep the group rebalancing). During the
 * crash runs every create of the crash accounts is slow ({@value #SLOW_CREATE_MS} ms, the task
 * existing at once), so kills cut creates that Kling already acted on, and the test asserts that
 * such dispatches were recovered and their tasks adopted rather than created twice.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdmissionIT {

    private static final Logger log = LoggerFactory.getLogger(AdmissionIT.class);
    private static final int INSTANCES = 3;
    private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);
    private static final String RUN = KlingAccount.randomHex(3);
    private static final int SLOW_CREATE_MS = 300;
    private static final Pattern RECOVERED_LEASES =
            Pattern.compile("recovered (\\d+) expired dispatch lease\\(s\\) of account ([^\\s\"]+)");
    private static final Pattern ADOPTED_TASK =
            Pattern.compile("request \\S+ of account (\\S+): Kling already has its task");

    private static final List<KlingAccount> FLEET = fleet();
    private static final KlingAccount FAIR_A = KlingAccount.withRandomKeys("fair-a", 2);
    private static final KlingAccount FAIR_B = KlingAccount.withRandomKeys("fair-b", 2);
    private static final List<KlingAccount> CRASH_REJECT = List.of(KlingAccount.withRandomKeys("crash-reject-1", 5),
            KlingAccount.withRandomKeys("crash-reject-2", 5));
    private static final List<KlingAccount> CRASH_ACCEPT = List.of(KlingAccount.withRandomKeys("crash-accept-1", 5),
            KlingAccount.withRandomKeys("crash-accept-2", 5));
    private static final KlingAccount SHRINK = KlingAccount.withRandomKeys("shrink", 6);

    @TempDir
    static Path dataDir;

    private static LocalStack stack;
    private static RequestPublisher publisher;
    private static PipelineEvents events;
    private static AdminApi emulator;
    private static AdminApi submitter;

    @BeforeAll
    static void startStack() {
        Path services = Path.of(System.getProperty("klingrelay.services.dir", "target/services"));
        assumeTrue(Files.isRegularFile(services.resolve(Service.SUBMITTER.jarName())),
                "service jars not built (deploy built with -DskipServices)");
        List<KlingAccount> accounts = new ArrayList<>(FLEET);
        accounts.addAll(List.of(FAIR_A, FAIR_B, SHRINK));
        accounts.addAll(CRASH_REJECT);
        accounts.addAll(CRASH_ACCEPT);
        StackConfig config = new StackConfig(dataDir, KafkaBrokerProcess.libFromSystemProperty(), services,
                S3ProxyProcess.jarFromSystemProperty(), new KlingTarget.Emulator(accounts, 1.0), Duration.ofSeconds(10),
                Duration.ofSeconds(1), Duration.ofMinutes(4))
                .withSubmitterInstances(INSTANCES)
                .withProperties(Service.KLING_EMULATOR, Map.of(
                        "klingrelay.emulator.phases.image-generations.submitted", "100ms",
                        "klingrelay.emulator.phases.image-generations.processing", "500ms",
                        "klingrelay.emulator.phases.text2video.submitted", "0s",
                        "klingrelay.emulator.phases.text2video.processing", "3s",
                        "klingrelay.emulator.callbacks.intermediate", "false"))
                .withProperties(Service.SUBMITTER, Map.of(
                        "klingrelay.submitter.dispatch-lease", "10s",
                        "klingrelay.submitter.sweep-interval", SWEEP_INTERVAL.toMillis() + "ms",
                        // a killed instance leaves the consumer group after 6 s (the broker's minimum),
                        // not 45 s, so its requests partition is consumed again during the crash test
                        "spring.kafka.consumer.properties.session.timeout.ms", "6000",
                        "spring.kafka.consumer.properties.heartbeat.interval.ms", "1000"));
        stack = LocalStack.start(config);
        publisher = new RequestPublisher(stack.bootstrapServers());
        events = PipelineEvents.start(stack.bootstrapServers());
        emulator = new AdminApi(Objects.requireNonNull(stack.emulatorBaseUrl()));
        submitter = new AdminApi(stack.submitterBaseUrl(1));
    }

    @AfterAll
    static void stopStack() {
        if (events != null) {
            events.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void threeSubmittersKeepTwentyAccountsWithinTheirLimitsWithoutA1303OrADuplicateAndEndAllTwoThousandRequests() {
        // GIVEN: 2,000 image requests spread over 20 accounts in proportion to their limits (1 to 10)
        List<GenerationRequest> batch = proportionalBatch("fleet", FLEET, 2_000);

        // WHEN
        long started = System.currentTimeMillis();
        publisher.publishAll(batch);

        // THEN
        List<String> ids = idsOf(batch);
        awaitAllEnded("fleet", ids, Duration.ofMinutes(5));
        log.info("item 1: {} requests on {} accounts with {} submitters ended in {} ms", ids.size(), FLEET.size(),
                INSTANCES, System.currentTimeMillis() - started);
        assertEveryRequestArchivedWithExactlyOneTask(ids);
        Map<String, Long> perAccount = batch.stream().collect(Collectors.groupingBy(GenerationRequest::accountId,
                Collectors.counting()));
        for (KlingAccount account : FLEET) {
            JsonNode stats = emulator.emulatorAccountStats(account.id());
            assertThat(stats.get("maxRunning").asInt()).as("maxRunning of %s", account.id())
                    .isLessThanOrEqualTo(account.concurrency());
            assertThat(stats.get("capacityRejections").asInt()).as("1303s of %s", account.id()).isZero();
            assertThat(stats.get("duplicateExternalTaskIds").asInt()).as("duplicates of %s", account.id()).isZero();
            assertThat(stats.get("creates").asLong()).as("creates of %s", account.id())
                    .isEqualTo(perAccount.get(account.id()));
        }
    }

    @Test
    @Order(2)
    void aSmallAccountsRequestsStartWithinOneDispatchCycleOfAFreePermitWhileAnotherAccountHasFiveThousandQueued() {
        // GIVEN: account A has 5,000 queued 3 s videos
        List<GenerationRequest> backlog = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            backlog.add(RequestPublisher.video(id("fair-a", i), FAIR_A.id(), "fair-" + RUN));
        }
        publisher.publishAll(backlog);
        await("A's backlog queued").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> queued(FAIR_A) >= 4_980);

        // WHEN: account B submits 10 images
        List<GenerationRequest> small = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            small.add(RequestPublisher.image(id("fair-b", i), FAIR_B.id(), "fair-" + RUN));
        }
        Map<String, Long> publishedAt = publisher.publishAll(small);

        // THEN
        List<String> ids = idsOf(small);
        await("B's requests archived").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> events.archivedCount(ids) == ids.size());
        long stillQueued = queued(FAIR_A);
        List<Long> latencies = permitToCreateLatencies(ids, publishedAt, FAIR_B.concurrency());
        log.info("item 2: B's permit-free-to-create latencies (ms, in create order) {} with A still holding {} queued; "
                + "max {} ms, dispatch cycle {} ms", latencies, stillQueued, latencies.stream().mapToLong(l -> l).max()
                .orElse(0), SWEEP_INTERVAL.toMillis());
        assertThat(stillQueued).as("A's queue while B ran").isGreaterThanOrEqualTo(4_900);
        assertThat(latencies).hasSize(ids.size()).allSatisfy(latency -> assertThat(latency)
                .as("time from a free permit of B to B's next create, ms").isLessThan(SWEEP_INTERVAL.toMillis()));
        cancelBacklog(idsOf(backlog));
    }

    @Test
    @Order(3)
    void killingSubmittersAtRandomMomentsLosesNoRequestAndCreatesNoDuplicateTaskUnderEitherDuplicatePolicy() {
        CrashOutcome rejecting = crashRun("reject", CRASH_REJECT, 0x5EED_0001L);
        CrashOutcome accepting = crashRun("accept-new", CRASH_ACCEPT, 0x5EED_0002L);

        // the harsh path was taken: kills cut creates whose task Kling already had
        assertThat(rejecting.recoveredLeases() + accepting.recoveredLeases())
                .as("dispatches cut by a kill and recovered by another instance").isPositive();
        assertThat(rejecting.adoptedTasks() + accepting.adoptedTasks())
                .as("creates cut mid-flight whose task was adopted instead of created again").isPositive();
    }

    @Test
    @Order(4)
    void whenKlingLowersAnAccountsLimitMidRunThePipelineConvergesToItAndFinishesEveryRequest() {
        // GIVEN: 240 images on an account with limit 6 on both sides
        List<GenerationRequest> batch = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            batch.add(RequestPublisher.image(id("shrink", i), SHRINK.id(), "shrink-" + RUN));
        }
        List<String> ids = idsOf(batch);
        publisher.publishAll(batch);
        await("a third archived").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> events.archivedCount(ids) >= ids.size() / 3);

        // WHEN: Kling's real limit drops to 3
        emulator.send("PUT", "/admin/accounts/" + SHRINK.id() + "/concurrency", "{\"concurrency\": 3}");
        long changedAt = System.currentTimeMillis();

        // THEN
        awaitAllEnded("shrink", ids, Duration.ofMinutes(4));
        JsonNode stats = emulator.emulatorAccountStats(SHRINK.id());
        JsonNode state = submitter.submitterAccount(SHRINK.id());
        log.info("item 4: limit 6 -> 3 on Kling; finished {} ms after the change with {} 1303s; the submitter's "
                + "effective limit is now {} (configured {})", System.currentTimeMillis() - changedAt,
                stats.get("capacityRejections").asInt(), state.get("effectiveLimit").asInt(),
                state.get("configuredLimit").asInt());
        assertEveryRequestArchivedWithExactlyOneTask(ids);
        assertThat(stats.get("duplicateExternalTaskIds").asInt()).isZero();
        assertThat(state.get("effectiveLimit").asInt()).as("effective limit after converging").isLessThanOrEqualTo(3);
    }

    /**
     * 500 requests while submitters are killed; every create is slow (the task exists at once, the
     * reply takes {@value #SLOW_CREATE_MS} ms), so kills often cut a create whose task Kling already has.
     *
     * @return what the others recovered from the killed submitters
     */
    private static CrashOutcome crashRun(String duplicatePolicy, List<KlingAccount> accounts, long seed) {
        // GIVEN
        emulator.send("PATCH", "/admin/settings", "{\"duplicateExternalTaskId\": \"" + duplicatePolicy + "\"}");
        for (KlingAccount account : accounts) {
            emulator.send("PUT", "/admin/accounts/" + account.id() + "/faults",
                    "{\"create\": {\"delay\": \"PT" + SLOW_CREATE_MS / 1000.0 + "S\"}}");
        }
        List<GenerationRequest> batch = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            batch.add(RequestPublisher.image(id("crash-" + duplicatePolicy, i), accounts.get(i % accounts.size()).id(),
                    "crash-" + RUN));
        }
        List<String> ids = idsOf(batch);
        int kills;
        // WHEN: a random submitter is killed every 3-6 s and restarted
        try (SubmitterChaos chaos = SubmitterChaos.start(stack, seed, Duration.ofSeconds(3), Duration.ofSeconds(6))) {
            publisher.publishAll(batch);
            awaitAllEnded("crash " + duplicatePolicy, ids, Duration.ofMinutes(4));
            kills = chaos.kills();
            chaos.close();
            assertThat(chaos.restartFailures()).as("failed submitter restarts").isEmpty();
        } finally {
            emulator.send("PATCH", "/admin/settings", "{\"duplicateExternalTaskId\": \"reject\"}");
            for (KlingAccount account : accounts) {
                emulator.send("DELETE", "/admin/accounts/" + account.id() + "/faults", null);
            }
        }

        // THEN
        int recovered = recoveredLeases(accounts);
        int adopted = adoptedTasks(accounts);
        log.info("item 3 ({}): 500 requests ended with {} submitter kills (seed {}); {} dispatch lease(s) of killed "
                + "submitters were recovered by the others; {} task(s) Kling already had were adopted, not created "
                + "again", duplicatePolicy, kills, seed, recovered, adopted);
        assertThat(kills).as("submitters killed during the run").isPositive();
        assertEveryRequestArchivedWithExactlyOneTask(ids);
        long creates = 0;
        for (KlingAccount account : accounts) {
            JsonNode stats = emulator.emulatorAccountStats(account.id());
            log.info("item 3 ({}): emulator stats of {}: {}", duplicatePolicy, account.id(), stats);
            assertThat(stats.get("duplicateExternalTaskIds").asInt()).as("duplicates of %s", account.id()).isZero();
            creates += stats.get("creates").asLong();
        }
        assertThat(creates).as("tasks created on Kling for 500 requests").isEqualTo(ids.size());
        return new CrashOutcome(recovered, adopted);
    }

    /**
     * @param recoveredLeases dispatches of killed submitters recovered by the others
     * @param adoptedTasks    recovered requests whose task Kling already had (create cut mid-flight)
     */
    private record CrashOutcome(int recoveredLeases, int adoptedTasks) {
    }

    /** Sums the submitters' "recovered N expired dispatch lease(s) of account X" log lines for these accounts. */
    private static int recoveredLeases(List<KlingAccount> accounts) {
        return sumOfSubmitterLogs(RECOVERED_LEASES, 2, m -> Integer.parseInt(m.group(1)), accounts);
    }

    /** Counts the submitters' "Kling already has its task … adopted" log lines for these accounts. */
    private static int adoptedTasks(List<KlingAccount> accounts) {
        return sumOfSubmitterLogs(ADOPTED_TASK, 1, m -> 1, accounts);
    }

    /**
     * @param pattern      the log line
     * @param accountGroup the group holding the account id
     * @param count        what a matching line counts for
     * @return the sum over every submitter's log, for lines about these accounts
     */
    private static int sumOfSubmitterLogs(Pattern pattern, int accountGroup, ToIntFunction<Matcher> count,
            List<KlingAccount> accounts) {
        List<String> ids = accounts.stream().map(KlingAccount::id).toList();
        int total = 0;
        for (int instance = 1; instance <= INSTANCES; instance++) {
            Path logFile = stack.config().logsDir().resolve("submitter-" + instance + ".log");
            try (Stream<String> lines = Files.lines(logFile)) {
                total += lines.map(pattern::matcher).filter(Matcher::find)
                        .filter(m -> ids.contains(m.group(accountGroup))).mapToInt(count).sum();
            } catch (IOException | UncheckedIOException e) {
                log.warn("cannot read {}: {}", logFile, e.toString());
            }
        }
        return total;
    }

    private static void assertEveryRequestArchivedWithExactlyOneTask(List<String> ids) {
        assertThat(events.failed().keySet()).as("requests.failed").doesNotContainAnyElementsOf(ids);
        assertThat(events.archived().keySet()).as("assets.archived").containsAll(ids);
        for (String id : ids) {
            List<String> completedTasks = events.completed().getOrDefault(id, List.of()).stream()
                    .map(observed -> observed.event().taskId()).distinct().toList();
            List<String> submittedTasks = events.submitted().getOrDefault(id, List.of()).stream()
                    .map(observed -> observed.event().taskId()).distinct().toList();
            assertThat(completedTasks).as("task ids completed for %s", id).hasSize(1);
            assertThat(submittedTasks).as("task ids submitted for %s", id).hasSizeLessThanOrEqualTo(1)
                    .isSubsetOf(completedTasks);
        }
    }

    /**
     * For each request in create order: the k-th create (k &gt; limit) used the permit released by the
     * (k − limit)-th completion, so its latency is its emulator {@code created_at} minus that
     * completion's tasks.completed record timestamp; the first {@code limit} creates are measured
     * from their publish time.
     */
    private static List<Long> permitToCreateLatencies(List<String> ids, Map<String, Long> publishedAt, int limit) {
        Map<String, String> taskOf = ids.stream().collect(Collectors.toMap(Function.identity(), AdmissionIT::taskIdOf));
        List<String> inCreateOrder = new ArrayList<>(ids);
        Map<String, Long> createdAt = new LinkedHashMap<>();
        ids.forEach(id -> createdAt.put(id, emulator.taskCreatedAt(taskOf.get(id))));
        inCreateOrder.sort((x, y) -> Long.compare(createdAt.get(x), createdAt.get(y)));
        List<Long> completions = ids.stream().map(id -> events.completed().get(id).getFirst().timestampMs()).sorted()
                .toList();
        List<Long> latencies = new ArrayList<>();
        for (int k = 0; k < inCreateOrder.size(); k++) {
            String id = inCreateOrder.get(k);
            long freeAt = k < limit ? publishedAt.get(id) : completions.get(k - limit);
            latencies.add(createdAt.get(id) - freeAt);
        }
        return latencies;
    }

    private static String taskIdOf(String requestId) {
        List<PipelineEvents.Observed<TaskCompleted>> completed = events.completed().get(requestId);
        if (completed != null) {
            return completed.getFirst().event().taskId();
        }
        List<PipelineEvents.Observed<TaskSubmitted>> submitted = events.submitted().get(requestId);
        return Objects.requireNonNull(submitted, "no task for " + requestId).getFirst().event().taskId();
    }

    private static void cancelBacklog(List<String> backlog) {
        submitter.send("POST", "/admin/accounts/" + FAIR_A.id() + "/cancel", null);
        awaitAllEnded("A's cancelled backlog", backlog, Duration.ofMinutes(2));
    }

    private static long queued(KlingAccount account) {
        return submitter.submitterAccount(account.id()).get("queued").asLong();
    }

    private static void awaitAllEnded(String what, List<String> ids, Duration atMost) {
        await(what + ": every request ended").atMost(atMost).pollInterval(Duration.ofMillis(500))
                .until(() -> events.endedCount(ids) == ids.size());
    }

    /** Weighted round robin: an account with limit k gets k of every 110 requests, so all finish together. */
    private static List<GenerationRequest> proportionalBatch(String prefix, List<KlingAccount> accounts, int size) {
        List<KlingAccount> slots = new ArrayList<>();
        accounts.forEach(account -> {
            for (int i = 0; i < account.concurrency(); i++) {
                slots.add(account);
            }
        });
        List<GenerationRequest> batch = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            batch.add(RequestPublisher.image(id(prefix, i), slots.get(i % slots.size()).id(), prefix + "-" + RUN));
        }
        return batch;
    }

    private static List<KlingAccount> fleet() {
        List<KlingAccount> fleet = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            fleet.add(KlingAccount.withRandomKeys("fleet-%02d".formatted(i + 1), i % 10 + 1));
        }
        return fleet;
    }

    private static List<String> idsOf(List<GenerationRequest> batch) {
        return batch.stream().map(GenerationRequest::requestId).toList();
    }

    private static String id(String prefix, int index) {
        return "adm-" + prefix + "-" + index + "-" + RUN;
    }
}
