package io.klingrelay.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.event.Priority;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.json.EventJson;
import io.klingrelay.common.kafka.Topics;
import io.klingrelay.deploy.harness.OtlpTraceReceiver;
import io.klingrelay.deploy.harness.OtlpTraceReceiver.ReceivedSpan;
import io.klingrelay.deploy.stack.KlingAccount;
import io.klingrelay.deploy.stack.KlingTarget;
import io.klingrelay.deploy.stack.LocalStack;
import io.klingrelay.deploy.stack.Service;
import io.klingrelay.deploy.stack.StackConfig;
import io.klingrelay.localstack.KafkaBrokerProcess;
import io.klingrelay.localstack.LocalRedis;
import io.klingrelay.localstack.S3ProxyProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One trace per request across the four service processes (README "Traces"): every service
 * exports its spans over OTLP/HTTP to a receiver in this test, and for each request all spans that
 * name its request id, together with the Kafka, Kling and S3 spans around them, share one trace id:
 * from the {@code klingrelay.requests} record through the create call, the callback or the poll,
 * the archive, to the {@code assets.archived} event, whose record carries that trace in its W3C
 * {@code traceparent} header.
 */
class TracingIT {

    private static final String ACCOUNT = "it-tracing";
    private static final String RUN = KlingAccount.randomHex(3);
    private static final String REQUEST_ID_TAG = "klingrelay.request_id";
    private static final String SUBMITTER = "klingrelay-submitter";
    private static final String WEBHOOK_RECEIVER = "webhook-receiver";
    private static final String POLLER = "poller";
    private static final String ARCHIVER = "archiver";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Five Boot apps on 2 shared cores can take minutes each to start. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(6);

    @TempDir
    static Path dataDir;

    private static OtlpTraceReceiver receiver;
    private static LocalStack stack;
    private static KafkaProducer<String, String> producer;
    private static ArchivedHeaders archived;

    @BeforeAll
    static void startStack() throws Exception {
        Path services = Path.of(System.getProperty("klingrelay.services.dir", "target/services"));
        assumeTrue(Files.isRegularFile(services.resolve(Service.SUBMITTER.jarName())),
                "service jars not built (deploy built with -DskipServices)");
        receiver = OtlpTraceReceiver.start();
        KlingTarget.Emulator emulator = new KlingTarget.Emulator(List.of(KlingAccount.withRandomKeys(ACCOUNT, 4)), 0.01);
        StackConfig config = new StackConfig(dataDir, KafkaBrokerProcess.libFromSystemProperty(), services,
                S3ProxyProcess.jarFromSystemProperty(), emulator, Duration.ofSeconds(5), Duration.ofSeconds(1),
                START_TIMEOUT).withOtlpEndpoint(receiver.endpoint()).withRedisCluster(LocalRedis.clusterRequested());
        for (Service service : List.of(Service.SUBMITTER, Service.WEBHOOK_RECEIVER, Service.POLLER, Service.ARCHIVER)) {
            config = config.withProperties(service,
                    Map.of("management.opentelemetry.tracing.export.schedule-delay", "200ms"));
        }
        stack = LocalStack.start(config);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
        archived = ArchivedHeaders.start(stack.bootstrapServers());
    }

    @AfterAll
    static void stopStack() {
        if (archived != null) {
            archived.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void oneTraceFollowsEachRequestThroughDispatchCallbackArchiveAndOutcome() {
        // GIVEN
        List<GenerationRequest> batch = List.of(textToVideo("cb-1"), imageGeneration("cb-2"), textToVideo("cb-3"));

        // WHEN
        batch.forEach(TracingIT::publish);

        // THEN
        for (GenerationRequest request : batch) {
            String traceId = awaitOneTrace(request.requestId(), "klingrelay.callback");
            // a span is exported when it ends: the archiver's listener span ends after its children
            eventually(() -> {
                List<ReceivedSpan> trace = trace(traceId);
                assertThat(servicesOf(trace)).as("services in the trace of %s", request.requestId())
                        .contains(SUBMITTER, WEBHOOK_RECEIVER, ARCHIVER);
                assertHop(trace, SUBMITTER, Topics.REQUESTS + " ");
                assertHop(trace, SUBMITTER, "klingrelay.dispatch");
                assertHop(trace, SUBMITTER, "kling POST ");
                assertHop(trace, SUBMITTER, Topics.TASKS_SUBMITTED + " ");
                assertHop(trace, WEBHOOK_RECEIVER, "klingrelay.callback");
                assertHop(trace, WEBHOOK_RECEIVER, Topics.TASKS_COMPLETED + " ");
                assertHop(trace, ARCHIVER, Topics.TASKS_COMPLETED + " ");
                assertHop(trace, ARCHIVER, "klingrelay.s3.upload");
                assertHop(trace, ARCHIVER, Topics.ASSETS_ARCHIVED + " ");
            });
            assertThat(archived.traceIdOf(request.requestId())).as("traceparent header of assets.archived")
                    .isEqualTo(traceId);
        }
    }

    @Test
    void oneTraceFollowsEachRequestThroughDispatchPollArchiveAndOutcomeWhenKlingSendsNoCallbacks() throws Exception {
        // GIVEN
        emulatorSettings("{\"callbacksEnabled\": false}");
        List<GenerationRequest> batch = List.of(textToVideo("poll-1"), imageGeneration("poll-2"));
        try {
            // WHEN
            batch.forEach(TracingIT::publish);

            // THEN
            for (GenerationRequest request : batch) {
                String traceId = awaitOneTrace(request.requestId(), "klingrelay.poll");
                eventually(() -> {
                    List<ReceivedSpan> trace = trace(traceId);
                    assertThat(servicesOf(trace)).as("services in the trace of %s", request.requestId())
                            .contains(SUBMITTER, POLLER, ARCHIVER).doesNotContain(WEBHOOK_RECEIVER);
                    assertHop(trace, SUBMITTER, "klingrelay.dispatch");
                    assertHop(trace, POLLER, "klingrelay.poll");
                    assertHop(trace, POLLER, "kling GET ");
                    assertHop(trace, POLLER, Topics.TASKS_COMPLETED + " ");
                    assertHop(trace, ARCHIVER, "klingrelay.s3.upload");
                    assertHop(trace, ARCHIVER, Topics.ASSETS_ARCHIVED + " ");
                });
                assertThat(archived.traceIdOf(request.requestId())).as("traceparent header of assets.archived")
                        .isEqualTo(traceId);
            }
        } finally {
            emulatorSettings("{\"callbacksEnabled\": true}");
        }
    }

    /**
     * Waits until the request is archived and its spans arrived, then checks that every span naming
     * the request id is in one trace.
     *
     * @return that trace's id
     */
    private static String awaitOneTrace(String requestId, String statusSpan) {
        await("spans of " + requestId).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    assertThat(archived.traceIdOf(requestId)).as("assets.archived of %s", requestId).isNotNull();
                    assertThat(tagged(requestId).stream().map(ReceivedSpan::name)).as("spans naming %s", requestId)
                            .contains("klingrelay.dispatch", statusSpan, "klingrelay.s3.upload");
                    assertThat(trace(archived.traceIdOf(requestId)).stream().map(ReceivedSpan::name))
                            .as("the outcome's send span").anyMatch(name -> name.startsWith(Topics.ASSETS_ARCHIVED));
                });
        Set<String> traceIds = tagged(requestId).stream().map(ReceivedSpan::traceId).collect(Collectors.toSet());
        assertThat(traceIds).as("trace ids of the spans naming %s: %s", requestId, tagged(requestId)).hasSize(1);
        return traceIds.iterator().next();
    }

    /** Retries the assertions while spans still arrive (each is exported when it ends, 200 ms batches). */
    private static void eventually(ThrowingRunnable assertions) {
        await("the spans of one trace").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(assertions);
    }

    private static void assertHop(List<ReceivedSpan> trace, String service, String namePrefix) {
        assertThat(trace).as("a %s span '%s…' in %s", service, namePrefix, namesOf(trace))
                .anyMatch(span -> span.service().equals(service) && span.name().startsWith(namePrefix));
    }

    private static List<ReceivedSpan> tagged(String requestId) {
        return receiver.spans().stream().filter(span -> requestId.equals(span.attributes().get(REQUEST_ID_TAG)))
                .toList();
    }

    private static List<ReceivedSpan> trace(String traceId) {
        return receiver.spans().stream().filter(span -> span.traceId().equals(traceId)).toList();
    }

    private static Set<String> servicesOf(List<ReceivedSpan> spans) {
        return spans.stream().map(ReceivedSpan::service).collect(Collectors.toSet());
    }

    private static List<String> namesOf(List<ReceivedSpan> spans) {
        return spans.stream().map(span -> span.service() + ":" + span.name()).toList();
    }

    private static GenerationRequest textToVideo(String id) {
        return request(id, Product.TEXT_TO_VIDEO, Map.of("model_name", "kling-v1-6",
                "prompt", "A lantern drifting over a night lake", "duration", "5", "aspect_ratio", "16:9"));
    }

    private static GenerationRequest imageGeneration(String id) {
        return request(id, Product.IMAGE_GENERATION, Map.of("model_name", "kling-v1",
                "prompt", "A paper lantern, studio light", "n", 2, "aspect_ratio", "1:1"));
    }

    private static GenerationRequest request(String id, Product product, Map<String, Object> input) {
        return new GenerationRequest(1, null, "trace-" + id + "-" + RUN, ACCOUNT, null, Priority.INTERACTIVE,
                product, new LinkedHashMap<>(input), Instant.now());
    }

    private static void publish(GenerationRequest request) {
        try {
            producer.send(new ProducerRecord<>(Topics.REQUESTS, request.accountId(),
                    EventJson.mapper().writeValueAsString(request))).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish " + request.requestId(), e);
        }
    }

    private static void emulatorSettings(String json) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(stack.emulatorBaseUrl()
                + "/admin/settings")).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("PATCH /admin/settings").isBetween(200, 299);
    }

    /** Reads {@code assets.archived} in the background and keeps each record's trace id from its {@code traceparent}. */
    private static final class ArchivedHeaders implements AutoCloseable {

        private final Map<String, String> traceIds = new ConcurrentHashMap<>();
        private final KafkaConsumer<String, String> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        private ArchivedHeaders(String bootstrapServers) {
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.GROUP_ID_CONFIG, "tracing-it-" + RUN,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer());
            thread = Thread.ofVirtual().name("tracing-it-archived").unstarted(this::run);
        }

        static ArchivedHeaders start(String bootstrapServers) {
            ArchivedHeaders headers = new ArchivedHeaders(bootstrapServers);
            headers.thread.start();
            return headers;
        }

        /** @return the trace id of the request's {@code assets.archived} record, or null before it arrived */
        String traceIdOf(String requestId) {
            return traceIds.get(requestId);
        }

        private void run() {
            consumer.subscribe(List.of(Topics.ASSETS_ARCHIVED));
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    Header traceparent = record.headers().lastHeader("traceparent");
                    String requestId = EventJson.mapper().readTree(record.value()).get("requestId").asString();
                    // traceparent = 00-<32 hex trace id>-<16 hex span id>-<flags>
                    traceIds.put(requestId, traceparent == null ? "none"
                            : new String(traceparent.value(), StandardCharsets.UTF_8).split("-")[1]);
                }
            }
            consumer.close();
        }

        @Override
        public void close() {
            running = false;
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
