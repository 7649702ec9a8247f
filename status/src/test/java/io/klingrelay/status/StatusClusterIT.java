package io.klingrelay.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.klingrelay.common.json.EventJson;
import io.klingrelay.common.kafka.Topics;
import io.klingrelay.localstack.FreePorts;
import io.klingrelay.localstack.ManagedProcess;
import io.klingrelay.status.EventPayloads.Payload;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.JsonNode;

/**
 * Two status instances as separate JVM processes against a real (embedded KRaft) broker: a
 * 2,000-request campaign is answered for every request by both (a key the other owns is
 * forwarded), and an instance killed with SIGKILL comes back on an empty state directory with its
 * stores restored from their changelogs, counting new events exactly once.
 */
class StatusClusterIT {

    private static final int REQUESTS = 2_000;
    private static final int FAILED_EVERY = 10;
    private static final String CAMPAIGN = "cluster-it-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String LOCAL_HEADER = "X-Klingrelay-Status-Local";
    private static final Instant T0 = Instant.parse("2026-11-30T06:00:00Z");

    @TempDir
    static Path workDir;

    private static @Nullable EmbeddedKafkaBroker broker;
    private static final List<ManagedProcess> processes = new ArrayList<>();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ExecutorService clients = Executors.newFixedThreadPool(16);

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedKafkaKraftBroker(1, 3, Topics.REQUESTS, Topics.TASKS_SUBMITTED, Topics.TASKS_STATUS,
                Topics.TASKS_COMPLETED, Topics.ASSETS_ARCHIVED, Topics.REQUESTS_FAILED)
                .brokerProperties(Map.of("transaction.state.log.replication.factor", "1",
                        "transaction.state.log.min.isr", "1", "transaction.state.log.num.partitions", "3",
                        "group.initial.rebalance.delay.ms", "0"));
        broker.afterPropertiesSet();
    }

    @AfterAll
    static void stopAll() {
        processes.forEach(ManagedProcess::close);
        clients.shutdownNow();
        if (broker != null) {
            broker.destroy();
        }
    }

    @Test
    void answersForEveryRequestOnBothInstancesAndSurvivesAKillWithStateRestoredFromTheChangelog() throws Exception {
        // GIVEN two instances
        int portA = FreePorts.next();
        int portB = FreePorts.next();
        ManagedProcess a = start("status-a", portA, workDir.resolve("state-a"));
        ManagedProcess b = start("status-b", portB, workDir.resolve("state-b"));
        awaitHealthy(a, portA);
        awaitHealthy(b, portB);

        // WHEN a 2,000-request campaign runs through the pipeline's topics
        publish(campaignEvents(0, REQUESTS));

        // THEN both instances answer the campaign and every request the same way
        long failed = REQUESTS / FAILED_EVERY;
        awaitCampaign(portA, REQUESTS, REQUESTS - failed, failed);
        JsonNode campaignOnA = get(portA, "/campaigns/" + CAMPAIGN, false).body();
        assertThat(get(portB, "/campaigns/" + CAMPAIGN, false).body()).isEqualTo(campaignOnA);
        Map<String, JsonNode> onA = everyRequest(portA, false);
        assertThat(everyRequest(portB, false)).isEqualTo(onA);
        assertThat(onA).hasSize(REQUESTS);
        // each request lives on exactly one instance: the other one forwarded
        Map<String, JsonNode> ownedByA = everyRequest(portA, true);
        Map<String, JsonNode> ownedByB = everyRequest(portB, true);
        assertThat(ownedByA).isNotEmpty();
        assertThat(ownedByB).isNotEmpty();
        assertThat(ownedByA.size() + ownedByB.size()).isEqualTo(REQUESTS);

        // WHEN instance A is killed (SIGKILL) and comes back on an empty state directory
        a.kill();
        Path freshState = workDir.resolve("state-a-after-kill");
        assertThat(freshState).doesNotExist();
        ManagedProcess restarted = start("status-a-restarted", portA, freshState);
        awaitHealthy(restarted, portA);

        // THEN its stores are restored from the changelogs: the same answers, from both instances
        awaitCampaign(portA, REQUESTS, REQUESTS - failed, failed);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(everyRequest(portA, false)).isEqualTo(onA));
        assertThat(everyRequest(portB, false)).isEqualTo(onA);

        // WHEN new events arrive, and old ones are replayed
        publish(campaignEvents(REQUESTS, REQUESTS + 10));
        publish(campaignEvents(0, 10));

        // THEN each is counted once
        awaitCampaign(portB, REQUESTS + 10, REQUESTS + 10 - failed - 1, failed + 1);
        assertThat(get(portA, "/campaigns/" + CAMPAIGN, false).body())
                .isEqualTo(get(portB, "/campaigns/" + CAMPAIGN, false).body());
    }

    /** Requests {@code from..to-1}: every 10th fails at generation, the others are archived. */
    private static List<Payload> campaignEvents(int from, int to) {
        List<Payload> events = new ArrayList<>();
        for (int i = from; i < to; i++) {
            EventPayloads request = new EventPayloads(i % 2 == 0 ? "acct-a" : "acct-b", String.format("req-%05d", i), CAMPAIGN);
            Instant at = T0.plusMillis(i);
            if (i % FAILED_EVERY == 0) {
                events.add(request.requested(at, null));
                events.add(request.submitted(at.plusSeconds(1)));
                events.add(request.completed(false, null, at.plusSeconds(2)));
                events.add(request.failed("generation", "content policy", at.plusSeconds(3)));
            } else {
                events.addAll(request.archivedJourney(at, "2"));
            }
        }
        return events;
    }

    private static void publish(List<Payload> events) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker().getBrokersAsString());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            events.forEach(e -> producer.send(new ProducerRecord<>(e.topic(), e.key(), e.json())));
            producer.flush();
        }
    }

    private static ManagedProcess start(String name, int port, Path stateDir) {
        List<String> command = List.of(ManagedProcess.javaExecutable(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "io.klingrelay.status.StatusApplication",
                "--server.port=" + port,
                "--spring.kafka.bootstrap-servers=" + broker().getBrokersAsString(),
                "--spring.kafka.streams.state-dir=" + stateDir,
                "--spring.kafka.streams.properties.session.timeout.ms=6000",
                "--spring.kafka.streams.properties.heartbeat.interval.ms=1000",
                "--logging.structured.format.console=",
                "--logging.level.org.apache.kafka=warn");
        ManagedProcess process = ManagedProcess.start(name, command, Map.of(), workDir.resolve(name),
                Path.of("target", "status-cluster-it", name + ".log"));
        processes.add(process);
        return process;
    }

    private static void awaitHealthy(ManagedProcess process, int port) {
        process.awaitHttpOk("http://127.0.0.1:" + port + "/actuator/health", Duration.ofSeconds(240));
    }

    private static void awaitCampaign(int port, long total, long archived, long failed) {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Answer answer = get(port, "/campaigns/" + CAMPAIGN, false);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body().path("total").asLong()).isEqualTo(total);
            assertThat(answer.body().path("counts").path("archived").asLong()).isEqualTo(archived);
            assertThat(answer.body().path("counts").path("failed").asLong()).isEqualTo(failed);
            // units come with tasks.completed, which may be read after the request's assets.archived
            assertThat(answer.body().path("units").decimalValue()).isEqualByComparingTo(String.valueOf(archived * 2));
        });
    }

    /** Every request of the campaign as the instance answers it (200s only), by request id. */
    private static Map<String, JsonNode> everyRequest(int port, boolean localOnly) throws Exception {
        Map<String, JsonNode> answers = new ConcurrentHashMap<>();
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            String account = i % 2 == 0 ? "acct-a" : "acct-b";
            String requestId = String.format("req-%05d", i);
            calls.add(clients.submit(() -> {
                Answer answer = get(port, "/requests/" + account + "/" + requestId, localOnly);
                if (answer.status() == 200) {
                    answers.put(requestId, answer.body());
                }
                return null;
            }));
        }
        for (Future<?> call : calls) {
            call.get();
        }
        return answers;
    }

    private record Answer(int status, JsonNode body) {
    }

    private static Answer get(int port, String path, boolean localOnly) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("Accept", "application/json");
        if (localOnly) {
            request.header(LOCAL_HEADER, "true");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = response.body().isEmpty() ? EventJson.mapper().missingNode()
                : EventJson.mapper().readTree(response.body());
        return new Answer(response.statusCode(), body);
    }

    private static EmbeddedKafkaBroker broker() {
        return java.util.Objects.requireNonNull(broker);
    }
}
