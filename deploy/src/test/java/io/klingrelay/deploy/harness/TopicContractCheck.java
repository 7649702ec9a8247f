package io.klingrelay.deploy.harness;

import io.klingrelay.common.contract.CommittedSchemas;
import io.klingrelay.common.kafka.Headers;
import io.klingrelay.common.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;

/**
 * Checks every record read from the pipeline's topics against the topic contracts
 * ({@code docs/asyncapi.yaml}, {@code docs/schemas}): the value validates against the committed JSON
 * Schema of the topic's event type, the {@code klingrelay_event_type} header names that type (every
 * topic but {@code klingrelay.requests}, where upstream may omit it), and a dead-letter record
 * carries the failure and source headers. Collects what it finds; the test asserts at the end.
 */
public final class TopicContractCheck {

    private static final Map<String, String> EVENT_TYPE_BY_TOPIC = Map.of(
            Topics.REQUESTS, "GenerationRequest",
            Topics.TASKS_SUBMITTED, "TaskSubmitted",
            Topics.TASKS_STATUS, "TaskStatusChanged",
            Topics.TASKS_COMPLETED, "TaskCompleted",
            Topics.ASSETS_ARCHIVED, "AssetsArchived",
            Topics.REQUESTS_FAILED, "RequestFailed");
    private static final List<String> DEAD_LETTER_HEADERS = List.of(Headers.FAILURE_STAGE, Headers.FAILURE_REASON,
            Headers.SOURCE_TOPIC, Headers.SOURCE_PARTITION, Headers.SOURCE_OFFSET);

    private final CommittedSchemas schemas = CommittedSchemas.load(CommittedSchemas.defaultDirectory());
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Set<String> eventTypesSeen = ConcurrentHashMap.newKeySet();

    /** @return every topic with a contract: the six event topics and {@code klingrelay.requests.dlt} */
    public static List<String> topics() {
        List<String> topics = new ArrayList<>(EVENT_TYPE_BY_TOPIC.keySet());
        topics.add(Topics.dlt(Topics.REQUESTS));
        return topics;
    }

    /** @param record a record read from one of {@link #topics()}; a value that is not JSON is a violation */
    public void check(ConsumerRecord<String, String> record) {
        String locator = record.topic() + "-" + record.partition() + "@" + record.offset();
        try {
            checkContract(record, locator);
        } catch (RuntimeException e) {
            violations.add(locator + ": " + e);
        }
    }

    private void checkContract(ConsumerRecord<String, String> record, String locator) {
        String eventType = EVENT_TYPE_BY_TOPIC.get(record.topic());
        if (eventType == null) {
            checkDeadLetterHeaders(record, locator);
            return;
        }
        eventTypesSeen.add(eventType);
        String header = header(record, Headers.EVENT_TYPE);
        if (!Topics.REQUESTS.equals(record.topic()) && !eventType.equals(header)) {
            violations.add(locator + ": " + Headers.EVENT_TYPE + " is " + header + ", expected " + eventType);
        }
        schemas.violations(eventType, record.value()).forEach(violation -> violations.add(locator + ": " + violation));
    }

    /** @return what broke the contracts so far, one line per violation with the record's locator */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** @return the event types read at least once */
    public Set<String> eventTypesSeen() {
        return Set.copyOf(eventTypesSeen);
    }

    /** @return every event type with a committed schema */
    public Set<String> eventTypes() {
        return schemas.eventTypes();
    }

    private void checkDeadLetterHeaders(ConsumerRecord<String, String> record, String locator) {
        for (String name : DEAD_LETTER_HEADERS) {
            if (header(record, name) == null) {
                violations.add(locator + ": dead-letter record without " + name);
            }
        }
    }

    private static @Nullable String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
