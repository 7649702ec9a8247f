package io.klingrelay.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.klingrelay.common.event.ArchivedAsset;
import io.klingrelay.common.event.AssetsArchived;
import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.event.Priority;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.event.RequestFailed;
import io.klingrelay.common.event.TaskCompleted;
import io.klingrelay.common.event.TaskStatus;
import io.klingrelay.common.json.EventJson;
import io.klingrelay.common.kafka.Topics;
import io.klingrelay.deploy.stack.KlingAccount;
import io.klingrelay.deploy.stack.KlingTarget;
import io.klingrelay.deploy.stack.LocalStack;
import io.klingrelay.deploy.stack.Service;
import io.klingrelay.deploy.stack.StackConfig;
import io.klingrelay.localstack.KafkaBrokerProcess;
import io.klingrelay.localstack.S3ProxyProcess;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 9's acceptance test: accounts of both credential kinds (AK/SK, a static API key, both) in
 * two Kling regions (two emulator processes, each knowing only its own accounts), configured once in
 * the one accounts file with each region's {@code base-url}, and requests of both API surfaces
 * (legacy {@code /v1} models and the 2026 path-per-model ones) through the whole pipeline to
 * archived assets, with the units Kling charged on {@code tasks.completed}.
 */
class TwoRegionsIT {

    private static final String RUN = KlingAccount.randomHex(3);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int CONCURRENCY = 2;
    private static final String BEIJING = "beijing";

    /** Singapore: the stack's own emulator (the accounts file's default base URL). */
    private static final KlingAccount SG_ACCESS_KEYS = KlingAccount.withRandomKeys("sg-aksk", CONCURRENCY);
    private static final KlingAccount SG_API_KEY = KlingAccount.withRandomApiKey("sg-key", CONCURRENCY);
    /** Beijing: a second emulator, its accounts with its {@code base-url}. */
    private static final KlingAccount CN_API_KEY = KlingAccount.withRandomApiKey("cn-key", CONCURRENCY);
    private static final KlingAccount CN_BOTH = KlingAccount.withRandomKeysAndApiKey("cn-both", CONCURRENCY);
    private static final List<KlingAccount> SINGAPORE_ACCOUNTS = List.of(SG_ACCESS_KEYS, SG_API_KEY);
    private static final List<KlingAccount> BEIJING_ACCOUNTS = List.of(CN_API_KEY, CN_BOTH);

    /** kling-v1-6, std, 5 s: 1 unit per started 5 s (kling-emulator README, "Behaviour we had to guess"). */
    private static final BigDecimal LEGACY_VIDEO_UNITS = new BigDecimal("1");
    /** kling-v1, one image: 8 units per image (same table). */
    private static final BigDecimal IMAGE_UNITS = new BigDecimal("8");
    /** kling-3.0 and kling-3.0-omni, std (720p), no audio, 5 s: 0.6 units per second (kling-emulator README, "2026 API"). */
    private static final BigDecimal NEW_VIDEO_UNITS = new BigDecimal("3.0");

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
        stack = LocalStack.start(new StackConfig(dataDir, KafkaBrokerProcess.libFromSystemProperty(), services,
                S3ProxyProcess.jarFromSystemProperty(), new KlingTarget.Emulator(SINGAPORE_ACCOUNTS, 0.01),
                Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMinutes(3))
                .withRegion(BEIJING, new KlingTarget.Emulator(BEIJING_ACCOUNTS, 0.01)));
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
    void accountsOfBothCredentialKindsInTwoRegionsArchiveRequestsOfBothSurfacesWithTheirUnitsAndKeepTheirKeysAtHome()
            throws Exception {
        // GIVEN two requests per account: legacy models on every account, 2026 models on those with an API key
        Map<GenerationRequest, BigDecimal> batch = new LinkedHashMap<>();
        batch.put(legacyVideo("sg-aksk-v16", SG_ACCESS_KEYS), LEGACY_VIDEO_UNITS);
        batch.put(image("sg-aksk-image", SG_ACCESS_KEYS), IMAGE_UNITS);
        batch.put(newVideo("sg-key-v30", SG_API_KEY), NEW_VIDEO_UNITS);
        batch.put(legacyVideo("sg-key-v16", SG_API_KEY), LEGACY_VIDEO_UNITS);
        batch.put(newVideo("cn-key-v30", CN_API_KEY), NEW_VIDEO_UNITS);
        batch.put(omniVideo("cn-key-omni", CN_API_KEY), NEW_VIDEO_UNITS);
        batch.put(legacyVideo("cn-both-v16", CN_BOTH), LEGACY_VIDEO_UNITS);
        batch.put(newVideo("cn-both-v30", CN_BOTH), NEW_VIDEO_UNITS);

        // WHEN
        batch.keySet().forEach(TwoRegionsIT::publish);

        // THEN every request is archived once, its completion carrying the units Kling charged
        List<String> ids = batch.keySet().stream().map(GenerationRequest::requestId).toList();
        await("every request archived").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .failFast("a request ended in requests.failed", () -> ids.stream().anyMatch(events.failed::containsKey))
                .untilAsserted(() -> assertThat(events.archived.keySet()).containsAll(ids));
        assertThat(events.failed).as("requests.failed").doesNotContainKeys(ids.toArray(String[]::new));
        for (Map.Entry<GenerationRequest, BigDecimal> entry : batch.entrySet()) {
            assertArchivedOnceWithUnits(entry.getKey(), entry.getValue());
        }
        // AND each region's emulator saw exactly its own accounts' tasks and keys
        assertEmulatorSawOnly(stack.emulatorBaseUrl(), SINGAPORE_ACCOUNTS, stack.emulatorBaseUrl(BEIJING), batch.keySet());
        assertEmulatorSawOnly(stack.emulatorBaseUrl(BEIJING), BEIJING_ACCOUNTS, stack.emulatorBaseUrl(), batch.keySet());
        // AND no key reached a log
        assertNoKeyInAnyLog();
    }

    private static void assertArchivedOnceWithUnits(GenerationRequest request, BigDecimal expectedUnits) throws Exception {
        String id = request.requestId();
        assertThat(events.archived.get(id)).as("assets.archived of %s", id).hasSize(1);
        AssetsArchived archived = events.archived.get(id).getFirst();
        assertThat(events.completed.get(id)).as("tasks.completed of %s", id).isNotEmpty().allSatisfy(completed -> {
            assertThat(completed.taskStatus()).isEqualTo(TaskStatus.SUCCEED);
            assertThat(completed.taskId()).isEqualTo(archived.taskId());
            assertThat(completed.units()).as("units of %s", id).isNotNull().isPositive()
                    .isEqualByComparingTo(expectedUnits);
        });
        JsonNode emulatorTask = getJson(emulatorOf(request.accountId()), "/admin/tasks/" + archived.taskId());
        assertThat(emulatorTask.get("accountId").asString()).isEqualTo(request.accountId());
        assertThat(chargedByTheEmulator(request, emulatorTask)).as("emulator's units of %s", id)
                .isEqualByComparingTo(expectedUnits);
        JsonNode emulatorAssets = emulatorTask.get("assets");
        assertThat(archived.assets()).as("assets of %s", id).isNotEmpty().hasSize(emulatorAssets.size());
        for (ArchivedAsset asset : archived.assets()) {
            String stored = sha256OfObject(asset);
            assertThat(asset.sha256()).as("SHA-256 in the event of %s", asset.objectKey()).isEqualTo(stored);
            assertThat(stored).isEqualTo(emulatorAssets.get(asset.index()).get("sha256").asString());
        }
    }

    /**
     * The units in the emulator's own view of the task ({@code final_unit_deduction}, which the 2026
     * {@code billing[]} shares), after checking the surface the task was created on: a 2026 model's
     * task under its path-per-model product ({@code /text-to-video/kling-3.0}), a legacy one under {@code /v1}.
     */
    private static BigDecimal chargedByTheEmulator(GenerationRequest request, JsonNode view) {
        String model = String.valueOf(request.input().get("model_name"));
        String product = view.get("product").asString();
        if (model.startsWith("kling-3.0")) {
            assertThat(product).as("2026 path of %s", request.requestId()).endsWith("/" + model);
        } else {
            assertThat(product).as("legacy path of %s", request.requestId()).startsWith("/v1/").doesNotContain(model);
        }
        return new BigDecimal(view.get("task").get("final_unit_deduction").asString());
    }

    /** The emulator's stats list its accounts only, each with one create per request; the other region has none of their tasks. */
    private static void assertEmulatorSawOnly(String emulator, List<KlingAccount> own, String otherEmulator,
            Collection<GenerationRequest> batch) throws Exception {
        JsonNode accounts = getJson(emulator, "/admin/stats").get("accounts");
        List<String> ownIds = own.stream().map(KlingAccount::id).toList();
        assertThat(accounts.propertyNames()).as("accounts in the stats of %s", emulator)
                .containsExactlyInAnyOrderElementsOf(ownIds);
        for (KlingAccount account : own) {
            long requests = batch.stream().filter(request -> request.accountId().equals(account.id())).count();
            JsonNode stats = accounts.get(account.id());
            assertThat(stats.get("creates").asLong()).as("creates of %s", account.id()).isEqualTo(requests);
            for (String code : List.of("1000", "1001", "1002", "1003", "1004")) {
                assertThat(stats.path("errorCodes").path(code).asLong(0)).as("%s answered to %s", code, account.id()).isZero();
            }
        }
        for (GenerationRequest request : batch) {
            if (ownIds.contains(request.accountId())) {
                String taskId = events.archived.get(request.requestId()).getFirst().taskId();
                assertThat(send(otherEmulator, "/admin/tasks/" + taskId).statusCode())
                        .as("task %s of %s in the other region", taskId, request.accountId()).isEqualTo(404);
            }
        }
    }

    /** No secret key and no API key in any process's log; no AccessKey in the relay's services' logs either. */
    private static void assertNoKeyInAnyLog() throws IOException {
        List<Path> logs;
        try (Stream<Path> files = Files.list(stack.config().logsDir())) {
            logs = files.filter(Files::isRegularFile).toList();
        }
        assertThat(logs).extracting(path -> path.getFileName().toString())
                .contains("submitter.log", "poller.log", "kling-emulator.log", "kling-emulator-" + BEIJING + ".log");
        List<KlingAccount> all = Stream.concat(SINGAPORE_ACCOUNTS.stream(), BEIJING_ACCOUNTS.stream()).toList();
        for (Path log : logs) {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            boolean relayService = !log.getFileName().toString().startsWith("kling-emulator");
            for (KlingAccount account : all) {
                assertThat(text).as("%s", log.getFileName()).doesNotContain(account.secretKey());
                if (account.apiKey() != null) {
                    assertThat(text).as("%s", log.getFileName()).doesNotContain(account.apiKey());
                }
                if (relayService) {
                    assertThat(text).as("%s", log.getFileName()).doesNotContain(account.accessKey());
                }
            }
        }
    }

    private static String emulatorOf(String accountId) {
        boolean singapore = SINGAPORE_ACCOUNTS.stream().anyMatch(account -> account.id().equals(accountId));
        return singapore ? stack.emulatorBaseUrl() : stack.emulatorBaseUrl(BEIJING);
    }

    private static GenerationRequest legacyVideo(String id, KlingAccount account) {
        return request(id, account, Product.TEXT_TO_VIDEO, Map.of("model_name", "kling-v1-6",
                "prompt", "A lantern festival over the river, " + id, "duration", "5", "mode", "std"));
    }

    private static GenerationRequest image(String id, KlingAccount account) {
        return request(id, account, Product.IMAGE_GENERATION, Map.of("model_name", "kling-v1",
                "prompt", "A key visual of a tea bottle, " + id, "n", 1, "aspect_ratio", "1:1"));
    }

    private static GenerationRequest newVideo(String id, KlingAccount account) {
        return request(id, account, Product.TEXT_TO_VIDEO, Map.of("model_name", "kling-3.0",
                "prompt", "A paper boat on a rainy street, " + id, "duration", "5", "mode", "std",
                "aspect_ratio", "16:9"));
    }

    private static GenerationRequest omniVideo(String id, KlingAccount account) {
        return request(id, account, Product.OMNI_VIDEO, Map.of("model_name", "kling-3.0-omni",
                "prompt", "A lighthouse at dusk, waves below, " + id, "duration", "5", "mode", "std"));
    }

    private static GenerationRequest request(String id, KlingAccount account, Product product, Map<String, Object> input) {
        return new GenerationRequest(1, null, "it-" + id + "-" + RUN, account.id(), "two-regions-it-" + RUN,
                Priority.CAMPAIGN, product, new LinkedHashMap<>(input), Instant.now());
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

    private static String sha256OfObject(ArchivedAsset asset) throws Exception {
        var endpoints = stack.endpoints();
        MinioClient minio = MinioClient.builder().endpoint(endpoints.s3Endpoint())
                .credentials(endpoints.s3AccessKey(), endpoints.s3SecretKey()).build();
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(minio.getObject(GetObjectArgs.builder()
                .bucket(asset.bucket()).object(asset.objectKey()).build()), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static JsonNode getJson(String baseUrl, String path) throws Exception {
        HttpResponse<String> response = send(baseUrl, path);
        assertThat(response.statusCode()).as("GET %s%s", baseUrl, path).isEqualTo(200);
        return EventJson.mapper().readTree(response.body());
    }

    private static HttpResponse<String> send(String baseUrl, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET().timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Reads tasks.completed, assets.archived and requests.failed from the beginning, keeping every record. */
    private static final class EventCollector implements AutoCloseable {

        final Map<String, List<TaskCompleted>> completed = new ConcurrentHashMap<>();
        final Map<String, List<AssetsArchived>> archived = new ConcurrentHashMap<>();
        final Map<String, RequestFailed> failed = new ConcurrentHashMap<>();
        private final KafkaConsumer<String, String> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        private EventCollector(String bootstrapServers) {
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.GROUP_ID_CONFIG, "two-regions-it-" + RUN,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer());
            thread = Thread.ofVirtual().name("two-regions-it-events").unstarted(this::run);
        }

        static EventCollector start(String bootstrapServers) {
            EventCollector collector = new EventCollector(bootstrapServers);
            collector.thread.start();
            return collector;
        }

        private void run() {
            consumer.subscribe(List.of(Topics.TASKS_COMPLETED, Topics.ASSETS_ARCHIVED, Topics.REQUESTS_FAILED));
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    accept(record);
                }
            }
            consumer.close();
        }

        private void accept(ConsumerRecord<String, String> record) {
            switch (record.topic()) {
                case Topics.TASKS_COMPLETED -> {
                    TaskCompleted event = EventJson.mapper().readValue(record.value(), TaskCompleted.class);
                    completed.computeIfAbsent(event.requestId(), id -> new CopyOnWriteArrayList<>()).add(event);
                }
                case Topics.ASSETS_ARCHIVED -> {
                    AssetsArchived event = EventJson.mapper().readValue(record.value(), AssetsArchived.class);
                    archived.computeIfAbsent(event.requestId(), id -> new CopyOnWriteArrayList<>()).add(event);
                }
                case Topics.REQUESTS_FAILED -> {
                    RequestFailed event = EventJson.mapper().readValue(record.value(), RequestFailed.class);
                    failed.put(event.requestId(), event);
                }
                default -> {
                    // subscribed to the three topics above only
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
