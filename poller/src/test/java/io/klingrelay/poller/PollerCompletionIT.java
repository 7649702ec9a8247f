package io.klingrelay.poller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.klingrelay.common.event.Product;
import io.klingrelay.common.event.StatusSource;
import io.klingrelay.common.json.EventJson;
import io.klingrelay.common.kafka.Topics;
import io.klingrelay.common.testing.TopicRecorder;
import io.klingrelay.coordination.RecordedTasks;
import io.klingrelay.coordination.dispatch.Dispatches;
import io.klingrelay.coordination.dispatch.RequestQueue;
import io.klingrelay.coordination.task.TaskShape;
import io.klingrelay.klingclient.api.KlingClient;
import io.klingrelay.klingclient.config.KlingAccount;
import io.klingrelay.klingclient.config.KlingProperties;
import io.klingrelay.klingemulator.KlingEmulatorApplication;
import io.klingrelay.localstack.LocalRedis;
import io.klingrelay.poller.polling.PollSchedule;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.util.FileSystemUtils;

/**
 * Completion at scale (issue 9) against one real redis-server, a real KRaft broker and the real
 * kling-emulator, callbacks off: due tasks answered by list pages, a first look at the learned expected
 * end, and the per-account query rate limit. Three poller applications run in this JVM, one per account
 * (a poller polls only the accounts it is configured with), each with its own settings and loopback
 * address, so the emulator's {@link EmulatorQueryLog} tells their calls apart.
 */
class PollerCompletionIT {

    private static final Logger LOG = LoggerFactory.getLogger(PollerCompletionIT.class);
    private static final KlingAccount BATCH = account("batch-it");
    private static final KlingAccount SCHEDULE = account("schedule-it");
    private static final KlingAccount RATE = account("rate-it");
    private static final int BATCH_TASKS = 300;
    private static final int RATE_PER_SECOND = 2;

    private static Path redisDir;
    private static LocalRedis redis;
    private static EmbeddedKafkaKraftBroker kafka;
    private static ConfigurableApplicationContext emulator;
    private static final Map<String, ConfigurableApplicationContext> pollers = new HashMap<>();
    private static KlingClient client;

    private static KlingAccount account(String id) {
        return new KlingAccount(id, "ak-" + id + "-access-key", "sk-" + id + "-secret-key-0123456789abcdef", 500);
    }

    @BeforeAll
    static void startEverything() throws IOException {
        redisDir = Files.createTempDirectory("poller-completion-it-redis");
        redis = LocalRedis.startFromSystemProperty(redisDir);
        kafka = new EmbeddedKafkaKraftBroker(1, 1, Topics.TASKS_STATUS, Topics.TASKS_COMPLETED);
        kafka.afterPropertiesSet();
        emulator = startEmulator();
        int port = ((WebServerApplicationContext) emulator).getWebServer().getPort();
        String keyPrefix = "it-" + UUID.randomUUID().toString().substring(0, 8);
        // all 300 tasks are recorded as submitted at one instant and become due together 20 s later
        pollers.put(BATCH.id(), startPoller(BATCH, URI.create("http://127.0.0.1:" + port), keyPrefix,
                "--klingrelay.poller.schedule.default-video=20s", "--klingrelay.poller.batch-size=500",
                "--klingrelay.poller.queries.rate-per-second=100"));
        // nothing learned: first look 1 s after submission; list pages off, so each look is one query
        pollers.put(SCHEDULE.id(), startPoller(SCHEDULE, URI.create("http://127.0.0.2:" + port), keyPrefix,
                "--klingrelay.poller.schedule.default-video=1s", "--klingrelay.poller.queries.list-enabled=false",
                "--klingrelay.poller.queries.rate-per-second=100"));
        pollers.put(RATE.id(), startPoller(RATE, URI.create("http://127.0.0.3:" + port), keyPrefix,
                "--klingrelay.poller.schedule.default-video=1s", "--klingrelay.poller.queries.list-enabled=false",
                "--klingrelay.poller.queries.rate-per-second=" + RATE_PER_SECOND,
                "--klingrelay.poller.queries.rate-wait=200ms"));
        client = KlingClient.create(new KlingProperties(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(2),
                Duration.ofSeconds(10), Duration.ofSeconds(60), List.of(BATCH, SCHEDULE, RATE)), EventJson.mapper());
    }

    /** Text-to-video runs 0.025 × (2 s + 120 s) ≈ 3 s; no callbacks (the pollers are the only observers). */
    private static ConfigurableApplicationContext startEmulator() {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.application.name=kling-emulator",
                "--klingrelay.emulator.time-scale=0.025",
                "--klingrelay.emulator.callbacks.enabled=false",
                "--management.endpoint.health.group.readiness.include=readinessState"));
        List<KlingAccount> accounts = List.of(BATCH, SCHEDULE, RATE);
        for (int i = 0; i < accounts.size(); i++) {
            args.add("--klingrelay.emulator.accounts[" + i + "].id=" + accounts.get(i).id());
            args.add("--klingrelay.emulator.accounts[" + i + "].access-key=" + accounts.get(i).accessKey());
            args.add("--klingrelay.emulator.accounts[" + i + "].secret-key=" + accounts.get(i).secretKey());
            args.add("--klingrelay.emulator.accounts[" + i + "].concurrency=" + BATCH_TASKS);
        }
        return new SpringApplicationBuilder(KlingEmulatorApplication.class, EmulatorQueryLog.class)
                .run(args.toArray(String[]::new));
    }

    private static ConfigurableApplicationContext startPoller(KlingAccount account, URI klingBaseUrl,
            String keyPrefix, String... settings) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(),
                "--klingrelay.redis.key-prefix=" + keyPrefix,
                "--klingrelay.kling.base-url=" + klingBaseUrl,
                "--klingrelay.kling.request-timeout=5s",
                "--klingrelay.kling.accounts[0].id=" + account.id(),
                "--klingrelay.kling.accounts[0].access-key=" + account.accessKey(),
                "--klingrelay.kling.accounts[0].secret-key=" + account.secretKey(),
                "--klingrelay.poller.recheck=500ms",
                "--klingrelay.poller.sweep-interval=100ms",
                "--klingrelay.poller.schedule.callback-grace=0s",
                "--klingrelay.poller.publish-timeout=5s"));
        args.addAll(List.of(settings));
        redis.springProperties().forEach((name, value) -> args.add("--" + name + "=" + value));
        return new SpringApplicationBuilder(PollerApplication.class).web(WebApplicationType.NONE)
                .run(args.toArray(String[]::new));
    }

    @AfterAll
    static void stopEverything() {
        pollers.values().forEach(ConfigurableApplicationContext::close);
        if (emulator != null) {
            emulator.close();
        }
        if (kafka != null) {
            kafka.destroy();
        }
        if (redis != null) {
            redis.close();
        }
        FileSystemUtils.deleteRecursively(redisDir.toFile());
    }

    private record Recorded(String requestId, String taskId, Instant submittedAt) {
    }

    /** Creates the task on the emulator and records it the way the submitter does. */
    private static Recorded createAndRecord(KlingAccount account, Instant submittedAt) {
        String requestId = account.id() + "-" + UUID.randomUUID();
        String taskId = client.create(account, Product.TEXT_TO_VIDEO,
                Map.of("prompt", "A lighthouse at dusk", "external_task_id", requestId)).taskId();
        ConfigurableApplicationContext context = pollers.get(account.id());
        RecordedTasks.record(context.getBean(RequestQueue.class), context.getBean(Dispatches.class), account.id(),
                requestId, taskId, null, submittedAt, Duration.ofHours(2));
        return new Recorded(requestId, taskId, submittedAt);
    }

    private static List<Recorded> createAndRecord(KlingAccount account, int count) {
        List<Recorded> tasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tasks.add(createAndRecord(account, Instant.now()));
        }
        return tasks;
    }

    private static void awaitCompletedByThePoller(TopicRecorder events, List<Recorded> tasks, Duration atMost) {
        await().atMost(atMost).untilAsserted(() -> assertThat(tasks).allSatisfy(task ->
                assertThat(events.completed(task.requestId())).as(task.requestId()).singleElement()
                        .satisfies(event -> assertThat(event.source()).isEqualTo(StatusSource.POLLER))));
    }

    private static List<EmulatorQueryLog.Query> queriesOf(List<Recorded> tasks) {
        Set<String> ids = tasks.stream().map(Recorded::taskId).collect(Collectors.toSet());
        return emulator.getBean(EmulatorQueryLog.class).queries().stream().filter(q -> ids.contains(q.taskId()))
                .toList();
    }

    @Test
    void settlesThreeHundredDueTasksOfOneAccountWithOneListPageAndNoSingleQuery() throws Exception {
        EmulatorQueryLog log = emulator.getBean(EmulatorQueryLog.class);
        try (TopicRecorder events = new TopicRecorder(kafka.getBrokersAsString(), Topics.TASKS_COMPLETED)) {
            // GIVEN 300 tasks of one account, recorded as submitted at one instant, due together 20 s later
            Instant submittedAt = Instant.now();
            List<Recorded> tasks = new ArrayList<>();
            for (int i = 0; i < BATCH_TASKS; i++) {
                tasks.add(createAndRecord(BATCH, submittedAt));
            }
            LOG.info("{} tasks created and recorded in {} ms", BATCH_TASKS,
                    Duration.between(submittedAt, Instant.now()).toMillis());

            // WHEN they become due; THEN each ends with exactly one terminal event, from the poller
            awaitCompletedByThePoller(events, tasks, Duration.ofSeconds(60));

            // THEN list pages answered them: one page of 500 covers 300 tasks (a second sweep's page at most for
            // tasks still running at the first), and no task needed a single query
            List<EmulatorQueryLog.ListCall> lists = log.lists().stream()
                    .filter(call -> call.instance().equals("127.0.0.1")).toList();
            LOG.info("{} tasks settled with {} list calls {} and {} single queries", BATCH_TASKS, lists.size(),
                    lists.stream().map(EmulatorQueryLog.ListCall::query).toList(), queriesOf(tasks).size());
            assertThat(lists).hasSizeBetween(1, 3)
                    .allSatisfy(call -> assertThat(call.query()).contains("pageSize=500"));
            assertThat(queriesOf(tasks)).isEmpty();
        }
    }

    @Test
    void looksFirstAtTheDefaultThenAtTheLearnedExpectedEnd() throws Exception {
        try (TopicRecorder events = new TopicRecorder(kafka.getBrokersAsString(), Topics.TASKS_COMPLETED)) {
            // GIVEN nothing learned: a first wave is looked at the default 1 s after submission, while still running
            List<Recorded> first = createAndRecord(SCHEDULE, 4);
            awaitCompletedByThePoller(events, first, Duration.ofSeconds(30));
            // (well before the ≈ 3 s generation ends; up to 1.9 s of sweep delay on a loaded 2-core machine)
            assertThat(first).allSatisfy(task -> assertThat(firstQueryAfterMs(task)).isBetween(900L, 2_900L));

            // WHEN a second wave runs, with the generation time learned from the first (≈ 3 s)
            Duration expected = pollers.get(SCHEDULE.id()).getBean(PollSchedule.class).durations()
                    .expected(new TaskShape(Product.TEXT_TO_VIDEO, null, null, null));
            List<Recorded> second = createAndRecord(SCHEDULE, 4);
            awaitCompletedByThePoller(events, second, Duration.ofSeconds(30));

            // THEN its first look is at the learned expected end, and it settles there (at most one more look)
            LOG.info("learned expected generation time {}; first looks of the second wave after {} ms; queries {}",
                    expected, second.stream().map(PollerCompletionIT::firstQueryAfterMs).toList(),
                    queriesOf(second).size());
            assertThat(expected).isBetween(Duration.ofMillis(2_500), Duration.ofMillis(4_500));
            assertThat(second).allSatisfy(task -> assertThat(firstQueryAfterMs(task))
                    .isBetween(expected.toMillis() - 100, expected.toMillis() + 1_500));
            assertThat(queriesOf(second)).hasSizeLessThanOrEqualTo(2 * second.size());
            assertThat(queriesOf(first).size()).isGreaterThan(queriesOf(second).size());
        }
    }

    @Test
    void neverQueriesAnAccountFasterThanItsRateLimit() throws Exception {
        try (TopicRecorder events = new TopicRecorder(kafka.getBrokersAsString(), Topics.TASKS_COMPLETED)) {
            // GIVEN 12 tasks due at once on an account limited to 2 queries per second
            List<Recorded> tasks = createAndRecord(RATE, 12);

            // WHEN the poller settles them
            awaitCompletedByThePoller(events, tasks, Duration.ofSeconds(60));

            // THEN no second of wall time saw more than the limit (twice it for a sliding window over two
            // fixed windows), and 12 queries took at least 5 s
            List<Long> arrivals = queriesOf(tasks).stream().map(EmulatorQueryLog.Query::arrivedNanos).sorted().toList();
            int busiest = 0;
            for (int i = 0; i < arrivals.size(); i++) {
                int j = i;
                while (j < arrivals.size() && arrivals.get(j) - arrivals.get(i) < 1_000_000_000L) {
                    j++;
                }
                busiest = Math.max(busiest, j - i);
            }
            LOG.info("{} queries, busiest sliding second {}", arrivals.size(), busiest);
            assertThat(arrivals).hasSizeGreaterThanOrEqualTo(tasks.size());
            assertThat(busiest).isLessThanOrEqualTo(2 * RATE_PER_SECOND);
            assertThat(arrivals.getLast() - arrivals.getFirst())
                    .isGreaterThanOrEqualTo((arrivals.size() / RATE_PER_SECOND - 1) * 1_000_000_000L);
        }
    }

    /** @return ms from the task's submission to its first single query */
    private static long firstQueryAfterMs(Recorded task) {
        long nowNanos = System.nanoTime();
        long firstNanos = queriesOf(List.of(task)).stream().mapToLong(EmulatorQueryLog.Query::arrivedNanos).min()
                .orElseThrow();
        Instant firstAt = Instant.now().minusNanos(nowNanos - firstNanos);
        return Duration.between(task.submittedAt(), firstAt).toMillis();
    }
}
