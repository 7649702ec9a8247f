package io.klingrelay.archiver.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.common.event.AssetKind;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.event.StatusSource;
import io.klingrelay.common.event.TaskAsset;
import io.klingrelay.common.event.TaskCompleted;
import io.klingrelay.common.event.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AssetUrlExpiryTest {

    private static final Instant COMPLETED_AT = Instant.parse("2026-11-30T10:00:00Z");

    @Test
    void readsTheExpiresParameterOfKlingsSignedUrl() {
        TaskAsset asset = video("https://v15-kling-fdl.klingai.com/bs2/upload-ylab-stunt-sgp/x.mp4?cacheKey=abc"
                + "&x-kcdn-pid=112452&Expires=1768112080&Signature=s1g&Key-Pair-Id=k");

        assertThat(AssetUrlExpiry.of(asset, COMPLETED_AT)).isEqualTo(Instant.ofEpochSecond(1768112080));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "https://cdn.klingai.com/bs2/upload-kling-api/acct/video/task-0_raw_video_1.mp4",
            "https://cdn.klingai.com/x.mp4?Expires=soon&Signature=s1g",
            "https://cdn.klingai.com/x.mp4?expires=1768112080"})
    void assumesThirtyDaysAfterCompletionWithoutAUsableExpiresParameter(String url) {
        assertThat(AssetUrlExpiry.of(video(url), COMPLETED_AT)).isEqualTo(COMPLETED_AT.plus(Duration.ofDays(30)));
    }

    @Test
    void readsTheDateAndLifetimeOfAnS3PresignedUrl() {
        TaskAsset asset = video("https://bucket.s3.amazonaws.com/x.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Date=20261130T100000Z&X-Amz-Expires=3600&X-Amz-Signature=s1g");

        assertThat(AssetUrlExpiry.of(asset, COMPLETED_AT)).isEqualTo(Instant.parse("2026-11-30T11:00:00Z"));
    }

    @Test
    void readsTheDateAndLifetimeOfAGoogleSignedUrl() {
        TaskAsset asset = video("https://storage.googleapis.com/b/x.mp4?X-Goog-Date=20261130T100000Z"
                + "&X-Goog-Expires=600&X-Goog-Signature=s1g");

        assertThat(AssetUrlExpiry.of(asset, COMPLETED_AT)).isEqualTo(Instant.parse("2026-11-30T10:10:00Z"));
    }

    @Test
    void aTaskExpiresWithItsEarliestAsset() {
        TaskCompleted task = new TaskCompleted(1, null, "r-1", "acct", null, Product.IMAGE_GENERATION, "t-1",
                TaskStatus.SUCCEED, "", List.of(
                        new TaskAsset(AssetKind.IMAGE, 0, null, "https://cdn.klingai.com/a.png?Expires=1800000000", null),
                        new TaskAsset(AssetKind.IMAGE, 1, null, "https://cdn.klingai.com/b.png?Expires=1700000000", null),
                        new TaskAsset(AssetKind.IMAGE, 2, null, "https://cdn.klingai.com/c.png", null)),
                StatusSource.WEBHOOK, COMPLETED_AT);

        assertThat(AssetUrlExpiry.ofTask(task)).isEqualTo(Instant.ofEpochSecond(1700000000));
    }

    private static TaskAsset video(String url) {
        return new TaskAsset(AssetKind.VIDEO, 0, null, url, null);
    }
}
