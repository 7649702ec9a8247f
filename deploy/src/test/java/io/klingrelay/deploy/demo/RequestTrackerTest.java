package io.klingrelay.deploy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.common.event.ArchivedAsset;
import io.klingrelay.common.event.AssetKind;
import io.klingrelay.common.event.AssetsArchived;
import io.klingrelay.common.event.FailureStage;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.event.RequestFailed;
import io.klingrelay.common.event.StatusSource;
import io.klingrelay.common.event.TaskStatus;
import io.klingrelay.common.event.TaskStatusChanged;
import io.klingrelay.common.event.TaskSubmitted;
import io.klingrelay.common.json.EventJson;
import io.klingrelay.common.kafka.Topics;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RequestTrackerTest {

    private final RequestTracker tracker = new RequestTracker();

    @BeforeEach
    void trackTwoRequests() {
        tracker.track(new CampaignEntry(1, "a-1-run", "brand-a", "text-to-video", "{}"), "a-1-run");
        tracker.track(new CampaignEntry(2, null, null, null, "not json"), "klingrelay.requests-2@17");
    }

    @Test
    void followsARequestFromSubmittedThroughProcessingToArchived() {
        assertThat(tracker.apply(Topics.TASKS_SUBMITTED, json(submitted("a-1-run")))).isTrue();
        assertThat(tracker.apply(Topics.TASKS_STATUS, json(status("a-1-run", TaskStatus.PROCESSING)))).isTrue();
        assertThat(tracker.apply(Topics.TASKS_STATUS, json(status("a-1-run", TaskStatus.SUCCEED)))).isTrue();
        assertThat(tracker.apply(Topics.ASSETS_ARCHIVED, json(archived("a-1-run")))).isTrue();

        RequestRow row = tracker.rows().getFirst();
        assertThat(row.state()).isEqualTo(RequestState.ARCHIVED);
        assertThat(row.assets()).extracting(ArchivedAsset::objectKey).containsExactly("brand-a/a-1-run/video-0.mp4");
        assertThat(row.totalSize()).isEqualTo(187_654);
    }

    @Test
    void neverMovesBackwardsWhenEventsFromDifferentTopicsArriveOutOfOrder() {
        tracker.apply(Topics.ASSETS_ARCHIVED, json(archived("a-1-run")));

        assertThat(tracker.apply(Topics.TASKS_STATUS, json(status("a-1-run", TaskStatus.PROCESSING)))).isFalse();
        assertThat(tracker.rows().getFirst().state()).isEqualTo(RequestState.ARCHIVED);
    }

    @Test
    void ignoresEventsOfOtherRunsAndUnreadableRecords() {
        assertThat(tracker.apply(Topics.TASKS_SUBMITTED, json(submitted("a-1-otherrun")))).isFalse();
        assertThat(tracker.apply(Topics.ASSETS_ARCHIVED, "{not json")).isFalse();
        assertThat(tracker.apply(Topics.ASSETS_ARCHIVED, null)).isFalse();

        assertThat(tracker.counts()).containsEntry(RequestState.PENDING, 2);
    }

    @Test
    void recordsTheFailureOfALineThatWasNotJsonByItsRecordLocator() {
        RequestFailed failed = new RequestFailed(1, null, "klingrelay.requests-2@17", null, null, FailureStage.VALIDATION,
                "record value is not JSON", null, null, null, Instant.now());

        assertThat(tracker.apply(Topics.REQUESTS_FAILED, json(failed))).isTrue();

        RequestRow row = tracker.rows().get(1);
        assertThat(row.state()).isEqualTo(RequestState.FAILED);
        assertThat(row.detail()).isEqualTo("validation: record value is not JSON");
        assertThat(tracker.allTerminal()).isFalse();
    }

    @Test
    void treatsAFailedTaskStatusAsTheEndOfTheRequest() {
        tracker.apply(Topics.TASKS_STATUS, json(status("a-1-run", TaskStatus.FAILED)));

        assertThat(tracker.rows().getFirst().state()).isEqualTo(RequestState.FAILED);
    }

    private static String json(Object event) {
        return EventJson.mapper().writeValueAsString(event);
    }

    private static TaskSubmitted submitted(String requestId) {
        return new TaskSubmitted(1, "e-" + requestId, requestId, "brand-a", null, Product.TEXT_TO_VIDEO, "812345678901234567",
                1, Instant.now());
    }

    private static TaskStatusChanged status(String requestId, TaskStatus status) {
        return new TaskStatusChanged(1, "e-" + status, requestId, "brand-a", "812345678901234567", status,
                StatusSource.WEBHOOK, null, Instant.now());
    }

    private static AssetsArchived archived(String requestId) {
        ArchivedAsset asset = new ArchivedAsset(AssetKind.VIDEO, 0, null, "klingrelay-assets",
                "brand-a/" + requestId + "/video-0.mp4", 187_654, "ab".repeat(32), "video/mp4",
                "http://127.0.0.1:9000/klingrelay-assets/x?X-Amz-Signature=secret", Instant.now());
        return new AssetsArchived(1, null, requestId, "brand-a", null, Product.TEXT_TO_VIDEO, "812345678901234567",
                List.of(asset), Instant.now());
    }
}
