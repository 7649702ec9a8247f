package io.klingrelay.common.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.klingrelay.common.json.EventJson;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    @Test
    void readsALenientRequestWithDefaults() {
        GenerationRequest request = EventJson.mapper().readValue(
                "{\"requestId\":\"r-1\",\"accountId\":\"a\",\"product\":\"text-to-video\","
                        + "\"input\":{\"prompt\":\"boat\",\"duration\":\"5\"},\"extra\":1}",
                GenerationRequest.class);

        assertThat(request.schemaVersion()).isEqualTo(KlingRelayEvent.CURRENT_SCHEMA_VERSION);
        assertThat(request.priority()).isEqualTo(Priority.CAMPAIGN);
        assertThat(request.product()).isEqualTo(Product.TEXT_TO_VIDEO);
        assertThat(request.input()).containsEntry("duration", "5");
        assertThat(request.eventId()).isNotBlank();
    }

    @Test
    void readsAnUnknownProductAsNullSoTheValidatorCanNameIt() {
        GenerationRequest request = EventJson.mapper().readValue(
                "{\"requestId\":\"r-1\",\"product\":\"text-to-hologram\"}", GenerationRequest.class);

        assertThat(request.product()).isNull();
    }

    @Test
    void writesTaskStatusWithKlingSpellingAndInstantsAsIsoStrings() {
        TaskCompleted completed = new TaskCompleted(1, null, "r-1", "a", null, Product.IMAGE_GENERATION, "8663",
                TaskStatus.SUCCEED, "", List.of(new TaskAsset(AssetKind.IMAGE, 0, null, "http://x/0.png", null)),
                StatusSource.WEBHOOK, Instant.parse("2026-11-21T08:00:00Z"));

        String json = EventJson.mapper().writeValueAsString(completed);

        assertThat(json).contains("\"taskStatus\":\"succeed\"", "\"completedAt\":\"2026-11-21T08:00:00Z\"",
                "\"kind\":\"image\"", "\"product\":\"image-generation\"");
        assertThat(EventJson.mapper().readValue(json, TaskCompleted.class)).isEqualTo(completed);
    }

    @Test
    void terminalEventIdsAreDeterministicPerRequest() {
        assertThat(EventIds.forRequest("a", "r-1", "completed")).isEqualTo(EventIds.forRequest("a", "r-1", "completed"))
                .isNotEqualTo(EventIds.forRequest("a", "r-2", "completed"))
                .isNotEqualTo(EventIds.forRequest("b", "r-1", "completed"))
                .isNotEqualTo(EventIds.forRequest(null, "r-1", "completed"));
    }

    @Test
    void refusesANonTerminalCompletion() {
        assertThatThrownBy(() -> new TaskCompleted(1, null, "r", "a", null, null, "t", TaskStatus.PROCESSING, "",
                List.of(), StatusSource.POLLER, Instant.now()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void statusesOnlyMoveForward() {
        assertThat(TaskStatus.isAllowed(TaskStatus.SUBMITTED, TaskStatus.PROCESSING)).isTrue();
        assertThat(TaskStatus.isAllowed(TaskStatus.PROCESSING, TaskStatus.SUCCEED)).isTrue();
        assertThat(TaskStatus.isAllowed(TaskStatus.SUCCEED, TaskStatus.PROCESSING)).isFalse();
        assertThat(TaskStatus.isAllowed(TaskStatus.FAILED, TaskStatus.SUCCEED)).isFalse();
        assertThat(TaskStatus.isAllowed(null, TaskStatus.SUBMITTED)).isTrue();
    }

    @Test
    void neverPrintsSignedUrlsInToString() {
        TaskAsset asset = new TaskAsset(AssetKind.VIDEO, 0, "v1", "https://cdn/x.mp4?Signature=SECRET", "5.1");
        assertThat(asset.toString()).doesNotContain("SECRET");
        assertThat(Map.of("a", asset).toString()).doesNotContain("Signature");
    }
}
