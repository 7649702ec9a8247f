package io.klingrelay.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.klingrelay.common.event.ArchivedAsset;
import io.klingrelay.common.event.AssetsArchived;
import io.klingrelay.common.event.FailureStage;
import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.event.Priority;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.event.RequestFailed;
import io.klingrelay.common.json.EventJson;
import io.klingrelay.common.kafka.Topics;
import io.klingrelay.deploy.harness.MetricNames;
import io.klingrelay.deploy.harness.TopicContractCheck;
import io.klingrelay.deploy.stack.KlingAccount;
import io.klingrelay.deploy.stack.KlingTarget;
import io.klingrelay.deploy.stack.LocalStack;
import io.klingrelay.deploy.stack.Service;
import io.klingrelay.deploy.stack.StackConfig;
import io.klingrelay.localstack.KafkaBrokerProcess;
import io.klingrelay.localstack.LocalRedis;
import io.klingrelay.localstack.S3ProxyProcess;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The acceptance test: the whole pipeline as separate processes (real Kafka, Redis,
 * s3proxy, the emulator and the four service jars), driven only through Kafka and checked
 * through Kafka, the emulator's admin API and the objects in s3proxy.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineIT {

    private static final String AURORA = "it-aurora";
    private static final String BOREALIS = "it-borealis";
    private static final int CONCURRENCY = 2;
    private static final String RUN = KlingAccount.randomHex(3);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ADMIN_TOKEN = "pipeline-it-admin-" + java.util.UUID.randomUUID();

    @TempDir
    static Path dataDir;

    private static LocalStack stack;
    private static KafkaProducer<String, String> producer;
    private static EventCollector events;

    @BeforeAll
    static void startStack() {
        Path services = Path.of(System.getProperty("klingrelay.services.dir", "target/services"));
        assumeTrue(Files.isRegularFile(services.resolve(Service.SUBMITTER.jarName())),
                "service jars not built (deploy built with -DskipServices)");
        KlingTarget.Emulator emulator = new KlingTarget.Emulator(List.of(
                KlingAccount.withRandomKeys(AURORA, CONCURRENCY), KlingAccount.withRandomKeys(BOREALIS, CONCURRENCY)), 0.01);
        stack = LocalStack.start(new StackConfig(dataDir, KafkaBrokerProcess.libFromSystemProperty(), services,
                S3ProxyProcess.jarFromSystemProperty(), emulator, Duration.ofSeconds(5), Duration.ofSeconds(1),
                Duration.ofMinutes(3)).withProperties(Service.SUBMITTER,
                Map.of("klingrelay.submitter.admin-token", ADMIN_TOKEN))
                .withRedisCluster(LocalRedis.clusterRequested()));
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
        events = EventCollector.start(stack.bootstrapServers());
    }

    @AfterAll
    static void stopStack() {
        if (events != null) {
            events.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void archivesEveryRequestOfAMixedBatchByteForByteWithoutEverExceedingAnAccountsConcurrency() throws Exception {
        // GIVEN
        List<GenerationRequest> batch = mixedBatch("a", 32);

        // WHEN
        batch.forEach(PipelineIT::publish);

        // THEN
        List<String> ids = batch.stream().map(GenerationRequest::requestId).toList();
        await("every request archived").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(events.archived.keySet()).containsAll(ids));
        assertThat(events.failed.keySet()).doesNotContainAnyElementsOf(ids);
        for (String id : ids) {
            assertStoredBytesMatchTheEmulatorsAssets(events.archived.get(id));
        }
        JsonNode stats = getJson("/admin/stats").get("accounts");
        for (String account : List.of(AURORA, BOREALIS)) {
            JsonNode accountStats = stats.get(account);
            assertThat(accountStats.get("maxRunning").asInt()).as("maxRunning of %s", account).isLessThanOrEqualTo(CONCURRENCY);
            assertThat(accountStats.get("capacityRejections").asInt()).as("1303s of %s", account).isZero();
            assertThat(accountStats.get("duplicateExternalTaskIds").asInt()).as("duplicates of %s", account).isZero();
        }
    }

    @Test
    @Order(2)
    void anInvalidRequestEndsInRequestsFailedAtValidationAndInTheDeadLetterTopic() {
        // GIVEN: kling-v1-6 takes duration "5" or "10" only
        GenerationRequest invalid = request("invalid-1", AURORA, Product.TEXT_TO_VIDEO,
                Map.of("model_name", "kling-v1-6", "prompt", "Sparkling water, seven seconds", "duration", "7"));

        // WHEN
        publish(invalid);

        // THEN
        await("requests.failed and the DLT").atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            assertThat(events.failed).containsKey(invalid.requestId());
            assertThat(events.deadLettered).anyMatch(record -> invalid.requestId().equals(record.key())
                    || String.valueOf(record.value()).contains(invalid.requestId()));
        });
        RequestFailed failed = events.failed.get(invalid.requestId());
        assertThat(failed.stage()).isEqualTo(FailureStage.VALIDATION);
        assertThat(failed.accountId()).isEqualTo(AURORA);
        assertThat(events.archived).doesNotContainKey(invalid.requestId());
    }

    @Test
    @Order(3)
    void thePollerArchivesEveryRequestWhenKlingSendsNoCallbacks() throws Exception {
        // GIVEN
        send("PATCH", "/admin/settings", "{\"callbacksEnabled\": false}");
        List<GenerationRequest> batch = mixedBatch("c", 6);
        try {
            // WHEN
            batch.forEach(PipelineIT::publish);

            // THEN
            List<String> ids = batch.stream().map(GenerationRequest::requestId).toList();
            await("every request archived by the poller").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(events.archived.keySet()).containsAll(ids));
            for (String id : ids) {
                assertStoredBytesMatchTheEmulatorsAssets(events.archived.get(id));
            }
        } finally {
            send("PATCH", "/admin/settings", "{\"callbacksEnabled\": true}");
        }
    }

    private static List<GenerationRequest> mixedBatch(String prefix, int size) {
        List<GenerationRequest> batch = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String account = i % 2 == 0 ? AURORA : BOREALIS;
            String id = prefix + "-" + i;
            batch.add(switch (i % 3) {
                case 0 -> request(id, account, Product.TEXT_TO_VIDEO, Map.of("model_name", "kling-v1-6",
                        "prompt", "Spring launch clip " + i + ": a bottle on a mossy stone", "duration", "5",
                        "aspect_ratio", "16:9", "negative_prompt", "blurry, text"));
                case 1 -> request(id, account, Product.IMAGE_TO_VIDEO, Map.of("model_name", "kling-v1-6",
                        "image", "https://assets.example.com/spring-launch/frame-" + i + ".png",
                        "prompt", "The product turns slowly", "duration", "5"));
                default -> request(id, account, Product.IMAGE_GENERATION, Map.of("model_name", "kling-v1",
                        "prompt", "Key visual " + i + " for the spring launch", "n", 1 + i % 2, "aspect_ratio", "1:1"));
            });
        }
        return batch;
    }

    private static GenerationRequest request(String id, String account, Product product, Map<String, Object> input) {
        return new GenerationRequest(1, null, "it-" + id + "-" + RUN, account, "pipeline-it-" + RUN, Priority.CAMPAIGN,
                product, new LinkedHashMap<>(input), Instant.now());
    }

    @Test
    @Order(4)
    void theSubmittersAdminApiAnswersOnlyTheConfiguredTokenAndNeverLogsIt() throws Exception {
        // GIVEN
        URI accounts = URI.create(stack.submitterBaseUrl(1) + "/admin/accounts");
        URI pause = URI.create(stack.submitterBaseUrl(1) + "/admin/accounts/" + AURORA + "/pause");

        // WHEN
        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(accounts).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrongPause = HTTP.send(HttpRequest.newBuilder(pause)
                .header("Authorization", "Bearer not-the-admin-token-0123456789").POST(HttpRequest.BodyPublishers
                        .noBody()).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> authorised = HTTP.send(HttpRequest.newBuilder(accounts)
                .header("Authorization", "Bearer " + ADMIN_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());

        // THEN
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(wrongPause.statusCode()).isEqualTo(401);
        assertThat(authorised.statusCode()).isEqualTo(200);
        JsonNode aurora = null;
        for (JsonNode account : EventJson.mapper().readTree(authorised.body())) {
            if (AURORA.equals(account.get("accountId").asString())) {
                aurora = account;
            }
        }
        assertThat(aurora).as("aurora in %s", authorised.body()).isNotNull();
        assertThat(aurora.get("operatorPaused").asBoolean()).as("paused by the refused call").isFalse();
        assertThat(Files.readString(stack.config().logsDir().resolve("submitter.log")))
                .contains("missing or wrong admin token").doesNotContain(ADMIN_TOKEN)
                .doesNotContain("not-the-admin-token");
    }

    @Test
    @Order(5)
    void everyServiceExposesPrometheusMetricsWithTheCatalogueAndEveryMetricTheDashboardAndAlertsUse() throws Exception {
        // GIVEN the series the README's catalogue and deploy/observability/ name
        Set<String> catalogue = MetricNames.inReadmeCatalogue(Path.of("../README.md"));
        Set<String> dashboard = MetricNames.inDashboard(Path.of("observability/klingrelay-dashboard.json"));
        Set<String> alerts = MetricNames.inRules(Path.of("observability/klingrelay-alerts.yml"));
        assertThat(catalogue).as("README catalogue").hasSizeGreaterThan(15);

        // WHEN every service is scraped after the campaigns above
        Set<String> scraped = new TreeSet<>();
        for (Service service : Service.values()) {
            HttpResponse<String> scrape = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + stack.port(service) + "/actuator/prometheus")).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.statusCode()).as("/actuator/prometheus of %s", service).isEqualTo(200);
            Set<String> names = MetricNames.inScrape(scrape.body());
            assertThat(names).as("scrape of %s", service).contains("jvm_memory_used_bytes", "process_uptime_seconds");
            scraped.addAll(names);
        }

        // THEN every named series exists
        assertThat(scraped).as("series scraped from the services").containsAll(catalogue).containsAll(dashboard)
                .containsAll(alerts);
    }

    @Test
    @Order(6)
    void everyServiceLogsOneJsonObjectPerLineAndALineAboutARequestCarriesItsIds() throws Exception {
        for (Service service : Service.values()) {
            List<JsonNode> lines = jsonLines(stack.config().logsDir().resolve(service.moduleName() + ".log"));
            assertThat(lines).as("JSON log lines of %s", service).isNotEmpty().allSatisfy(line -> {
                assertThat(line.path("@timestamp").asString()).isNotBlank();
                assertThat(line.path("message").isMissingNode()).isFalse();
            });
        }
        List<JsonNode> submitter = jsonLines(stack.config().logsDir().resolve("submitter.log"));
        assertThat(submitter).as("a submitter line with requestId, accountId and taskId").anySatisfy(line -> {
            assertThat(line.path("requestId").asString()).startsWith("it-");
            assertThat(line.path("accountId").asString()).isIn(AURORA, BOREALIS);
            assertThat(line.path("taskId").asString()).isNotBlank();
            assertThat(line.path("message").asString()).contains(line.path("requestId").asString());
        });
    }

    /** Every line of a service log that is a JSON object (the banner and JVM warnings are not), parsed. */
    private static List<JsonNode> jsonLines(Path log) throws java.io.IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("{")) {
                lines.add(EventJson.mapper().readTree(line));
            }
        }
        return lines;
    }

    private static void publish(GenerationRequest request) {
        try {
            producer.send(new ProducerRecord<>(Topics.REQUESTS, request.accountId(),
                    EventJson.mapper().writeValueAsString(request))).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot publish " + request.requestId(), e);
        }
    }

    private static void assertStoredBytesMatchTheEmulatorsAssets(AssetsArchived archived) throws Exception {
        JsonNode emulatorAssets = getJson("/admin/tasks/" + archived.taskId()).get("assets");
        assertThat(archived.assets()).as("assets of %s", archived.requestId()).hasSize(emulatorAssets.size()).isNotEmpty();
        for (ArchivedAsset asset : archived.assets()) {
            JsonNode expected = emulatorAssets.get(asset.index());
            String stored = sha256OfObject(asset);
            assertThat(stored).as("SHA-256 of %s", asset.objectKey()).isEqualTo(expected.get("sha256").asString());
            assertThat(asset.sha256()).isEqualTo(stored);
            assertThat(asset.size()).isEqualTo(expected.get("size").asLong());
        }
    }

    private static String sha256OfObject(ArchivedAsset asset) throws Exception {
        var endpoints = stack.endpoints();
        MinioClient minio = MinioClient.builder().endpoint(endpoints.s3Endpoint())
                .credentials(endpoints.s3AccessKey(), endpoints.s3SecretKey()).build();
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(minio.getObject(GetObjectArgs.builder()
                .bucket(asset.bucket()).object(asset.objectKey()).build()), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    @Test
    @Order(7)
    void everyRecordReadFromThePipelinesTopicsMatchesTheTopicContracts() {
        // GIVEN: the records of the tests above, read from the beginning of every topic

        // WHEN
        TopicContractCheck contracts = events.contracts;

        // THEN (docs/asyncapi.yaml, docs/schemas)
        await("a record of every event type read").atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                contracts.eventTypesSeen()).containsExactlyInAnyOrderElementsOf(contracts.eventTypes()));
        assertThat(contracts.violations()).isEmpty();
    }

    private static JsonNode getJson(String path) throws Exception {
        HttpResponse<String> response = send("GET", path, null);
        assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
        return EventJson.mapper().readTree(response.body());
    }

    private static HttpResponse<String> send(String method, String path, String json) throws Exception {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.emulatorBaseUrl() + path))
                .header("Content-Type", "application/json").method(method, body).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s", method, path).isBetween(200, 299);
        return response;
    }

    /**
     * Reads every topic in the background, from the beginning: checks each record against the topic
     * contracts, and keeps assets.archived, requests.failed and the requests DLT.
     */
    private static final class EventCollector implements AutoCloseable {

        final Map<String, AssetsArchived> archived = new ConcurrentHashMap<>();
        final Map<String, RequestFailed> failed = new ConcurrentHashMap<>();
        final List<ConsumerRecord<String, String>> deadLettered = new java.util.concurrent.CopyOnWriteArrayList<>();
        final TopicContractCheck contracts = new TopicContractCheck();
        private final KafkaConsumer<String, String> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        private EventCollector(String bootstrapServers) {
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.GROUP_ID_CONFIG, "pipeline-it-" + RUN,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer());
            thread = Thread.ofVirtual().name("pipeline-it-events").unstarted(this::run);
        }

        static EventCollector start(String bootstrapServers) {
            EventCollector collector = new EventCollector(bootstrapServers);
            collector.thread.start();
            return collector;
        }

        private void run() {
            consumer.subscribe(TopicContractCheck.topics());
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    accept(record);
                }
            }
            consumer.close();
        }

        private void accept(ConsumerRecord<String, String> record) {
            contracts.check(record);
            switch (record.topic()) {
                case Topics.ASSETS_ARCHIVED -> {
                    AssetsArchived event = EventJson.mapper().readValue(record.value(), AssetsArchived.class);
                    archived.put(event.requestId(), event);
                }
                case Topics.REQUESTS_FAILED -> {
                    RequestFailed event = EventJson.mapper().readValue(record.value(), RequestFailed.class);
                    failed.put(event.requestId(), event);
                }
                default -> {
                    // the other event topics are read for the contract check only
                    if (Topics.dlt(Topics.REQUESTS).equals(record.topic())) {
                        deadLettered.add(record);
                    }
                }
            }
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
