package io.klingrelay.archiver.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.klingrelay.common.error.PermanentException;
import io.klingrelay.common.error.TransientException;
import io.klingrelay.common.event.AssetKind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MediaSignatureTest {

    @ParameterizedTest
    @ValueSource(strings = {"ftyp", "moov", "mdat", "free", "skip", "wide"})
    void acceptsAVideoStartingWithAnMp4Box(String boxType) {
        byte[] head = bytes("00000020" + HexFormat.of().formatHex(boxType.getBytes(StandardCharsets.US_ASCII))
                + "69736f6d");

        assertThat(MediaSignature.matches(head, AssetKind.VIDEO)).isTrue();
        assertThat(MediaSignature.matches(head, AssetKind.IMAGE)).isFalse();
    }

    @Test
    void acceptsAWebmVideo() {
        assertThat(MediaSignature.matches(bytes("1a45dfa3a3428286810142f7"), AssetKind.VIDEO)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "89504e470d0a1a0a0000000d", // PNG
            "ffd8ffe000104a4649460001", // JPEG (JFIF)
            "524946462a00000057454250", // RIFF....WEBP
            "474946383961010001008000"}) // GIF89a
    void acceptsPngJpegWebpAndGifImages(String hex) {
        assertThat(MediaSignature.matches(bytes(hex), AssetKind.IMAGE)).isTrue();
        assertThat(MediaSignature.matches(bytes(hex), AssetKind.VIDEO)).isFalse();
    }

    @Test
    void refusesAnHtmlBodyForAVideoNamingWhatItIs() {
        InputStream html = body("\n  <!DOCTYPE html><html><body>504 Gateway Time-out</body></html>");

        assertThatThrownBy(() -> MediaSignature.checkedBody(html, AssetKind.VIDEO, 0))
                .isInstanceOf(PermanentException.class)
                .hasMessage("asset 0 is text/html, not a video");
    }

    @Test
    void refusesAJsonErrorBodyForAnImage() {
        InputStream json = body("{\"code\":5000,\"message\":\"internal error\"}");

        assertThatThrownBy(() -> MediaSignature.checkedBody(json, AssetKind.IMAGE, 2))
                .isInstanceOf(PermanentException.class)
                .hasMessage("asset 2 is application/json, not an image");
    }

    @Test
    void refusesUnknownBytesShowingOnlyTheirFirstFour() {
        InputStream random = new ByteArrayInputStream(bytes("0102030405060708090a0b0c0d0e"));

        assertThatThrownBy(() -> MediaSignature.checkedBody(random, AssetKind.VIDEO, 1))
                .isInstanceOf(PermanentException.class)
                .hasMessage("asset 1 does not start like a video (first bytes 01020304…)");
    }

    @Test
    void refusesABodyTooShortForAnySignature() {
        assertThatThrownBy(() -> MediaSignature.checkedBody(new ByteArrayInputStream(bytes("ffd8")),
                AssetKind.IMAGE, 0))
                .isInstanceOf(PermanentException.class)
                .hasMessage("asset 0 is only 2 bytes long, too short for an image");
    }

    @Test
    void handsOnTheWholeBodyIncludingTheCheckedBytes() throws IOException {
        byte[] png = new byte[100_000];
        Arrays.fill(png, (byte) 7);
        System.arraycopy(bytes("89504e470d0a1a0a"), 0, png, 0, 8);

        try (InputStream checked = MediaSignature.checkedBody(new ByteArrayInputStream(png), AssetKind.IMAGE, 0)) {
            assertThat(checked.readAllBytes()).isEqualTo(png);
        }
    }

    @Test
    void reportsAReadFailureWhilePeekingAsItsClassifiedFailure() {
        InputStream pastDeadline = new GuardedBodyStream(body("whatever"), 1000, 0, System.nanoTime() - 1);

        assertThatThrownBy(() -> MediaSignature.checkedBody(pastDeadline, AssetKind.VIDEO, 0))
                .isInstanceOf(TransientException.class)
                .hasMessageContaining("download-deadline");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/html", "TEXT/HTML", "text/plain", "application/json", "application/problem+json",
            "application/xml", "image/svg+xml"})
    void refusesADeclaredTextJsonOrXmlType(String contentType) {
        assertThatThrownBy(() -> MediaSignature.checkDeclaredType(contentType, AssetKind.VIDEO, 0))
                .isInstanceOf(PermanentException.class)
                .hasMessageStartingWith("asset 0 is ")
                .hasMessageEndingWith(", not a video");
    }

    @ParameterizedTest
    @ValueSource(strings = {"video/mp4", "image/png", "binary/octet-stream", "video/quicktime"})
    void leavesMediaAndBinaryTypesToTheFirstBytes(String contentType) {
        assertThatCode(() -> MediaSignature.checkDeclaredType(contentType, AssetKind.VIDEO, 0))
                .doesNotThrowAnyException();
        assertThatCode(() -> MediaSignature.checkDeclaredType(null, AssetKind.IMAGE, 0)).doesNotThrowAnyException();
    }

    private static InputStream body(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }

}
