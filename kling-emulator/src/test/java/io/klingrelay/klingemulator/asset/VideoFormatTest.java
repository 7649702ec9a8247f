package io.klingrelay.klingemulator.asset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VideoFormatTest {

    @ParameterizedTest(name = "{0} {1} {2} ÷{3} → {4}×{5}")
    @CsvSource({
            "kling-v1-6, std, 16:9, 1, 1280, 720",
            "kling-v1-6, pro, 16:9, 1, 1920, 1080",
            "kling-v1-6, pro, 9:16, 1, 1080, 1920",
            "kling-v2-6, std, 1:1, 1, 720, 720",
            "kling-v3, 4k, 16:9, 1, 3840, 2160",
            "kling-v1, pro, 16:9, 1, 1280, 720",
            "kling-v2-master, std, 16:9, 1, 1280, 720",
            "kling-v2-1-master, std, 16:9, 1, 1920, 1080",
            "kling-v1-6, std, 16:9, 4, 320, 180",
            "kling-v1-6, pro, 16:9, 4, 480, 270",
            "kling-v1-6, pro, 9:16, 4, 270, 480",
            "kling-v1-6, std, 1:1, 4, 180, 180",
            "kling-v1-6, std, 16:9, 3, 426, 240"})
    void frameSizeIsKlingsResolutionForTheModeAndAspectRatioDividedByTheScale(String model, String mode,
            String ratio, int divisor, int width, int height) {
        VideoFormat format = VideoFormat.of(model, mode, ratio, "5.1", divisor, 2);

        assertThat(format.width()).isEqualTo(width);
        assertThat(format.height()).isEqualTo(height);
    }

    @Test
    void framesAreEvenlySpacedAndTheLastOneIsHeldUntilTheDuration() {
        VideoFormat format = VideoFormat.of("kling-v1", "std", "16:9", "5.1", 4, 2);

        assertThat(format.durationMillis()).isEqualTo(5100);
        assertThat(format.frames()).isEqualTo(10);
        assertThat(format.frameMillis(0)).isEqualTo(500);
        assertThat(format.frameStartMillis(9)).isEqualTo(4500);
        assertThat(format.frameMillis(9)).isEqualTo(600);
    }

    @Test
    void rejectsOddSizesAndFrameRatesOutsideOneToThirty() {
        assertThatThrownBy(() -> new VideoFormat(321, 180, 2, 5000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VideoFormat(320, 180, 31, 5000)).isInstanceOf(IllegalArgumentException.class);
    }
}
