package io.klingrelay.klingemulator.asset;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mp4parser.Box;
import org.mp4parser.IsoFile;
import org.mp4parser.boxes.iso14496.part12.MediaHeaderBox;
import org.mp4parser.boxes.iso14496.part12.MovieHeaderBox;
import org.mp4parser.boxes.iso14496.part12.SampleSizeBox;
import org.mp4parser.boxes.iso14496.part12.TimeToSampleBox;
import org.mp4parser.boxes.iso14496.part12.TrackHeaderBox;
import org.mp4parser.boxes.iso14496.part15.AvcConfigurationBox;
import org.mp4parser.boxes.sampleentry.VisualSampleEntry;
import org.mp4parser.tools.Path;

/** Generated files checked with independent readers: ImageIO for PNGs, mp4parser's isoparser for MP4 boxes. */
class AssetGeneratorTest {

    private static final String STBL = "moov[0]/trak[0]/mdia[0]/minf[0]/stbl[0]/";

    private final AssetGenerator generator = new AssetGenerator();

    @ParameterizedTest(name = "{0} → {1}×{2}")
    @CsvSource({"16:9, 640, 360", "9:16, 360, 640", "1:1, 360, 360", "4:3, 480, 360", "3:4, 360, 480",
            "3:2, 540, 360", "2:3, 360, 540", "21:9, 840, 360"})
    void pngHasTheRequestedAspectRatioAndPassesKlingsOwnImageInputRules(String ratio, int width, int height)
            throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(generator.png("866889456698785798", 0, "A lighthouse", ratio)));

        assertThat(image.getWidth()).isEqualTo(width);
        assertThat(image.getHeight()).isEqualTo(height);
        // kling-api.md §4.3: each side >= 300 px, ratio within 1:2.5 ... 2.5:1
        assertThat(Math.min(width, height)).isGreaterThanOrEqualTo(300);
        assertThat((double) Math.max(width, height) / Math.min(width, height)).isLessThanOrEqualTo(2.5);
    }

    @Test
    void pngWithATinyShortSideIsAValidPngOfAboutOneKibibyte() throws IOException {
        // GIVEN assets.image-short-side=132, the end-to-end benchmark's setting
        byte[] png = generator.png("866889456698785798", 0, "Key visual e2e-1a2b3c-17", "1:1", 132);

        // THEN it is still a PNG of that size, and about 1 KiB
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth()).isEqualTo(132);
        assertThat(image.getHeight()).isEqualTo(132);
        assertThat(png).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
        assertThat(png.length).isBetween(800, 1300);
        assertThat(generator.png("866889456698785798", 0, "Key visual e2e-1a2b3c-17", "16:9", 132).length)
                .isGreaterThan(png.length);
    }

    @Test
    void pngDependsOnTheTaskAndIsDeterministic() {
        byte[] first = generator.png("1", 0, "prompt", "1:1");

        assertThat(generator.png("1", 0, "prompt", "1:1")).isEqualTo(first);
        assertThat(generator.png("2", 0, "prompt", "1:1")).isNotEqualTo(first);
        assertThat(generator.png("1", 1, "prompt", "1:1")).isNotEqualTo(first);
    }

    @Test
    void mp4IsAnIsoBmffFileWhoseMovieLastsTheTaskDurationAtTheFormatsSize() throws IOException {
        // GIVEN a 1080p (pro) 16:9 task of "10.1" s, scaled down by 4, at 2 fps
        VideoFormat format = VideoFormat.of("kling-v1-6", "pro", "16:9", "10.1", 4, 2);

        // WHEN
        byte[] mp4 = generator.mp4("866889456698785798", 0, "A paper boat drifting", format);

        // THEN
        try (IsoFile iso = new IsoFile(Channels.newChannel(new ByteArrayInputStream(mp4)))) {
            assertThat(iso.getBoxes()).extracting(Box::getType).containsSubsequence("ftyp", "moov")
                    .contains("mdat");
            MovieHeaderBox mvhd = Path.getPath(iso, "moov[0]/mvhd[0]");
            assertThat((double) mvhd.getDuration() / mvhd.getTimescale()).isEqualTo(10.1);
            MediaHeaderBox mdhd = Path.getPath(iso, "moov[0]/trak[0]/mdia[0]/mdhd[0]");
            assertThat((double) mdhd.getDuration() / mdhd.getTimescale()).isEqualTo(10.1);
            TrackHeaderBox tkhd = Path.getPath(iso, "moov[0]/trak[0]/tkhd[0]");
            assertThat(tkhd.getWidth()).isEqualTo(480);
            assertThat(tkhd.getHeight()).isEqualTo(270);
            VisualSampleEntry avc1 = Path.getPath(iso, STBL + "stsd[0]/avc1[0]");
            assertThat(avc1.getWidth()).isEqualTo(480);
            assertThat(avc1.getHeight()).isEqualTo(270);
            AvcConfigurationBox avcC = Path.getPath(avc1, "avcC[0]");
            assertThat(avcC.getSequenceParameterSets()).hasSize(1);
            SampleSizeBox stsz = Path.getPath(iso, STBL + "stsz[0]");
            assertThat(stsz.getSampleCount()).isEqualTo(20);
            List<TimeToSampleBox.Entry> stts = ((TimeToSampleBox) Path.getPath(iso, STBL + "stts[0]")).getEntries();
            assertThat(stts.stream().mapToLong(e -> e.getCount() * e.getDelta()).sum())
                    .isEqualTo(mdhd.getDuration());
        }
        assertThat(mp4.length).isLessThan(512 * 1024);
    }

    @Test
    void mp4IsDeterministicPerTaskAndIndex() {
        VideoFormat format = VideoFormat.of("kling-v1", "std", "1:1", "5.1", 4, 2);
        byte[] first = generator.mp4("42", 0, "same prompt", format);

        assertThat(generator.mp4("42", 0, "same prompt", format)).as("same bytes").isEqualTo(first);
        assertThat(generator.mp4("43", 0, "same prompt", format)).isNotEqualTo(first);
    }
}
