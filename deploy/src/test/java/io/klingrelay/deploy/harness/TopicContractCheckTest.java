package io.klingrelay.deploy.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.common.event.FailureStage;
import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.event.Priority;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.event.RequestFailed;
import io.klingrelay.common.json.EventJson;
import io.klingrelay.common.kafka.Headers;
import io.klingrelay.common.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class TopicContractCheckTest {

    private static final Instant AT = Instant.parse("2026-11-21T08:00:00Z");

    @Test
    void acceptsRecordsAsTheServicesWriteThem() {
        TopicContractCheck check = new TopicContractCheck();

        check.check(record(Topics.REQUESTS, null, EventJson.mapper().writeValueAsString(new GenerationRequest(1, null,
                "r-1", "brand-a", null, Priority.CAMPAIGN, Product.TEXT_TO_VIDEO, Map.of("prompt", "a boat"), AT))));
        check.check(record(Topics.REQUESTS_FAILED, "RequestFailed", EventJson.mapper().writeValueAsString(
                new RequestFailed(1, null, "r-1", "brand-a", null, FailureStage.VALIDATION, "duration", null, null, null, AT))));
        check.check(deadLetter(Map.of(Headers.FAILURE_STAGE, "validation", Headers.FAILURE_REASON, "duration",
                Headers.SOURCE_TOPIC, Topics.REQUESTS, Headers.SOURCE_PARTITION, "0", Headers.SOURCE_OFFSET, "7")));

        assertThat(check.violations()).isEmpty();
        assertThat(check.eventTypesSeen()).containsExactlyInAnyOrder("GenerationRequest", "RequestFailed");
    }

    @Test
    void reportsAPayloadOffItsSchemaAWrongEventTypeHeaderAndADeadLetterWithoutItsHeaders() {
        TopicContractCheck check = new TopicContractCheck();

        check.check(record(Topics.ASSETS_ARCHIVED, "AssetsArchived", "{\"eventId\":\"e\",\"requestId\":\"r\"}"));
        check.check(record(Topics.TASKS_COMPLETED, "TaskStatusChanged", "not json"));
        check.check(deadLetter(Map.of(Headers.FAILURE_STAGE, "validation")));

        assertThat(String.join("\n", check.violations())).contains(
                "klingrelay.assets.archived-0@0: AssetsArchived", "archivedAt",
                "klingrelay.tasks.completed-0@0: klingrelay_event_type is TaskStatusChanged, expected TaskCompleted",
                "klingrelay.requests.dlt-0@0: dead-letter record without klingrelay_source_offset");
    }

    private static ConsumerRecord<String, String> record(String topic, String eventType, String value) {
        ConsumerRecord<String, String> record = new ConsumerRecord<>(topic, 0, 0, "r-1", value);
        if (eventType != null) {
            record.headers().add(Headers.EVENT_TYPE, eventType.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    private static ConsumerRecord<String, String> deadLetter(Map<String, String> headers) {
        ConsumerRecord<String, String> record = new ConsumerRecord<>(Topics.dlt(Topics.REQUESTS), 0, 0, "r-1", "{}");
        headers.forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        return record;
    }
}
