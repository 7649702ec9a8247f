package io.klingrelay.common.testing;

import io.klingrelay.common.event.TaskCompleted;
import io.klingrelay.common.event.TaskStatusChanged;
import io.klingrelay.common.json.EventJson;
import io.klingrelay.common.kafka.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Test fixture: reads some topics from the beginning, with its own consumer group, on a background
 * thread, and keeps every record for assertions (wait for them with Awaitility).
 */
public final class TopicRecorder implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> records = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param bootstrapServers the broker list
     * @param topics           the topics to record
     */
    public TopicRecorder(String bootstrapServers, String... topics) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "recorder-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1000),
                new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topics));
        thread = Thread.ofPlatform().name("topic-recorder").daemon(true).start(this::pollLoop);
    }

    private void pollLoop() {
        try {
            while (running) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** @param topic a topic @return its records so far, in arrival order */
    public List<ConsumerRecord<String, String>> on(String topic) {
        return records.stream().filter(r -> r.topic().equals(topic)).toList();
    }

    /** @param topic a topic @param key a record key @return the values recorded for that key, in order */
    public List<String> values(String topic, String key) {
        return on(topic).stream().filter(r -> key.equals(r.key())).map(ConsumerRecord::value).toList();
    }

    /**
     * @param topic a topic
     * @param key   a record key
     * @param type  the event type to read the values as
     * @param <T>   the event type
     * @return the events recorded for that key, in order
     */
    public <T> List<T> events(String topic, String key, Class<T> type) {
        return values(topic, key).stream().map(json -> EventJson.mapper().readValue(json, type)).toList();
    }

    /** @param requestId a request id @return its terminal events on {@code klingrelay.tasks.completed} */
    public List<TaskCompleted> completed(String requestId) {
        return events(Topics.TASKS_COMPLETED, requestId, TaskCompleted.class);
    }

    /** @param requestId a request id @return its status events on {@code klingrelay.tasks.status} */
    public List<TaskStatusChanged> statuses(String requestId) {
        return events(Topics.TASKS_STATUS, requestId, TaskStatusChanged.class);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(Duration.ofSeconds(5));
    }
}
