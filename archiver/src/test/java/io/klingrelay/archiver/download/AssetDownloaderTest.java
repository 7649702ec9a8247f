package io.klingrelay.archiver.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.klingrelay.common.error.KlingRelayException;
import io.klingrelay.common.error.PermanentException;
import io.klingrelay.common.error.TransientException;
import io.klingrelay.common.event.AssetKind;
import io.klingrelay.common.event.TaskAsset;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Classification and refusals that happen before any connection (no network here). */
class AssetDownloaderTest {

    private final AssetDownloader downloader = new AssetDownloader(new HostPolicy(List.of("*.klingai.com"), false),
            1024, Duration.ofSeconds(1), Duration.ofSeconds(1));

    @AfterEach
    void closeDownloader() {
        downloader.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {403, 404, 410})
    void treatsForbiddenNotFoundAndGoneAsAnExpiredUrl(int status) {
        KlingRelayException failure = AssetDownloader.statusFailure(status, 3, "cdn.klingai.com");

        assertThat(failure).isInstanceOf(PermanentException.class)
                .hasMessageContaining("asset 3")
                .hasMessageContaining("expired")
                .hasMessageContaining("HTTP " + status);
        assertThat(failure.httpStatus()).isEqualTo(status);
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504, 408, 429})
    void treatsServerErrorsTimeoutsAndThrottlingAsTransient(int status) {
        assertThat(AssetDownloader.statusFailure(status, 0, "cdn.klingai.com"))
                .isInstanceOf(TransientException.class)
                .hasMessageContaining("HTTP " + status);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 405, 204})
    void treatsOtherAnswersAsPermanent(int status) {
        assertThat(AssetDownloader.statusFailure(status, 0, "cdn.klingai.com"))
                .isInstanceOf(PermanentException.class);
    }

    @Test
    void refusesAHostOutsideTheAllowListBeforeConnecting() {
        TaskAsset asset = new TaskAsset(AssetKind.VIDEO, 0, null, "https://metadata.internal/latest?Signature=abc",
                null);

        assertThatThrownBy(() -> downloader.open(asset, Duration.ofSeconds(5)))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("metadata.internal")
                .hasMessageNotContaining("Signature");
    }

    @Test
    void refusesSchemesOtherThanHttpAndHttps() {
        TaskAsset asset = new TaskAsset(AssetKind.VIDEO, 0, null, "file:///etc/passwd", null);

        assertThatThrownBy(() -> downloader.open(asset, Duration.ofSeconds(5)))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("not http/https")
                .hasMessageNotContaining("passwd");
    }
}
