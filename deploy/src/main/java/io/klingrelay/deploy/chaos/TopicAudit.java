package io.klingrelay.deploy.chaos;

import io.klingrelay.common.json.EventJson;
import io.klingrelay.common.kafka.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads the pipeline's output topics from the beginning (no consumer group: every partition is
 * assigned and read from offset 0) and indexes every event by request id: the outcomes
 * ({@code assets.archived}, {@code requests.failed}) with their event ids, the task ids of
 * {@code tasks.submitted} and {@code tasks.completed}, and how many records each topic holds.
 * {@link #catchUp} reads on from where it stopped up to the current end offsets. Not thread-safe.
 */
final class TopicAudit implements AutoCloseable {

    /** The topics read. */
    static final List<String> TOPICS = List.of(Topics.TASKS_SUBMITTED, Topics.TASKS_STATUS, Topics.TASKS_COMPLETED,
            Topics.ASSETS_ARCHIVED, Topics.REQUESTS_FAILED);

    private static final String RECORD_MARK = "[record ";

    private final KafkaConsumer<String, String> consumer;
    private final Map<String, List<Outcome>> outcomes = new HashMap<>();
    private final Map<String, Set<String>> completedTasks = new HashMap<>();
    private final Map<String, String> completedAccount = new HashMap<>();
    private final Map<String, Long> recordsPerTopic = new HashMap<>();
    private final Map<String, Integer> recordsPerRequest = new HashMap<>();
    private boolean assigned;

    /** @param bootstrapServers the broker */
    TopicAudit(String bootstrapServers) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024),
                new StringDeserializer(), new StringDeserializer());
    }

    /**
     * Reads every record written so far (up to the end offsets taken now).
     *
     * @param atMost how long to keep reading at most
     * @return whether the end offsets were reached
     */
    boolean catchUp(Duration atMost) {
        assignOnce();
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(30));
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!reached(end)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                accept(record);
            }
        }
        return true;
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> entry : end.entrySet()) {
            if (consumer.position(entry.getKey(), Duration.ofSeconds(30)) < entry.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void assignOnce() {
        if (assigned) {
            return;
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : TOPICS) {
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        assigned = true;
    }

    private void accept(ConsumerRecord<String, String> record) {
        recordsPerTopic.merge(record.topic(), 1L, Long::sum);
        JsonNode event = parse(record.value());
        if (event == null) {
            return;
        }
        String requestId = text(event, "requestId");
        if (requestId == null) {
            return;
        }
        recordsPerRequest.merge(record.topic() + " " + requestId, 1, Integer::sum);
        switch (record.topic()) {
            case Topics.ASSETS_ARCHIVED, Topics.REQUESTS_FAILED -> {
                Outcome outcome = new Outcome(record.topic(), String.valueOf(text(event, "eventId")),
                        text(event, "accountId"), text(event, "taskId"), text(event, "stage"), text(event, "reason"),
                        record.partition(), record.offset(), record.timestamp());
                outcomes.computeIfAbsent(requestId, id -> new ArrayList<>()).add(outcome);
                String locator = recordLocator(outcome.reason());
                if (locator != null && !locator.equals(requestId)) {
                    outcomes.computeIfAbsent(locator, id -> new ArrayList<>()).add(outcome);
                }
            }
            case Topics.TASKS_COMPLETED -> {
                String taskId = text(event, "taskId");
                if (taskId != null) {
                    completedTasks.computeIfAbsent(requestId, id -> new LinkedHashSet<>()).add(taskId);
                    String accountId = text(event, "accountId");
                    if (accountId != null) {
                        completedAccount.put(requestId, accountId);
                    }
                }
            }
            default -> {
                // tasks.submitted and tasks.status are only counted
            }
        }
    }

    /**
     * The locator an intake failure names at the end of its reason ({@code … [record
     * klingrelay.requests-3@1200]}): intake reports a record under a shortened, hashed id when the id
     * it carried is too long or unsafe, so a hostile record is found by where it was published.
     */
    static @Nullable String recordLocator(@Nullable String reason) {
        if (reason == null || !reason.endsWith("]")) {
            return null;
        }
        int start = reason.lastIndexOf(RECORD_MARK);
        return start < 0 ? null : reason.substring(start + RECORD_MARK.length(), reason.length() - 1);
    }

    private static @Nullable JsonNode parse(@Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return EventJson.mapper().readTree(value);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    /**
     * @param requestId a request id, or a record locator ({@code <topic>-<partition>@<offset>}) for
     *                  the intake failures that name it
     * @return its outcome events, in the order read (empty when none)
     */
    List<Outcome> outcomes(String requestId) {
        return outcomes.getOrDefault(requestId, List.of());
    }

    /** @return every request id with at least one outcome event */
    Set<String> requestsWithOutcome() {
        return outcomes.keySet();
    }

    /** @return task ids on {@code tasks.completed} per request id */
    Map<String, Set<String>> completedTasks() {
        return completedTasks;
    }

    /**
     * @param requestId a request id
     * @return the account of its {@code tasks.completed} event, or null
     */
    @Nullable String completedAccount(String requestId) {
        return completedAccount.get(requestId);
    }

    /** @return records read per topic */
    Map<String, Long> recordsPerTopic() {
        return Map.copyOf(recordsPerTopic);
    }

    /** @return how many records name each request, keyed {@code "<topic> <requestId>"} */
    Map<String, Integer> recordsPerRequest() {
        return Map.copyOf(recordsPerRequest);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }

    /**
     * One outcome event as read.
     *
     * @param topic     {@code assets.archived} or {@code requests.failed}
     * @param eventId   its event id
     * @param accountId its account, when it has one
     * @param taskId    its task id, when it has one
     * @param stage     the failure stage ({@code requests.failed} only)
     * @param reason    the failure reason ({@code requests.failed} only)
     * @param partition the partition
     * @param offset    the offset
     * @param timestamp the record timestamp, epoch ms
     */
    record Outcome(String topic, String eventId, @Nullable String accountId, @Nullable String taskId,
            @Nullable String stage, @Nullable String reason, int partition, long offset, long timestamp) {

        /** @return the topic and event id, e.g. {@code klingrelay.assets.archived 1b2c…} */
        String identity() {
            return topic + " " + eventId;
        }

        @Override
        public String toString() {
            String why = reason == null ? "" : " " + stage + ": "
                    + (reason.length() > 120 ? reason.substring(0, 120) + "…" : reason);
            return topic.substring(topic.lastIndexOf('.', topic.length() - 8) + 1) + " eventId=" + eventId
                    + (taskId == null ? "" : " task=" + taskId) + " at " + partition + "@" + offset + " ts=" + timestamp
                    + why;
        }
    }
}
