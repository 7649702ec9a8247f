package io.klingrelay.submitter;

import io.klingrelay.common.event.Priority;
import io.klingrelay.common.event.TaskStatus;
import io.klingrelay.common.json.EventJson;
import io.klingrelay.common.kafka.Topics;
import io.klingrelay.common.testing.TopicRecorder;
import io.klingrelay.coordination.admission.AccountAdmission;
import io.klingrelay.coordination.dispatch.ParkedRequest;
import io.klingrelay.coordination.dispatch.RequestQueue;
import io.klingrelay.coordination.permit.Permits;
import io.klingrelay.coordination.task.Proposal;
import io.klingrelay.coordination.task.TaskLedger;
import io.klingrelay.klingclient.callback.CallbackTokens;
import io.klingrelay.localstack.LocalRedis;
import io.klingrelay.submitter.admin.AdmissionOperations;
import io.klingrelay.submitter.support.StubKling;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ExtendWith(OutputCaptureExtension.class)
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class SubmitterIT {

    private static final String ACCOUNT = "it-brand";
    private static final String CALLBACK_SECRET = "it-callback-secret-0123456789-abcdef";
    private static final String SECRET_KEY = "it-secret-key-0123456789abcdef0123456789";
    private static final StubKling KLING = new StubKling();
    /** one redis-server, or a Redis Cluster with -Dklingrelay.it.redis=cluster; AOF on either way */
    private static final LocalRedis REDIS;

    static {
        try {
            REDIS = LocalRedis.startFromSystemProperty(Files.createTempDirectory("submitter-it-redis"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        REDIS.springProperties().forEach((name, value) -> registry.add(name, () -> value));
        registry.add("klingrelay.redis.key-prefix", () -> "submitter-it-" + UUID.randomUUID());
        registry.add("klingrelay.kling.base-url", KLING::baseUrl);
        registry.add("klingrelay.kling.accounts[0].id", () -> ACCOUNT);
        registry.add("klingrelay.kling.accounts[0].access-key", () -> "it-access-key");
        registry.add("klingrelay.kling.accounts[0].secret-key", () -> SECRET_KEY);
        registry.add("klingrelay.kling.accounts[0].concurrency-limit", () -> 2);
        registry.add("klingrelay.callback.base-url", () -> "http://hooks.example.org");
        registry.add("klingrelay.callback.secret", () -> CALLBACK_SECRET);
        registry.add("klingrelay.submitter.capacity-backoff", () -> "200ms");
        registry.add("klingrelay.submitter.backoff-base", () -> "100ms");
        registry.add("klingrelay.submitter.sweep-interval", () -> "100ms");
        // shorter than StubKling.SLOW_CREATE: a slow create must keep its lease by renewing it
        registry.add("klingrelay.submitter.dispatch-lease", () -> "2s");
        registry.add("klingrelay.admission.first-pause", () -> "1s");
    }

    @Autowired
    private EmbeddedKafkaBroker broker;
    @Autowired
    private TaskLedger ledger;
    @Autowired
    private RequestQueue queue;

    @Autowired
    private Permits permits;
    @Autowired
    private MeterRegistry meterRegistry;

    @Autowired
    private AccountAdmission admission;
    @Autowired
    private AdmissionOperations operations;
    @Autowired
    private KafkaListenerEndpointRegistry listeners;

    private TopicRecorder recorder;
    private KafkaProducer<String, String> producer;

    @BeforeEach
    void connect() {
        recorder = new TopicRecorder(broker.getBrokersAsString(), Topics.REQUESTS_FAILED, Topics.dlt(Topics.REQUESTS),
                Topics.TASKS_SUBMITTED);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new StringSerializer(), new StringSerializer());
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        producer.close();
        recorder.close();
    }

    @AfterAll
    static void stopServices() {
        KLING.close();
        REDIS.close();
    }

    private void publish(String requestId, String prompt) {
        publish(requestId, ACCOUNT, "{\"requestId\":\"" + requestId + "\",\"accountId\":\"" + ACCOUNT
                + "\",\"product\":\"text-to-video\",\"input\":{\"prompt\":\"" + prompt + "\",\"duration\":\"5\"}}");
    }

    private void publish(String key, String accountId, String json) {
        producer.send(new ProducerRecord<>(Topics.REQUESTS, accountId, json));
        producer.flush();
    }

    private void finish(String requestId) {
        String taskId = ledger.find(ACCOUNT, requestId).orElseThrow().taskId();
        assertThat(ledger.propose(ACCOUNT, requestId, taskId, TaskStatus.SUCCEED, "test")).isEqualTo(Proposal.WON);
        ledger.markPublished(ACCOUNT, requestId);
    }

    @Test
    void runsThreeIntakeConsumersByDefaultEachOnItsOwnPartitionOfTheRequestsTopic() {
        // issue 10: one consumer parks one record per Redis round trip, which capped intake end to end
        MessageListenerContainer container = listeners.getListenerContainer("klingrelay-submitter");

        assertThat(container).isInstanceOf(ConcurrentMessageListenerContainer.class);
        ConcurrentMessageListenerContainer<?, ?> concurrent = (ConcurrentMessageListenerContainer<?, ?>) container;
        assertThat(concurrent.getConcurrency()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(concurrent.getContainers())
                .hasSize(3).allSatisfy(consumer -> assertThat(consumer.getAssignedPartitions()).hasSize(1)));
    }

    @Test
    void failsAnInvalidRequestWithAReasonAndADeadLetterWithoutCallingKling() {
        String requestId = "invalid-" + UUID.randomUUID();
        publish(requestId, "x".repeat(2501));
        publish("junk", ACCOUNT, "this is not json");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(recorder.values(Topics.REQUESTS_FAILED, requestId)).singleElement().asString()
                    .contains("\"stage\":\"validation\"", "input.prompt");
            assertThat(recorder.on(Topics.dlt(Topics.REQUESTS))).anySatisfy(r -> assertThat(r.value()).contains(requestId))
                    .anySatisfy(r -> assertThat(r.value()).isEqualTo("this is not json"));
            assertThat(recorder.on(Topics.REQUESTS_FAILED)).anySatisfy(r -> assertThat(r.value()).contains("not a JSON"));
        });
        assertThat(KLING.createCalls(requestId)).isZero();
    }

    @Test
    void logsTheDispatchOfARequestAsOneJsonLineWithItsIdsAndTimesTheKlingCall(CapturedOutput output) {
        String requestId = "json-" + UUID.randomUUID();
        publish(requestId, "a harbour in fog");

        await().atMost(Duration.ofSeconds(30)).until(() -> ledger.find(ACCOUNT, requestId).isPresent());
        String taskId = ledger.find(ACCOUNT, requestId).orElseThrow().taskId();

        // the line "request … of account … is Kling task …" is an ECS JSON object carrying the MDC's ids
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(output.getOut().lines()
                .filter(line -> line.contains(requestId) && line.contains("is Kling task")))
                .singleElement().satisfies(line -> {
                    JsonNode json = EventJson.mapper().readTree(line);
                    assertThat(json.path("requestId").asString()).isEqualTo(requestId);
                    assertThat(json.path("accountId").asString()).isEqualTo(ACCOUNT);
                    assertThat(json.path("taskId").asString()).isEqualTo(taskId);
                    assertThat(json.path("log").path("level").asString()).isEqualTo("INFO");
                    assertThat(json.path("message").asString()).contains(requestId, taskId);
                }));

        // the create call is timed with account, operation, product and outcome
        assertThat(meterRegistry.find("klingrelay.kling.calls").tags("account", ACCOUNT, "operation", "create",
                "product", "text-to-video", "outcome", "success").timer()).isNotNull()
                .satisfies(timer -> assertThat(timer.count()).isPositive());
        finish(requestId);
    }

    @Test
    void neverHoldsMoreThanTheLimitAndDispatchesTheNextWhenAPermitIsReleased(CapturedOutput output) {
        // GIVEN five requests on an account limited to 2
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = List.of("lim-" + run + "-1", "lim-" + run + "-2", "lim-" + run + "-3", "lim-" + run + "-4",
                "lim-" + run + "-5");
        ids.forEach(id -> publish(id, "a lighthouse at dusk"));

        // THEN exactly two are created and stay so
        await().atMost(Duration.ofSeconds(30)).until(() -> createdOf(ids) == 2);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(15)).until(() -> createdOf(ids) == 2);
        assertThat(permits.inUse(ACCOUNT)).isEqualTo(2);

        // WHEN one task ends, THEN the next one is created promptly
        String first = ids.stream().filter(id -> KLING.createCalls(id) == 1).findFirst().orElseThrow();
        finish(first);
        await().atMost(Duration.ofSeconds(20)).until(() -> createdOf(ids) == 3);

        // and the created task carries our external_task_id, a verifiable callback_url and a Bearer JWT
        Map<String, Object> body = KLING.createdBodies().stream()
                .filter(b -> ids.contains(b.get("external_task_id"))).findFirst().orElseThrow();
        URI callback = URI.create((String) body.get("callback_url"));
        String token = callback.getPath().substring(callback.getPath().lastIndexOf('/') + 1);
        assertThat(new CallbackTokens(CALLBACK_SECRET).verify(ACCOUNT, (String) body.get("external_task_id"), token))
                .isTrue();
        assertThat(KLING.authorizations()).allSatisfy(auth -> assertThat(auth).startsWith("Bearer ey"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(recorder.on(Topics.TASKS_SUBMITTED)
                .stream().filter(r -> ids.contains(r.key())).count()).isEqualTo(3));

        // and nothing secret reached the logs: keys, the callback secret, tokens, JWTs
        assertThat(output.getAll()).doesNotContain(SECRET_KEY, CALLBACK_SECRET, token, "Bearer ey",
                KLING.authorizations().getFirst().substring("Bearer ".length()));

        // finally every request gets its turn as the others end
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            ids.forEach(id -> ledger.find(ACCOUNT, id).filter(task -> !task.published()).ifPresent(task -> finish(id)));
            return createdOf(ids) == 5 && permits.inUse(ACCOUNT) == 0;
        });
    }

    @Test
    void asksKlingByExternalTaskIdBeforeRetryingACreateWhoseAnswerWasLost() {
        String requestId = "lost-" + UUID.randomUUID();
        publish(requestId, "a paper boat [5000-after-create]");

        await().atMost(Duration.ofSeconds(30))
                .until(() -> ledger.find(ACCOUNT, requestId).isPresent());
        assertThat(KLING.createCalls(requestId)).isEqualTo(1);
        assertThat(KLING.createdBodies().stream().filter(b -> requestId.equals(b.get("external_task_id")))).hasSize(1);
        finish(requestId);
    }

    @Test
    void aCreateSlowerThanTheDispatchLeaseIsNotHandedToAnotherDispatchAndCreatedTwice() {
        // GIVEN a create that takes longer than the dispatch lease before the task exists on Kling
        String requestId = "slow-" + UUID.randomUUID();
        publish(requestId, "a glacier calving [slow-create]");

        // WHEN it finally answers
        await().atMost(Duration.ofSeconds(30)).until(() -> ledger.find(ACCOUNT, requestId).isPresent());

        // THEN its lease was renewed meanwhile: no sweep recovered it, no second create was made
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(15))
                .until(() -> KLING.createCalls(requestId) == 1);
        assertThat(KLING.createdBodies().stream().filter(b -> requestId.equals(b.get("external_task_id")))).hasSize(1);
        finish(requestId);
    }

    @Test
    void requeuesOnCapacityErrorsWithoutSpendingAnAttempt() {
        String requestId = "cap-" + UUID.randomUUID();
        publish(requestId, "a crowded beach [1303-once]");

        await().atMost(Duration.ofSeconds(30)).until(() -> ledger.find(ACCOUNT, requestId).isPresent());
        assertThat(KLING.createCalls(requestId)).isEqualTo(2);
        assertThat(recorder.values(Topics.REQUESTS_FAILED, requestId)).isEmpty();
        finish(requestId);
    }

    @Test
    void skipsAReplayedRecordOfAKnownRequest() {
        String requestId = "replay-" + UUID.randomUUID();
        publish(requestId, "a red kite");
        await().atMost(Duration.ofSeconds(30)).until(() -> ledger.find(ACCOUNT, requestId).isPresent());
        finish(requestId);

        publish(requestId, "a red kite");

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(15))
                .until(() -> KLING.createCalls(requestId) == 1);
        assertThat(queue.park(new ParkedRequest(ACCOUNT, requestId, Priority.CAMPAIGN, 0, "{}", 1, null))).isFalse();
    }

    private static long createdOf(List<String> ids) {
        return KLING.createdBodies().stream().filter(b -> ids.contains(b.get("external_task_id"))).count();
    }

    @Test
    void pausesTheAccountOnAnAccountErrorKeepsItsRequestsAndResumesAfterAProbe() {
        String first = "acct-err-" + UUID.randomUUID();
        publish(first, "a windmill [1102-once]");

        await().atMost(Duration.ofSeconds(30)).until(() -> ledger.find(ACCOUNT, first).isPresent());
        assertThat(KLING.createCalls(first)).isEqualTo(2);
        assertThat(recorder.values(Topics.REQUESTS_FAILED, first)).isEmpty();
        assertThat(admission.state(ACCOUNT).pausedUntil()).isNull();
        finish(first);
    }

    @Test
    void holdsAPausedAccountsRequestsAndCancelsACampaignWithACancelledEvent() {
        // GIVEN a paused account
        operations.setPaused(ACCOUNT, true);
        String kept = "paused-" + UUID.randomUUID();
        String campaign = "camp-" + UUID.randomUUID().toString().substring(0, 8);
        String cancelled = "cancel-" + UUID.randomUUID();
        publish(kept, "a quiet harbour");
        producer.send(new ProducerRecord<>(Topics.REQUESTS, ACCOUNT, "{\"requestId\":\"" + cancelled
                + "\",\"accountId\":\"" + ACCOUNT + "\",\"campaignId\":\"" + campaign
                + "\",\"product\":\"text-to-video\",\"input\":{\"prompt\":\"a busy market\"}}"));
        producer.flush();

        // THEN nothing is created while it is paused
        await().atMost(Duration.ofSeconds(10)).until(() -> admission.state(ACCOUNT).queued() >= 2);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(15))
                .until(() -> KLING.createCalls(kept) == 0 && KLING.createCalls(cancelled) == 0);

        // WHEN the campaign is cancelled and the account resumed
        assertThat(operations.cancelCampaign(campaign)).isEqualTo(1);
        operations.setPaused(ACCOUNT, false);

        // THEN the cancelled request ends with stage cancelled and the other one runs
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(recorder.values(Topics.REQUESTS_FAILED, cancelled)).singleElement().asString()
                    .contains("\"stage\":\"cancelled\"");
            assertThat(ledger.find(ACCOUNT, kept)).isPresent();
        });
        assertThat(KLING.createCalls(cancelled)).isZero();
        finish(kept);
    }
}
