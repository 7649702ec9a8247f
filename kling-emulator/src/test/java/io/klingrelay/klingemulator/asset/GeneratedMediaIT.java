package io.klingrelay.klingemulator.asset;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mp4parser.IsoFile;
import org.mp4parser.boxes.iso14496.part12.MovieHeaderBox;
import org.mp4parser.boxes.iso14496.part12.TrackHeaderBox;
import org.mp4parser.tools.Path;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The emulator's result files over real HTTP are what the task says they are (issue 10): videos last their
 * {@code duration} at the mode's resolution and aspect ratio (÷ 4), checked with isoparser and, when installed, with
 * {@code ffprobe}/{@code ffmpeg}; images are big enough for the emulator's own image-to-video.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "klingrelay.emulator.time-scale=0.005",
        "klingrelay.emulator.accounts[0].id=media",
        "klingrelay.emulator.accounts[0].access-key=ak-media",
        "klingrelay.emulator.accounts[0].secret-key=" + GeneratedMediaIT.SK,
        "klingrelay.emulator.accounts[0].concurrency=20",
})
class GeneratedMediaIT {

    static final String SK = "sk-media-0123456789abcdef0123456789";
    private static final String T2V = "/v1/videos/text2video";
    private static final String I2V = "/v1/videos/image2video";
    private static final String IMAGES = "/v1/images/generations";

    @LocalServerPort
    int port;

    @TempDir
    java.nio.file.Path temp;

    @ParameterizedTest(name = "{0} {1} {2} {3}s → {4}×{5}")
    @CsvSource({"kling-v1-6, pro, 9:16, 10, 270, 480", "kling-v1-6, std, 16:9, 5, 320, 180",
            "kling-v2-6, pro, 1:1, 5, 270, 270"})
    void aVideoLastsItsResultDurationAtTheModesResolutionScaledByFour(String model, String mode, String ratio,
            String duration, int width, int height) throws Exception {
        // GIVEN / WHEN
        JsonNode video = succeededVideo("{\"model_name\":\"" + model + "\",\"mode\":\"" + mode + "\",\"aspect_ratio\":\""
                + ratio + "\",\"duration\":\"" + duration + "\",\"prompt\":\"shape\"}");
        byte[] mp4 = EmulatorCalls.download(video.get("url").stringValue());

        // THEN
        BigDecimal seconds = new BigDecimal(video.get("duration").stringValue());
        try (IsoFile iso = new IsoFile(Channels.newChannel(new ByteArrayInputStream(mp4)))) {
            MovieHeaderBox mvhd = Path.getPath(iso, "moov[0]/mvhd[0]");
            assertThat(BigDecimal.valueOf(mvhd.getDuration()).divide(BigDecimal.valueOf(mvhd.getTimescale())))
                    .isEqualByComparingTo(seconds);
            TrackHeaderBox tkhd = Path.getPath(iso, "moov[0]/trak[0]/tkhd[0]");
            assertThat(tkhd.getWidth()).isEqualTo(width);
            assertThat(tkhd.getHeight()).isEqualTo(height);
        }
    }

    @Test
    void ffprobeReadsAnH264VideoOfTheTasksDurationAndSizeAndFfmpegDecodesEveryFrame() throws Exception {
        Assumptions.assumeTrue(works("ffprobe", "-version") && works("ffmpeg", "-version"),
                "ffprobe/ffmpeg (Debian package ffmpeg) are needed");
        JsonNode video = succeededVideo("{\"model_name\":\"kling-v1-6\",\"mode\":\"pro\",\"aspect_ratio\":\"16:9\","
                + "\"duration\":\"10\",\"prompt\":\"probe me\"}");
        java.nio.file.Path file = temp.resolve("video.mp4");
        Files.write(file, EmulatorCalls.download(video.get("url").stringValue()));

        String probe = run("ffprobe", "-v", "error", "-count_frames", "-show_entries",
                "format=format_name,duration:stream=codec_type,codec_name,width,height,nb_read_frames", "-of", "json",
                file.toString());
        String decodeErrors = run("ffmpeg", "-v", "error", "-i", file.toString(), "-f", "null", "-");

        JsonNode json = EmulatorCalls.MAPPER.readTree(probe);
        JsonNode stream = json.get("streams").get(0);
        assertThat(json.get("streams")).hasSize(1);
        assertThat(stream.get("codec_type").stringValue()).isEqualTo("video");
        assertThat(stream.get("codec_name").stringValue()).isEqualTo("h264");
        assertThat(stream.get("width").intValue()).isEqualTo(480);
        assertThat(stream.get("height").intValue()).isEqualTo(270);
        assertThat(stream.get("nb_read_frames").stringValue()).isEqualTo("20");
        assertThat(json.get("format").get("format_name").stringValue()).contains("mp4");
        assertThat(new BigDecimal(json.get("format").get("duration").stringValue()))
                .isEqualByComparingTo(video.get("duration").stringValue());
        assertThat(decodeErrors).isEmpty();
    }

    @Test
    void anImageTheEmulatorGeneratedIsAcceptedByItsOwnImageToVideoAsUrlAndAsBase64() throws Exception {
        // GIVEN a generated 16:9 image (320×180 before issue 10: below Kling's 300 px minimum, §4.3)
        EmulatorCalls kling = calls();
        String imageTask = kling.create(IMAGES, "{\"prompt\":\"first frame\",\"aspect_ratio\":\"16:9\"}");
        String url = kling.awaitSucceed(IMAGES, imageTask).get("task_result").get("images").get(0).get("url")
                .stringValue();
        byte[] png = EmulatorCalls.download(url);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth() * 9).isEqualTo(image.getHeight() * 16);

        // WHEN it is the first frame of an image-to-video task, by URL and as raw Base64
        String byUrl = kling.create(I2V, "{\"model_name\":\"kling-v1-6\",\"image\":\"" + url + "\"}");
        var byBase64 = kling.postResponse(I2V, "{\"model_name\":\"kling-v1-6\",\"image\":\""
                + Base64.getEncoder().encodeToString(png) + "\"}");

        // THEN both are accepted and run to succeed
        assertThat(byBase64.statusCode()).as(byBase64.body()).isEqualTo(200);
        String byBase64Task = EmulatorCalls.MAPPER.readTree(byBase64.body()).get("data").get("task_id").stringValue();
        kling.awaitSucceed(I2V, byUrl);
        kling.awaitSucceed(I2V, byBase64Task);
    }

    private JsonNode succeededVideo(String body) throws Exception {
        EmulatorCalls kling = calls();
        String taskId = kling.create(T2V, body);
        return kling.awaitSucceed(T2V, taskId).get("task_result").get("videos").get(0);
    }

    private EmulatorCalls calls() {
        return new EmulatorCalls(port, "ak-media", SK);
    }

    private static boolean works(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** @return stdout+stderr of a command that must exit 0 within 60 s */
    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text).isZero();
        return text;
    }
}
