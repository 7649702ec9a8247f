package io.klingrelay.campaign.command;

import io.klingrelay.campaign.remote.Connection;
import io.klingrelay.common.json.EventJson;
import io.klingrelay.common.kafka.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Counts of a campaign read straight from the pipeline's topics, for {@code --follow} where no status
 * service answers: {@code tasks.submitted} (submitted), {@code assets.archived} (archived) and
 * {@code requests.failed} (failed), from the beginning, with a consumer group of its own that commits
 * nothing. A request's terminal state wins over a later-read submission. Not thread-safe; close it.
 */
final class TopicCounts implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(500);

    private final KafkaConsumer<String, String> consumer;
    private final String campaignId;
    private final Map<String, String> stateByRequest = new HashMap<>();

    TopicCounts(Connection connection, String campaignId) {
        Map<String, Object> config = new HashMap<>();
        connection.kafkaProperties().forEach((key, value) -> config.put(String.valueOf(key), value));
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.requireBootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "klingrelay-campaign-follow-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        this.campaignId = campaignId;
        consumer.subscribe(List.of(Topics.TASKS_SUBMITTED, Topics.ASSETS_ARCHIVED, Topics.REQUESTS_FAILED));
    }

    /**
     * @param expected requests expected at least
     * @return the counts after reading what arrived since the last call (waits up to 0.5 s)
     */
    CampaignCounts poll(long expected) {
        for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
            apply(record.topic(), record.value());
        }
        Map<String, Long> counts = new HashMap<>();
        stateByRequest.values().forEach(state -> counts.merge(state, 1L, Long::sum));
        return new CampaignCounts(counts, stateByRequest.size(), expected);
    }

    private void apply(String topic, String value) {
        JsonNode event;
        try {
            event = EventJson.mapper().readTree(value);
        } catch (JacksonException e) {
            return;
        }
        if (event == null || !campaignId.equals(event.path("campaignId").asString(""))) {
            return;
        }
        String requestId = event.path("requestId").asString("");
        String state = switch (topic) {
            case Topics.ASSETS_ARCHIVED -> "archived";
            case Topics.REQUESTS_FAILED -> "failed";
            default -> "submitted";
        };
        String previous = stateByRequest.get(requestId);
        if (previous == null || "submitted".equals(previous)) {
            stateByRequest.put(requestId, state);
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
