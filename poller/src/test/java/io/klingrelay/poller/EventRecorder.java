package io.klingrelay.poller;

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
 * Reads {@code klingrelay.tasks.status} and {@code klingrelay.tasks.completed} from the start on a
 * background thread, with its own consumer group, and keeps every record for assertions.
 */
public final class EventRecorder implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> records = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    /** @param bootstrapServers the broker list */
    public EventRecorder(String bootstrapServers) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "recorder-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(Topics.TASKS_STATUS, Topics.TASKS_COMPLETED));
        thread = Thread.ofPlatform().name("event-recorder").daemon(true).start(this::pollLoop);
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

    /** @param requestId a request id @return its terminal events, in order */
    public List<TaskCompleted> completed(String requestId) {
        return values(Topics.TASKS_COMPLETED, requestId).stream()
                .map(json -> EventJson.mapper().readValue(json, TaskCompleted.class)).toList();
    }

    /** @param requestId a request id @return its status events, in order */
    public List<TaskStatusChanged> statuses(String requestId) {
        return values(Topics.TASKS_STATUS, requestId).stream()
                .map(json -> EventJson.mapper().readValue(json, TaskStatusChanged.class)).toList();
    }

    private List<String> values(String topic, String key) {
        return records.stream().filter(r -> r.topic().equals(topic) && key.equals(r.key()))
                .map(ConsumerRecord::value).toList();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(Duration.ofSeconds(5));
    }
}
