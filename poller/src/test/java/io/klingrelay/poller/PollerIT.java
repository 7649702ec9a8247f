package io.klingrelay.poller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import io.klingrelay.common.event.KlingRelayEvent;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.event.StatusSource;
import io.klingrelay.common.event.TaskCompleted;
import io.klingrelay.common.event.TaskStatus;
import io.klingrelay.common.kafka.Topics;
import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.common.testing.TopicRecorder;
import io.klingrelay.coordination.RecordedTasks;
import io.klingrelay.coordination.dispatch.Dispatches;
import io.klingrelay.coordination.dispatch.RequestQueue;
import io.klingrelay.coordination.publish.EventPublisher;
import io.klingrelay.coordination.task.Proposal;
import io.klingrelay.coordination.task.TaskLedger;
import io.klingrelay.coordination.task.TaskRecord;
import io.klingrelay.localstack.LocalRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * The poller against a real KRaft broker, a real redis-server and a stub Kling API (JDK
 * HttpServer). Grace 1 s and recheck 500 ms keep it quick.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "klingrelay.kling.accounts[0].id=" + PollerIT.ACCOUNT,
        "klingrelay.kling.accounts[0].access-key=" + PollerIT.ACCESS_KEY,
        "klingrelay.kling.accounts[0].secret-key=" + PollerIT.SECRET_KEY,
        "klingrelay.kling.request-timeout=5s",
        "klingrelay.poller.grace=1s",
        "klingrelay.poller.recheck=500ms",
        "klingrelay.poller.sweep-interval=100ms",
        "klingrelay.poller.query-threads=4",
        "klingrelay.poller.publish-timeout=5s"})
@EmbeddedKafka(partitions = 1, topics = {Topics.TASKS_STATUS, Topics.TASKS_COMPLETED},
        bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class PollerIT {

    static final String ACCOUNT = "poller-it";
    static final String ACCESS_KEY = "ak-poller-it-access-key-0001";
    static final String SECRET_KEY = "sk-poller-it-secret-key-0123456789abcdef";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private static Path redisDir;
    /** one redis-server, or a Redis Cluster with -Dklingrelay.it.redis=cluster; AOF on either way */
    private static LocalRedis redis;
    private static StubKlingApi kling;

    @DynamicPropertySource
    static void backingServices(DynamicPropertyRegistry registry) throws IOException {
        redisDir = Files.createTempDirectory("poller-it-redis");
        redis = LocalRedis.startFromSystemProperty(redisDir);
        kling = new StubKlingApi();
        redis.springProperties().forEach((name, value) -> registry.add(name, () -> value));
        registry.add("klingrelay.redis.key-prefix", () -> "it-" + UUID.randomUUID().toString().substring(0, 8));
        registry.add("klingrelay.kling.base-url", kling::baseUrl);
    }

    @AfterAll
    static void stopBackingServices() {
        if (kling != null) {
            kling.close();
        }
        if (redis != null) {
            redis.close();
        }
        FileSystemUtils.deleteRecursively(redisDir.toFile());
    }

    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    RequestQueue queue;
    @Autowired
    Dispatches dispatches;
    @Autowired
    TaskLedger ledger;
    @Autowired
    EventPublisher publisher;
    @Autowired
    StringRedisTemplate redisTemplate;
    @Autowired
    RedisKeys keys;

    private record Recorded(String requestId, String taskId) {
    }

    /** Records a task the way the submitter does: park, take with a permit, record. */
    private Recorded recordTask(String klingStatus, Instant submittedAt, Duration permitLease) {
        int n = SEQUENCE.incrementAndGet();
        Recorded task = new Recorded("req-" + n + "-" + UUID.randomUUID().toString().substring(0, 6),
                "8673" + (100000000000000L + n));
        kling.task(task.taskId(), task.requestId(), klingStatus);
        RecordedTasks.record(queue, dispatches, ACCOUNT, task.requestId(), task.taskId(), "summer", submittedAt,
                permitLease);
        return task;
    }

    private TopicRecorder recorder() {
        return new TopicRecorder(broker.getBrokersAsString(), Topics.TASKS_STATUS, Topics.TASKS_COMPLETED);
    }

    private boolean holdsPermit(String requestId) {
        return redisTemplate.opsForZSet().score(keys.permits(ACCOUNT), requestId) != null;
    }

    @Test
    void bringsARecordedTaskToExactlyOneTaskCompletedWithoutLeakingSecrets(CapturedOutput output) throws Exception {
        try (TopicRecorder events = recorder()) {
            // GIVEN a task Kling reports finished, whose callback never came
            Recorded task = recordTask("succeed", Instant.now(), Duration.ofHours(2));

            // THEN
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(events.completed(task.requestId())).singleElement().satisfies(event -> {
                        assertThat(event.taskStatus()).isEqualTo(TaskStatus.SUCCEED);
                        assertThat(event.source()).isEqualTo(StatusSource.POLLER);
                        assertThat(event.taskId()).isEqualTo(task.taskId());
                        assertThat(event.campaignId()).isEqualTo("summer");
                        assertThat(event.assets()).singleElement()
                                .satisfies(asset -> assertThat(asset.id()).isEqualTo("v-" + task.taskId()));
                    }));
            assertThat(ledger.find(ACCOUNT, task.requestId())).get().extracting(TaskRecord::published).isEqualTo(true);
            assertThat(holdsPermit(task.requestId())).isFalse();
            int queriesAtEnd = kling.queries(task.taskId());
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(events.completed(task.requestId())).hasSize(1);
                assertThat(kling.queries(task.taskId())).isEqualTo(queriesAtEnd);
            });
            assertThat(kling.refusals()).isEmpty();
            assertThat(kling.tokensSeen()).isNotEmpty();
            for (String jwt : kling.tokensSeen()) {
                assertThat(output).doesNotContain(jwt);
            }
            assertThat(output).doesNotContain(SECRET_KEY).doesNotContain(ACCESS_KEY);
        }
    }

    @Test
    void renewsThePermitLeaseOfATaskStillProcessingAndPollsItAgain() throws Exception {
        try (TopicRecorder events = recorder()) {
            // GIVEN a task with a short permit lease that Kling reports as processing
            Recorded task = recordTask("processing", Instant.now(), Duration.ofMinutes(1));
            double initialLease = redisTemplate.opsForZSet().score(keys.permits(ACCOUNT), task.requestId());

            // THEN it is polled repeatedly and its lease renewed to about now + 2 h
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(kling.queries(task.taskId())).isGreaterThanOrEqualTo(3);
                assertThat(redisTemplate.opsForZSet().score(keys.permits(ACCOUNT), task.requestId()))
                        .isGreaterThan(initialLease + Duration.ofMinutes(90).toMillis());
            });
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(events.statuses(task.requestId())).singleElement()
                            .satisfies(event -> assertThat(event.taskStatus()).isEqualTo(TaskStatus.PROCESSING)));
            assertThat(events.completed(task.requestId())).isEmpty();

            // WHEN Kling finishes it
            kling.status(task.taskId(), "failed");

            // THEN
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(events.completed(task.requestId())).singleElement().satisfies(event -> {
                        assertThat(event.taskStatus()).isEqualTo(TaskStatus.FAILED);
                        assertThat(event.taskStatusMsg()).isEqualTo("content risk control");
                    }));
            assertThat(holdsPermit(task.requestId())).isFalse();
        }
    }

    @Test
    void publishesExactlyOneTaskCompletedWhenAWebhookAndThePollerRace() throws Exception {
        try (TopicRecorder events = recorder()) {
            // GIVEN tasks that become due together while their callbacks arrive
            List<Recorded> tasks = new ArrayList<>();
            Instant submittedAt = Instant.now().minusMillis(900);
            for (int i = 0; i < 20; i++) {
                tasks.add(recordTask("succeed", submittedAt, Duration.ofHours(2)));
            }

            // WHEN the "webhook" proposes each terminal status, publishing only when it wins
            int webhookWins = 0;
            for (Recorded task : tasks) {
                if (ledger.propose(ACCOUNT, task.requestId(), task.taskId(), TaskStatus.SUCCEED, "webhook")
                        == Proposal.WON) {
                    publisher.publish(List.of(webhookCompleted(task)));
                    ledger.markPublished(ACCOUNT, task.requestId());
                    webhookWins++;
                }
            }

            // THEN every task has exactly one terminal event, whoever won
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (Recorded task : tasks) {
                    assertThat(events.completed(task.requestId())).as(task.requestId()).hasSize(1);
                }
            });
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                for (Recorded task : tasks) {
                    assertThat(events.completed(task.requestId())).as(task.requestId()).hasSize(1);
                }
            });
            long pollerWins = tasks.stream()
                    .filter(task -> events.completed(task.requestId()).getFirst().source() == StatusSource.POLLER).count();
            assertThat(webhookWins + pollerWins).isEqualTo(tasks.size());
            assertThat(tasks).noneMatch(task -> holdsPermit(task.requestId()));
        }
    }

    private static TaskCompleted webhookCompleted(Recorded task) {
        return new TaskCompleted(KlingRelayEvent.CURRENT_SCHEMA_VERSION, null, task.requestId(), ACCOUNT, "summer",
                Product.TEXT_TO_VIDEO, task.taskId(), TaskStatus.SUCCEED, "", List.of(), StatusSource.WEBHOOK,
                Instant.now());
    }
}
