package io.klingrelay.campaign;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.json.EventJson;
import io.klingrelay.common.kafka.Topics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A stand-in for the status service (until module {@code status} is merged): it answers
 * {@code GET /campaigns/{id}}, {@code GET /campaigns/{id}/requests} and {@code GET /campaigns} of the
 * contract from what is on {@code klingrelay.requests} right now (every request seen is
 * {@code queued}), reading the topic from the beginning on each call.
 */
final class TopicStatusStub implements AutoCloseable {

    private final String bootstrapServers;
    private final HttpServer server;

    TopicStatusStub(String bootstrapServers) throws IOException {
        this.bootstrapServers = bootstrapServers;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/campaigns", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String[] path = exchange.getRequestURI().getPath().split("/");
        Object body;
        if (path.length == 2) {
            body = Map.of("campaigns", List.of());
        } else {
            List<GenerationRequest> requests = requests(path[2]);
            body = path.length == 4 ? Map.of("requests", requests.stream().map(request -> Map.of("requestId",
                    request.requestId(), "accountId", request.accountId(), "state", "queued")).toList())
                    : Map.of("campaignId", path[2], "total", requests.size(), "counts", Map.of("queued", requests.size()));
        }
        byte[] bytes = EventJson.mapper().writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** @return the campaign's requests on the topic, by request id (the last record of an id wins) */
    List<GenerationRequest> requests(String campaignId) {
        Map<String, GenerationRequest> byId = new TreeMap<>();
        for (GenerationRequest request : records()) {
            if (campaignId.equals(request.campaignId())) {
                byId.put(request.requestId(), request);
            }
        }
        return new ArrayList<>(byId.values());
    }

    /** @return every request record on the topic, in partition order */
    List<GenerationRequest> records() {
        List<GenerationRequest> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "stub-" + UUID.randomUUID()), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.REQUESTS).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    records.add(EventJson.mapper().readValue(record.value(), GenerationRequest.class));
                }
            }
        }
        return records;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
