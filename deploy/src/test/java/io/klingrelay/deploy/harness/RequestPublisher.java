package io.klingrelay.deploy.harness;

import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.event.Priority;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.json.EventJson;
import io.klingrelay.common.kafka.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes {@link GenerationRequest}s to {@code klingrelay.requests} (keyed by account id) as fast
 * as the broker takes them: batched, {@code acks=all}, one flush per batch.
 */
public final class RequestPublisher implements AutoCloseable {

    private final KafkaProducer<String, String> producer;

    /** @param bootstrapServers the broker */
    public RequestPublisher(String bootstrapServers) {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024), new StringSerializer(), new StringSerializer());
    }

    /**
     * Publishes every request and waits until the broker acknowledged them all.
     *
     * @param requests the requests
     * @return each request id with its record timestamp (epoch ms), in order
     * @throws IllegalStateException when a record is not acknowledged within 60 s
     */
    public Map<String, Long> publishAll(List<GenerationRequest> requests) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(requests.size());
        for (GenerationRequest request : requests) {
            sent.add(producer.send(new ProducerRecord<>(Topics.REQUESTS, request.accountId(),
                    EventJson.mapper().writeValueAsString(request))));
        }
        producer.flush();
        Map<String, Long> timestamps = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            timestamps.put(requests.get(i).requestId(), acknowledged(sent.get(i)).timestamp());
        }
        return timestamps;
    }

    private static RecordMetadata acknowledged(Future<RecordMetadata> future) {
        try {
            return future.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("request not acknowledged by the broker", e);
        }
    }

    /**
     * An image generation with {@code n} = 1 (one permit).
     *
     * @param requestId  the request id (also the {@code external_task_id})
     * @param accountId  the account
     * @param campaignId the campaign
     * @return the request
     */
    public static GenerationRequest image(String requestId, String accountId, String campaignId) {
        return request(requestId, accountId, campaignId, Product.IMAGE_GENERATION, Map.of("model_name", "kling-v1",
                "prompt", "Key visual " + requestId, "n", 1, "aspect_ratio", "1:1"));
    }

    /**
     * A 5 s text-to-video generation (one permit).
     *
     * @param requestId  the request id
     * @param accountId  the account
     * @param campaignId the campaign
     * @return the request
     */
    public static GenerationRequest video(String requestId, String accountId, String campaignId) {
        return request(requestId, accountId, campaignId, Product.TEXT_TO_VIDEO, Map.of("model_name", "kling-v1-6",
                "prompt", "A bottle on a mossy stone, take " + requestId, "duration", "5", "aspect_ratio", "16:9"));
    }

    private static GenerationRequest request(String requestId, String accountId, String campaignId, Product product,
            Map<String, Object> input) {
        return new GenerationRequest(1, null, requestId, accountId, campaignId, Priority.CAMPAIGN, product,
                new LinkedHashMap<>(input), Instant.now());
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
