package io.klingrelay.deploy.harness;

import io.klingrelay.common.event.AssetsArchived;
import io.klingrelay.common.event.RequestFailed;
import io.klingrelay.common.event.TaskCompleted;
import io.klingrelay.common.event.TaskSubmitted;
import io.klingrelay.common.json.EventJson;
import io.klingrelay.common.kafka.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads {@code tasks.submitted}, {@code tasks.completed}, {@code assets.archived} and
 * {@code requests.failed} from the beginning in the background, indexed by request id, keeping
 * every record (a request with two tasks shows up as two entries) and each record's timestamp
 * (producer create time, epoch ms).
 */
public final class PipelineEvents implements AutoCloseable {

    private final Map<String, List<Observed<TaskSubmitted>>> submitted = new ConcurrentHashMap<>();
    private final Map<String, List<Observed<TaskCompleted>>> completed = new ConcurrentHashMap<>();
    private final Map<String, AssetsArchived> archived = new ConcurrentHashMap<>();
    private final Map<String, RequestFailed> failed = new ConcurrentHashMap<>();
    private final Map<String, Long> endedTimestamps = new ConcurrentHashMap<>();
    private final Map<String, List<Long>> receiptLags = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    private PipelineEvents(String bootstrapServers) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "harness-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000), new StringDeserializer(), new StringDeserializer());
        thread = Thread.ofPlatform().daemon(true).name("harness-events").unstarted(this::run);
    }

    /**
     * @param bootstrapServers the broker
     * @return a running reader; close it
     */
    public static PipelineEvents start(String bootstrapServers) {
        PipelineEvents events = new PipelineEvents(bootstrapServers);
        events.thread.start();
        return events;
    }

    private void run() {
        consumer.subscribe(List.of(Topics.TASKS_SUBMITTED, Topics.TASKS_COMPLETED, Topics.ASSETS_ARCHIVED,
                Topics.REQUESTS_FAILED));
        while (running) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                accept(record);
            }
        }
        consumer.close(Duration.ofSeconds(5));
    }

    private void accept(ConsumerRecord<String, String> record) {
        receiptLags.computeIfAbsent(record.topic(), topic -> new CopyOnWriteArrayList<>())
                .add(System.currentTimeMillis() - record.timestamp());
        switch (record.topic()) {
            case Topics.TASKS_SUBMITTED -> add(submitted, read(record, TaskSubmitted.class), record);
            case Topics.TASKS_COMPLETED -> add(completed, read(record, TaskCompleted.class), record);
            case Topics.ASSETS_ARCHIVED -> {
                AssetsArchived event = read(record, AssetsArchived.class);
                archived.put(event.requestId(), event);
                endedTimestamps.putIfAbsent(event.requestId(), record.timestamp());
            }
            case Topics.REQUESTS_FAILED -> {
                RequestFailed event = read(record, RequestFailed.class);
                failed.put(event.requestId(), event);
                endedTimestamps.putIfAbsent(event.requestId(), record.timestamp());
            }
            default -> throw new IllegalStateException("unexpected topic " + record.topic());
        }
    }

    private static <T> T read(ConsumerRecord<String, String> record, Class<T> type) {
        return EventJson.mapper().readValue(record.value(), type);
    }

    private static <T> void add(Map<String, List<Observed<T>>> index, T event, ConsumerRecord<String, String> record) {
        index.computeIfAbsent(record.key(), key -> new CopyOnWriteArrayList<>())
                .add(new Observed<>(event, record.timestamp()));
    }

    /** @return tasks.submitted records per request id */
    public Map<String, List<Observed<TaskSubmitted>>> submitted() {
        return submitted;
    }

    /** @return tasks.completed records per request id */
    public Map<String, List<Observed<TaskCompleted>>> completed() {
        return completed;
    }

    /** @return the assets.archived event per request id */
    public Map<String, AssetsArchived> archived() {
        return archived;
    }

    /** @return the requests.failed event per request id */
    public Map<String, RequestFailed> failed() {
        return failed;
    }

    /** @return per request id, the record timestamp (epoch ms) of its first assets.archived or requests.failed */
    public Map<String, Long> endedTimestamps() {
        return endedTimestamps;
    }

    /**
     * @return per topic, for every record read: this reader's receipt time minus the record timestamp, ms (how
     *     long the Kafka hop to a consumer took, including its poll interval of up to 100 ms)
     */
    public Map<String, List<Long>> receiptLagsMs() {
        return receiptLags;
    }

    /**
     * @param requestIds request ids
     * @return how many of them ended: archived or failed
     */
    public long endedCount(Collection<String> requestIds) {
        return requestIds.stream().filter(id -> archived.containsKey(id) || failed.containsKey(id)).count();
    }

    /**
     * @param requestIds request ids
     * @return how many of them were archived
     */
    public long archivedCount(Collection<String> requestIds) {
        return requestIds.stream().filter(archived::containsKey).count();
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

    /**
     * One event with its Kafka record timestamp.
     *
     * @param event       the event
     * @param timestampMs the record's create time, epoch ms
     * @param <T>         the event type
     */
    public record Observed<T>(T event, long timestampMs) {
    }
}
