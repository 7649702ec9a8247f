package io.klingrelay.submitter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import io.klingrelay.common.event.KlingRelayEvent;
import io.klingrelay.common.event.RequestFailed;
import io.klingrelay.common.kafka.Headers;
import io.klingrelay.common.kafka.Topics;
import io.klingrelay.common.testing.TopicRecorder;
import io.klingrelay.coordination.publish.EventProducers;
import io.klingrelay.coordination.publish.EventPublisher;
import io.klingrelay.coordination.publish.KafkaEventPublisher;
import io.klingrelay.localstack.LocalRedis;
import io.klingrelay.submitter.support.StubKling;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hostile records on {@code klingrelay.requests} (issue 7): each ends as exactly one bounded
 * {@code klingrelay.requests.failed} event and one dead-letter record, and the records behind it,
 * on any account, are still parked and dispatched. The broker keeps Kafka's default message size
 * limits, except where a case needs a larger request record (then only {@code klingrelay.requests}
 * is raised, as an operator carrying base64 images would).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ExtendWith(OutputCaptureExtension.class)
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class HostileRequestIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String ACCOUNT_A = "hostile-a-" + RUN;
    private static final String ACCOUNT_B = "hostile-b-" + RUN;
    /** Failure events of requests whose id starts so go through a producer with a 200-byte max.request.size. */
    private static final String TOO_LARGE_TO_FAIL = "tiny-";
    private static final int MAX_REQUEST_BYTES = 15 * 1024 * 1024;
    private static final StubKling KLING = new StubKling();
    private static final LocalRedis REDIS;

    static {
        try {
            REDIS = LocalRedis.startFromSystemProperty(Files.createTempDirectory("hostile-it-redis"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        REDIS.springProperties().forEach((name, value) -> registry.add(name, () -> value));
        registry.add("klingrelay.redis.key-prefix", () -> "hostile-it-" + RUN);
        registry.add("klingrelay.kling.base-url", KLING::baseUrl);
        List.of(ACCOUNT_A, ACCOUNT_B).forEach(account -> {
            int i = account.equals(ACCOUNT_A) ? 0 : 1;
            registry.add("klingrelay.kling.accounts[" + i + "].id", () -> account);
            registry.add("klingrelay.kling.accounts[" + i + "].access-key", () -> "it-access-key-" + i);
            registry.add("klingrelay.kling.accounts[" + i + "].secret-key", () -> "it-secret-key-0123456789abcdef-" + i);
            registry.add("klingrelay.kling.accounts[" + i + "].concurrency-limit", () -> 100);
        });
        registry.add("klingrelay.callback.base-url", () -> "http://hooks.example.org");
        registry.add("klingrelay.callback.secret", () -> "it-callback-secret-0123456789-abcdef");
        registry.add("klingrelay.submitter.sweep-interval", () -> "100ms");
        registry.add("klingrelay.submitter.max-request-size", () -> MAX_REQUEST_BYTES + "B");
    }

    @Autowired
    private EmbeddedKafkaBroker broker;

    private TopicRecorder recorder;
    private KafkaProducer<String, byte[]> producer;

    @BeforeEach
    void connect() {
        recorder = new TopicRecorder(broker.getBrokersAsString(), Topics.REQUESTS_FAILED, Topics.dlt(Topics.REQUESTS),
                Topics.TASKS_SUBMITTED);
        // a producer that can carry the large cases; the broker's limits stay Kafka's defaults
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 20 * 1024 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024),
                new StringSerializer(), new ByteArraySerializer());
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

    @Test
    void failsARequestWithA700KbIdOnceWithABoundedIdAndKeepsServingBothAccounts(CapturedOutput output) {
        // GIVEN a well-formed request whose requestId is 700 KB, then 10 valid requests on each account
        String hugeId = "h".repeat(700 * 1024);
        RecordMetadata hostile = send(ACCOUNT_A, request(hugeId, ACCOUNT_A, "\"prompt\":\"a lighthouse\""));
        List<String> valid = publishValid("after-huge-id", 10);

        // THEN every valid request is dispatched
        awaitDispatched(valid);
        // and the hostile one failed exactly once, with a bounded id and its locator
        String locator = locator(hostile);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(failuresNaming(locator)).hasSize(1));
        ConsumerRecord<String, String> failed = failuresNaming(locator).getFirst();
        assertThat(failed.key()).hasSizeLessThanOrEqualTo(128).startsWith("hhhhhhhh").isNotEqualTo(hugeId);
        assertThat(failed.value()).hasSizeLessThan(4096).contains("\"stage\":\"validation\"", "requestId:");
        // and it was dead-lettered with bounded headers pointing at the original
        ConsumerRecord<String, String> deadLetter = awaitDeadLetter(hostile);
        assertThat(deadLetter.value()).isEqualTo(new String(request(hugeId, ACCOUNT_A, "\"prompt\":\"a lighthouse\""),
                StandardCharsets.UTF_8));
        assertThat(deadLetter.key()).hasSizeLessThanOrEqualTo(128);
        assertThat(deadLetter.headers().toArray()).allSatisfy(h -> assertThat(h.value()).hasSizeLessThan(2048));
        assertThat(output.getAll()).doesNotContain("h".repeat(1000));
    }

    @Test
    void deadLettersByReferenceARecordWhoseFailureEventKafkaRefusesAndGoesOn() {
        // GIVEN an invalid request whose failure event is too large for its producer, then valid requests
        String requestId = TOO_LARGE_TO_FAIL + UUID.randomUUID();
        RecordMetadata refused = send(ACCOUNT_A, request(requestId, ACCOUNT_A, "\"prompt\":\"" + "x".repeat(2501) + "\""));
        List<String> valid = publishValid("after-refused", 3);

        // THEN the records after it are processed
        awaitDispatched(valid);
        // and the refused one is dead-lettered with a reference to it, without a failure event
        ConsumerRecord<String, String> deadLetter = awaitDeadLetter(refused);
        assertThat(header(deadLetter, Headers.FAILURE_REASON)).contains("RecordTooLargeException");
        assertThat(recorder.values(Topics.REQUESTS_FAILED, requestId)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileRecords")
    void endsAHostileRecordAsOneFailureAndOneDeadLetterAndGoesOn(String name, String requestId, byte[] value,
            String reason, CapturedOutput output) throws ExecutionException, InterruptedException {
        // GIVEN the requests topic carries records up to 16 MiB (base64 images), the others keep Kafka's limit
        allowLargeRequestRecords();
        // WHEN the hostile record and a valid request behind it arrive on the same account
        RecordMetadata hostile = send(ACCOUNT_B, value);
        List<String> valid = publishValid("after-" + requestId, 1);

        // THEN the valid one is dispatched, the hostile one failed once with a clear reason and was dead-lettered
        awaitDispatched(valid);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                recorder.events(Topics.REQUESTS_FAILED, requestId, RequestFailed.class)).singleElement()
                .satisfies(failed -> assertThat(failed.reason()).contains(reason, locator(hostile))
                        .hasSizeLessThanOrEqualTo(1200)));
        awaitDeadLetter(hostile);
        assertThat(KLING.createCalls(requestId)).isZero();
        assertThat(output.getAll()).doesNotContain("ListenerExecutionFailedException");
    }

    static Stream<Arguments> hostileRecords() {
        String deep = "deep-" + RUN;
        String longPrompt = "long-prompt-" + RUN;
        String wordN = "word-n-" + RUN;
        String arrayInput = "array-input-" + RUN;
        String numberPriority = "number-priority-" + RUN;
        String hugeImage = "huge-image-" + RUN;
        String oversize = "oversize-" + RUN;
        String base64 = Base64.getEncoder().encodeToString(new byte[10 * 1024 * 1024 + 1024]);
        return Stream.of(
                Arguments.of("nesting 10,000 levels deep", deep, request(deep, ACCOUNT_B,
                        "\"prompt\":\"p\",\"deep\":" + "[".repeat(10_000) + "]".repeat(10_000)),
                        "not a JSON generation request"),
                Arguments.of("a 900 KB prompt", longPrompt, request(longPrompt, ACCOUNT_B,
                        "\"prompt\":\"" + "p".repeat(900 * 1024) + "\""), "input.prompt: must not be longer than 2500"),
                Arguments.of("n is a word", wordN, json(wordN, ACCOUNT_B, "image-generation", "\"campaign\"",
                        "{\"prompt\":\"p\",\"n\":\"nine\"}"), "input.n: must be an integer"),
                Arguments.of("input is an array", arrayInput, json(arrayInput, ACCOUNT_B, "text-to-video",
                        "\"campaign\"", "[]"), "input: must be a JSON object"),
                Arguments.of("priority is a number", numberPriority, json(numberPriority, ACCOUNT_B, "text-to-video",
                        "7", "{\"prompt\":\"p\"}"), "priority: allowed values: interactive, campaign"),
                Arguments.of("a base64 image over 10 MB", hugeImage, json(hugeImage, ACCOUNT_B, "image-to-video",
                        "\"campaign\"", "{\"image\":\"" + base64 + "\"}"), "input.image: must be at most 10 MB"),
                Arguments.of("a record over max-request-size", oversize, json(oversize, ACCOUNT_B, "text-to-video",
                        "\"campaign\"", "{\"prompt\":\"p\",\"padding\":\"" + "x".repeat(MAX_REQUEST_BYTES) + "\"}"),
                        "over the limit of " + MAX_REQUEST_BYTES));
    }

    private static byte[] request(String requestId, String accountId, String inputFields) {
        return json(requestId, accountId, "text-to-video", "\"campaign\"", "{" + inputFields + "}");
    }

    private static byte[] json(String requestId, String accountId, String product, String priority, String input) {
        return ("{\"requestId\":\"" + requestId + "\",\"accountId\":\"" + accountId + "\",\"priority\":" + priority
                + ",\"product\":\"" + product + "\",\"input\":" + input + "}").getBytes(StandardCharsets.UTF_8);
    }

    private RecordMetadata send(String key, byte[] value) {
        try {
            return producer.send(new ProducerRecord<>(Topics.REQUESTS, key, value)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> publishValid(String prefix, int perAccount) {
        return IntStream.range(0, perAccount).boxed().flatMap(i -> Stream.of(ACCOUNT_A, ACCOUNT_B).map(account -> {
            String requestId = prefix + "-" + account.charAt(8) + "-" + i + "-" + RUN;
            send(account, request(requestId, account, "\"prompt\":\"a red kite\",\"duration\":\"5\""));
            return requestId;
        })).toList();
    }

    private static void awaitDispatched(List<String> requestIds) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(requestIds)
                .allSatisfy(id -> assertThat(KLING.createCalls(id)).as("create calls of %s", id).isEqualTo(1)));
    }

    private List<ConsumerRecord<String, String>> failuresNaming(String locator) {
        return recorder.on(Topics.REQUESTS_FAILED).stream().filter(r -> r.value().contains(locator)).toList();
    }

    private ConsumerRecord<String, String> awaitDeadLetter(RecordMetadata original) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deadLettersOf(original)).hasSize(1));
        ConsumerRecord<String, String> deadLetter = deadLettersOf(original).getFirst();
        assertThat(header(deadLetter, Headers.SOURCE_TOPIC)).isEqualTo(Topics.REQUESTS);
        assertThat(header(deadLetter, Headers.FAILURE_STAGE)).isNotBlank();
        assertThat(header(deadLetter, Headers.FAILURE_REASON)).isNotBlank().hasSizeLessThanOrEqualTo(1200);
        return deadLetter;
    }

    private List<ConsumerRecord<String, String>> deadLettersOf(RecordMetadata original) {
        return recorder.on(Topics.dlt(Topics.REQUESTS)).stream()
                .filter(r -> Long.toString(original.offset()).equals(header(r, Headers.SOURCE_OFFSET))
                        && Integer.toString(original.partition()).equals(header(r, Headers.SOURCE_PARTITION)))
                .toList();
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String locator(RecordMetadata metadata) {
        return metadata.topic() + "-" + metadata.partition() + "@" + metadata.offset();
    }

    private void allowLargeRequestRecords() throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.getBrokersAsString()))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, Topics.REQUESTS),
                    List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes", Integer.toString(16 * 1024 * 1024)),
                            AlterConfigOp.OpType.SET)))).all().get();
        }
    }

    /**
     * Sends the failure events of {@code tiny-*} requests through a producer whose
     * {@code max.request.size} is 200 bytes, so Kafka refuses them (RecordTooLargeException);
     * every other event goes through a normal producer.
     */
    @TestConfiguration(proxyBeanMethods = false)
    static class TooLargeToFail {

        @Bean
        @Primary
        RoutingPublisher routingEventPublisher(KafkaProperties kafka, JsonMapper jsonMapper) {
            Map<String, Object> config = new HashMap<>(EventProducers.durableConfig(kafka, Duration.ofSeconds(10)));
            config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 200);
            return new RoutingPublisher(EventProducers.publisher(kafka, jsonMapper, Duration.ofSeconds(10)),
                    new DefaultKafkaProducerFactory<>(config, new StringSerializer(),
                            new JacksonJsonSerializer<Object>(jsonMapper).noTypeInfo()));
        }
    }

    /** Routes each event to the normal or the tiny producer; closes the tiny one with the context. */
    static final class RoutingPublisher implements EventPublisher, AutoCloseable {

        private final EventPublisher normal;
        private final DefaultKafkaProducerFactory<String, Object> tinyProducers;
        private final EventPublisher tiny;

        RoutingPublisher(EventPublisher normal, DefaultKafkaProducerFactory<String, Object> tinyProducers) {
            this.normal = normal;
            this.tinyProducers = tinyProducers;
            this.tiny = new KafkaEventPublisher(new KafkaTemplate<>(tinyProducers), Duration.ofSeconds(10));
        }

        @Override
        public void publish(List<? extends KlingRelayEvent> events) {
            events.forEach(event -> (isTooLargeToFail(event) ? tiny : normal).publish(List.of(event)));
        }

        private static boolean isTooLargeToFail(KlingRelayEvent event) {
            return event instanceof RequestFailed failed && failed.requestId().startsWith(TOO_LARGE_TO_FAIL);
        }

        @Override
        public void close() {
            tinyProducers.destroy();
        }
    }
}
