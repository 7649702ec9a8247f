package io.klingrelay.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.common.event.ArchivedAsset;
import io.klingrelay.common.event.AssetKind;
import io.klingrelay.common.event.AssetsArchived;
import io.klingrelay.common.event.FailureStage;
import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.event.KlingRelayEvent;
import io.klingrelay.common.event.Priority;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.event.RequestFailed;
import io.klingrelay.common.event.StatusSource;
import io.klingrelay.common.event.TaskAsset;
import io.klingrelay.common.event.TaskCompleted;
import io.klingrelay.common.event.TaskStatus;
import io.klingrelay.common.event.TaskStatusChanged;
import io.klingrelay.common.event.TaskSubmitted;
import io.klingrelay.common.json.EventJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The topic contracts in {@code docs/schemas} (README "Topics and payloads"): the committed schemas
 * are what the records generate, the records have not changed incompatibly within the released
 * {@code schemaVersion}, and what {@link EventJson#mapper()} writes validates against them.
 *
 * <p>After changing an event record, regenerate and commit:
 * {@value #REGENERATE}. That rewrites {@code docs/schemas/*.json} and, only when
 * {@code docs/schemas/v<CURRENT_SCHEMA_VERSION>/} does not exist yet (after a bump), freezes the new
 * version there; a frozen version is never rewritten.
 */
class EventSchemasTest {

    static final String REGENERATE = "./mvnw -B -pl common test -Dtest=EventSchemasTest -Dschemas.write=true";
    private static final boolean WRITE = Boolean.getBoolean("schemas.write");
    private static final Path SCHEMAS = CommittedSchemas.defaultDirectory();
    private static final Path FROZEN = SCHEMAS.resolve("v" + KlingRelayEvent.CURRENT_SCHEMA_VERSION);
    private static final EventSchemas GENERATOR = new EventSchemas(Path.of("src/main/java"));
    private static final Instant AT = Instant.parse("2026-11-21T08:00:00.123Z");

    static Stream<Class<?>> eventTypes() {
        return EventSchemas.EVENT_TYPES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventTypes")
    void theCommittedSchemaIsTheOneTheRecordGenerates(Class<?> eventType) throws IOException {
        JsonNode generated = GENERATOR.generate(eventType);
        Path committed = SCHEMAS.resolve(EventSchemas.fileName(eventType));
        if (WRITE) {
            write(committed, generated);
            freezeOnce(eventType, generated);
        }
        assertThat(committed).as("%s is missing; run %s", committed, REGENERATE).isRegularFile();
        assertThat(read(committed)).as("%s is out of date with %s; run %s and commit it", committed,
                eventType.getName(), REGENERATE).isEqualTo(generated);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventTypes")
    void aRecordChangesOnlyCompatiblyWithinItsSchemaVersion(Class<?> eventType) throws IOException {
        Path frozen = FROZEN.resolve(EventSchemas.fileName(eventType));
        if (WRITE) {
            freezeOnce(eventType, GENERATOR.generate(eventType));
        }
        assertThat(frozen).as("no frozen schema for schemaVersion %d; run %s to freeze it",
                KlingRelayEvent.CURRENT_SCHEMA_VERSION, REGENERATE).isRegularFile();

        List<String> problems = SchemaCompatibility.incompatibilities(read(frozen), GENERATOR.generate(eventType));

        assertThat(problems).as("%s changed incompatibly within schemaVersion %d (compared with %s). Either keep it"
                + " compatible (add optional fields only) or bump KlingRelayEvent.CURRENT_SCHEMA_VERSION and run %s"
                + " (README, Topics and payloads: evolution policy)", eventType.getSimpleName(),
                KlingRelayEvent.CURRENT_SCHEMA_VERSION, frozen, REGENERATE).isEmpty();
    }

    @Test
    void everyEventTheMapperWritesValidatesAgainstItsCommittedSchema() {
        CommittedSchemas schemas = CommittedSchemas.load(SCHEMAS);

        for (KlingRelayEvent event : sampleEvents()) {
            String json = EventJson.mapper().writeValueAsString(event);
            assertThat(schemas.violations(event.getClass().getSimpleName(), json)).as(json).isEmpty();
        }
        assertThat(sampleEvents().stream().map(event -> event.getClass().getSimpleName()).distinct())
                .as("a sample of every event type").containsExactlyInAnyOrderElementsOf(schemas.eventTypes());
    }

    @Test
    void aPayloadThatBreaksTheContractIsReportedWithItsLocation() {
        CommittedSchemas schemas = CommittedSchemas.load(SCHEMAS);
        String json = "{\"schemaVersion\":1,\"eventId\":\"e\",\"requestId\":\"r\",\"accountId\":\"a\",\"taskId\":\"t\","
                + "\"assets\":[{\"kind\":\"movie\",\"index\":0}],\"archivedAt\":\"yesterday\"}";

        List<String> violations = schemas.violations("AssetsArchived", json);

        assertThat(String.join("\n", violations)).contains("/assets/0/kind", "/assets/0", "bucket", "/archivedAt");
    }

    private static List<KlingRelayEvent> sampleEvents() {
        GenerationRequest request = new GenerationRequest(1, null, "spring-sale-0001", "brand-a", "spring-sale",
                Priority.CAMPAIGN, Product.TEXT_TO_VIDEO, Map.of("model_name", "kling-v1-6", "prompt", "A paper boat",
                "duration", "5"), AT);
        GenerationRequest minimal = new GenerationRequest(0, null, "r-2", "brand-a", null, null, Product.IMAGE_GENERATION,
                null, null);
        TaskSubmitted submitted = new TaskSubmitted(1, "e-1", "spring-sale-0001", "brand-a", null, Product.TEXT_TO_VIDEO,
                "866889456698785798", 1, AT);
        TaskStatusChanged status = new TaskStatusChanged(1, "e-2", "spring-sale-0001", "brand-a", "866889456698785798",
                TaskStatus.PROCESSING, StatusSource.WEBHOOK, null, AT);
        TaskCompleted completed = new TaskCompleted(1, null, "spring-sale-0001", "brand-a", "spring-sale",
                Product.TEXT_TO_VIDEO, "866889456698785798", TaskStatus.SUCCEED, null,
                List.of(new TaskAsset(AssetKind.VIDEO, 0, "v-1", "https://cdn.example/v.mp4", "5.1")),
                StatusSource.POLLER, AT, new BigDecimal("0.04"));
        AssetsArchived archived = new AssetsArchived(1, null, "spring-sale-0001", "brand-a", null, null,
                "866889456698785798", List.of(new ArchivedAsset(AssetKind.VIDEO, 0, null, "klingrelay-assets",
                "brand-a/spring-sale-0001/video-0.mp4", 183_422, "9f2c", "video/mp4", "http://s3/x", AT)), AT);
        RequestFailed failed = new RequestFailed(1, null, "spring-sale-0002", null, null, FailureStage.VALIDATION,
                "accountId is missing", 1201, null, null, AT);
        return List.of(request, minimal, submitted, status, completed, archived, failed);
    }

    private static void freezeOnce(Class<?> eventType, JsonNode generated) throws IOException {
        Path frozen = FROZEN.resolve(EventSchemas.fileName(eventType));
        if (!Files.exists(frozen)) {
            write(frozen, generated);
        }
    }

    private static void write(Path file, JsonNode schema) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(schema) + "\n");
    }

    private static JsonNode read(Path file) throws IOException {
        return EventJson.mapper().readTree(Files.readString(file));
    }
}
