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
import io.klingrelay.klingclient.api.KlingClient;
import io.klingrelay.klingclient.config.KlingAccount;
import io.klingrelay.klingclient.config.KlingProperties;
import io.klingrelay.klingemulator.KlingEmulatorApplication;
import io.klingrelay.localstack.LocalRedis;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
 * Three poller instances (three whole poller applications in this JVM, each with its own Redis
 * connections, Kafka producer and Kling client) against one real redis-server, a real KRaft broker
 * and the real kling-emulator, with many tasks running at once (issue 9: "N poller instances share
 * the work and never query one task twice at once"). Each instance reaches the emulator on its own
 * loopback address, so the emulator's {@link EmulatorQueryLog} knows who queried what and when.
 */
class PollerReplicasIT {

    private static final Logger LOG = LoggerFactory.getLogger(PollerReplicasIT.class);
    private static final int POLLERS = 3;
    private static final int TASKS = 60;
    private static final Duration RECHECK = Duration.ofMillis(500);
    private static final KlingAccount ACCOUNT = new KlingAccount("replicas-it", "ak-replicas-it-access-key",
            "sk-replicas-it-secret-key-0123456789abcdef", 100);

    private static Path redisDir;
    private static LocalRedis redis;
    private static EmbeddedKafkaKraftBroker kafka;
    private static ConfigurableApplicationContext emulator;
    private static final List<ConfigurableApplicationContext> pollers = new ArrayList<>();
    private static KlingClient client;

    @BeforeAll
    static void startEverything() throws IOException {
        redisDir = Files.createTempDirectory("poller-replicas-it-redis");
        redis = LocalRedis.startFromSystemProperty(redisDir);
        kafka = new EmbeddedKafkaKraftBroker(1, 1, Topics.TASKS_STATUS, Topics.TASKS_COMPLETED);
        kafka.afterPropertiesSet();
        emulator = startEmulator();
        int port = ((WebServerApplicationContext) emulator).getWebServer().getPort();
        String keyPrefix = "it-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 1; i <= POLLERS; i++) {
            pollers.add(startPoller(URI.create("http://127.0.0." + i + ":" + port), keyPrefix));
        }
        client = KlingClient.create(new KlingProperties(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(2),
                Duration.ofSeconds(10), Duration.ofSeconds(60), List.of(ACCOUNT)), EventJson.mapper());
    }

    /** Text-to-video runs 0.025 × (2 s + 120 s) ≈ 3 s; no callbacks (the pollers are the only observers). */
    private static ConfigurableApplicationContext startEmulator() {
        return new SpringApplicationBuilder(KlingEmulatorApplication.class, EmulatorQueryLog.class).run(
                "--server.port=0",
                "--spring.application.name=kling-emulator",
                "--klingrelay.emulator.accounts[0].id=" + ACCOUNT.id(),
                "--klingrelay.emulator.accounts[0].access-key=" + ACCOUNT.accessKey(),
                "--klingrelay.emulator.accounts[0].secret-key=" + ACCOUNT.secretKey(),
                "--klingrelay.emulator.accounts[0].concurrency=" + TASKS,
                "--klingrelay.emulator.time-scale=0.025",
                "--klingrelay.emulator.callbacks.enabled=false",
                // the poller's application.yml is first on this classpath: its readiness group names Kafka
                // and Redis health, which the emulator does not have
                "--management.endpoint.health.group.readiness.include=readinessState");
    }

    private static ConfigurableApplicationContext startPoller(URI klingBaseUrl, String keyPrefix) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(),
                "--klingrelay.redis.key-prefix=" + keyPrefix,
                "--klingrelay.kling.base-url=" + klingBaseUrl,
                "--klingrelay.kling.request-timeout=5s",
                "--klingrelay.kling.accounts[0].id=" + ACCOUNT.id(),
                "--klingrelay.kling.accounts[0].access-key=" + ACCOUNT.accessKey(),
                "--klingrelay.kling.accounts[0].secret-key=" + ACCOUNT.secretKey(),
                "--klingrelay.poller.grace=1s",
                "--klingrelay.poller.recheck=" + RECHECK.toMillis() + "ms",
                "--klingrelay.poller.sweep-interval=100ms",
                "--klingrelay.poller.batch-size=20",
                "--klingrelay.poller.query-threads=4",
                "--klingrelay.poller.publish-timeout=5s",
                // this test watches the claims through single queries: no list pages, no query budget to speak of
                "--klingrelay.poller.queries.list-enabled=false",
                "--klingrelay.poller.queries.rate-per-second=1000"));
        redis.springProperties().forEach((name, value) -> args.add("--" + name + "=" + value));
        return new SpringApplicationBuilder(PollerApplication.class).web(WebApplicationType.NONE)
                .run(args.toArray(String[]::new));
    }

    @AfterAll
    static void stopEverything() {
        pollers.forEach(ConfigurableApplicationContext::close);
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

    private record Recorded(String requestId, String taskId) {
    }

    /** Creates the task on the emulator and records it the way the submitter does. */
    private static Recorded createAndRecord(Instant submittedAt) {
        String requestId = "rep-" + UUID.randomUUID();
        String taskId = client.create(ACCOUNT, Product.TEXT_TO_VIDEO,
                Map.of("prompt", "A lighthouse at dusk", "external_task_id", requestId)).taskId();
        ConfigurableApplicationContext context = pollers.getFirst();
        RecordedTasks.record(context.getBean(RequestQueue.class), context.getBean(Dispatches.class), ACCOUNT.id(),
                requestId, taskId, null, submittedAt, Duration.ofHours(2));
        return new Recorded(requestId, taskId);
    }

    @Test
    void threePollersShareTheRunningTasksAndNeverQueryOneTaskTwiceAtOnce() throws Exception {
        EmulatorQueryLog log = emulator.getBean(EmulatorQueryLog.class);
        try (TopicRecorder events = new TopicRecorder(kafka.getBrokersAsString(), Topics.TASKS_COMPLETED)) {
            // GIVEN many running tasks that all become due at the same moment
            Instant submittedAt = Instant.now();
            List<Recorded> tasks = new ArrayList<>();
            for (int i = 0; i < TASKS; i++) {
                tasks.add(createAndRecord(submittedAt));
            }

            // WHEN three pollers sweep them; THEN every task ends with exactly one terminal event, from a poller
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(tasks).allSatisfy(task ->
                    assertThat(events.completed(task.requestId())).as(task.requestId()).singleElement()
                            .satisfies(event -> assertThat(event.source()).isEqualTo(StatusSource.POLLER))));
            int queriesAtEnd = log.queries().size();
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(log.queries()).hasSize(queriesAtEnd);
                assertThat(tasks).allSatisfy(task -> assertThat(events.completed(task.requestId())).hasSize(1));
            });

            // THEN every task was queried, the instances shared the work, and no task was queried twice at once
            Map<String, List<EmulatorQueryLog.Query>> byTask = log.queries().stream()
                    .collect(Collectors.groupingBy(EmulatorQueryLog.Query::taskId));
            assertThat(byTask.keySet()).containsAll(tasks.stream().map(Recorded::taskId).toList());
            assertThat(log.queries().stream().map(EmulatorQueryLog.Query::instance).collect(Collectors.toSet()))
                    .isEqualTo(Set.of("127.0.0.1", "127.0.0.2", "127.0.0.3"));
            List<String> doubles = new ArrayList<>();
            long windows = 0;
            for (Recorded task : tasks) {
                List<EmulatorQueryLog.Query> queries = byTask.get(task.taskId()).stream()
                        .sorted(Comparator.comparingLong(EmulatorQueryLog.Query::arrivedNanos)).toList();
                doubles.addAll(closerThanHalfARecheck(queries));
                windows += recheckWindows(queries);
            }
            LOG.info("{} tasks: {} queries over {} recheck windows; per instance {}", TASKS, log.queries().size(),
                    windows, log.queries().stream().collect(Collectors.groupingBy(EmulatorQueryLog.Query::instance,
                            Collectors.counting())));
            assertThat(doubles).as("queries of one task by two pollers at once").isEmpty();
            // one poller queries a task at most once per recheck window of its span: the claimed pollers
            // together stay within that (measured: 281 queries, 428 windows); without claims they did not
            // (454 queries, 416 windows, 287 double queries)
            assertThat((long) log.queries().size()).as("total queries against %d recheck windows", windows)
                    .isLessThanOrEqualTo(windows);
        }
    }

    /** @return a description of each query that came less than half a recheck after the previous one */
    private static List<String> closerThanHalfARecheck(List<EmulatorQueryLog.Query> sorted) {
        List<String> doubles = new ArrayList<>();
        for (int i = 1; i < sorted.size(); i++) {
            long gapMs = (sorted.get(i).arrivedNanos() - sorted.get(i - 1).arrivedNanos()) / 1_000_000;
            if (gapMs < RECHECK.toMillis() / 2) {
                doubles.add("task " + sorted.get(i).taskId() + ": " + sorted.get(i - 1).instance() + " then "
                        + sorted.get(i).instance() + " " + gapMs + " ms later");
            }
        }
        return doubles;
    }

    /** @return how many recheck periods the task's queries span, plus one: what a single poller needs */
    private static long recheckWindows(List<EmulatorQueryLog.Query> sorted) {
        long spanMs = (sorted.getLast().arrivedNanos() - sorted.getFirst().arrivedNanos()) / 1_000_000;
        return spanMs / RECHECK.toMillis() + 1;
    }
}
