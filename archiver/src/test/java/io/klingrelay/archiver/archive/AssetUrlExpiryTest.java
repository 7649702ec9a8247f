package io.klingrelay.archiver.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.common.event.AssetKind;
import io.klingrelay.common.event.TaskAsset;
import java.time.Duration;
import java.time.Instant;
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

    private static TaskAsset video(String url) {
        return new TaskAsset(AssetKind.VIDEO, 0, null, url, null);
    }
}
