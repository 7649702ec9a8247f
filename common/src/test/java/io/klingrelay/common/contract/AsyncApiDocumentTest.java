package io.klingrelay.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.common.kafka.Headers;
import io.klingrelay.common.kafka.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * {@code docs/asyncapi.yaml} stays in step with the code: a channel for every topic, a message for
 * every event type whose payload is that type's committed schema, and the header names of
 * {@link Headers}. The document's own validity was checked when it was written with the AsyncAPI
 * parser ({@code @asyncapi/parser} 3.6.6, npm): no errors or warnings, its {@code ./schemas/} refs
 * resolved; this test does not repeat that (it would need Node).
 */
class AsyncApiDocumentTest {

    private static final Path SCHEMAS = CommittedSchemas.defaultDirectory();

    private static JsonNode asyncApi() throws IOException {
        return YAMLMapper.builder().build().readTree(Files.readString(SCHEMAS.getParent().resolve("asyncapi.yaml")));
    }

    @Test
    void everyTopicHasAChannel() throws IOException {
        List<String> addresses = new ArrayList<>();
        asyncApi().get("channels").forEach(channel -> addresses.add(channel.get("address").asString()));

        assertThat(addresses).containsAll(Topics.ALL).contains(Topics.dlt(Topics.TASKS_COMPLETED));
    }

    @Test
    void everyEventTypeIsAMessageWhosePayloadIsItsCommittedSchema() throws IOException {
        JsonNode messages = asyncApi().get("components").get("messages");

        for (Class<?> eventType : EventSchemas.EVENT_TYPES) {
            JsonNode message = messages.get(eventType.getSimpleName());
            assertThat(message).as("message %s", eventType.getSimpleName()).isNotNull();
            String ref = message.get("payload").get("schema").get("$ref").asString();
            assertThat(ref).isEqualTo("./schemas/" + EventSchemas.fileName(eventType));
            assertThat(SCHEMAS.resolve(EventSchemas.fileName(eventType))).isRegularFile();
        }
    }

    @Test
    void theHeadersAreTheOnesTheServicesWrite() throws IOException {
        JsonNode schemas = asyncApi().get("components").get("schemas");

        assertThat(schemas.get("EventHeaders").get("properties").has(Headers.EVENT_TYPE)).isTrue();
        JsonNode deadLetter = schemas.get("RequestDeadLetterHeaders").get("properties");
        for (String header : List.of(Headers.FAILURE_STAGE, Headers.FAILURE_REASON, Headers.SOURCE_TOPIC,
                Headers.SOURCE_PARTITION, Headers.SOURCE_OFFSET)) {
            assertThat(deadLetter.has(header)).as(header).isTrue();
        }
    }
}
