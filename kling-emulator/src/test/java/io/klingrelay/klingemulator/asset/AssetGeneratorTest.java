package io.klingrelay.klingemulator.asset;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.jcodec.api.awt.AWTFrameGrab;
import org.jcodec.common.io.ByteBufferSeekableByteChannel;
import org.junit.jupiter.api.Test;

class AssetGeneratorTest {

    private final AssetGenerator generator = new AssetGenerator();

    @Test
    void pngIsReadableByImageIoWithTheRequestedAspectRatio() throws IOException {
        byte[] png = generator.png("866889456698785798", 0, "A lighthouse at dusk", "3:2");

        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));

        assertThat(image.getWidth()).isEqualTo(320);
        assertThat(image.getHeight()).isEqualTo(213);
    }

    @Test
    void pngDependsOnTheTaskAndIsDeterministic() {
        byte[] first = generator.png("1", 0, "prompt", "1:1");

        assertThat(generator.png("1", 0, "prompt", "1:1")).isEqualTo(first);
        assertThat(generator.png("2", 0, "prompt", "1:1")).isNotEqualTo(first);
        assertThat(generator.png("1", 1, "prompt", "1:1")).isNotEqualTo(first);
    }

    @Test
    void mp4HasFtypAndMoovBoxesAndDecodesToFrames() throws Exception {
        byte[] mp4 = generator.mp4("866889456698785798", 0, "A paper boat drifting");

        assertThat(mp4.length).isLessThan(200 * 1024);
        assertThat(new String(mp4, 4, 4, StandardCharsets.US_ASCII)).isEqualTo("ftyp");
        assertThat(topLevelBoxes(mp4)).contains("ftyp", "moov", "mdat");
        BufferedImage frame = AWTFrameGrab.getFrame(
                ByteBufferSeekableByteChannel.readFromByteBuffer(ByteBuffer.wrap(mp4)), 0);
        assertThat(frame.getWidth()).isEqualTo(160);
        assertThat(frame.getHeight()).isEqualTo(90);
    }

    @Test
    void mp4IsDeterministicPerTaskAndIndex() {
        byte[] first = generator.mp4("42", 0, "same prompt");

        assertThat(generator.mp4("42", 0, "same prompt")).as("same bytes").isEqualTo(first);
        assertThat(generator.mp4("43", 0, "same prompt")).isNotEqualTo(first);
    }

    private static List<String> topLevelBoxes(byte[] mp4) {
        List<String> boxes = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.wrap(mp4);
        while (buffer.remaining() >= 8) {
            int start = buffer.position();
            long size = Integer.toUnsignedLong(buffer.getInt());
            byte[] type = new byte[4];
            buffer.get(type);
            boxes.add(new String(type, StandardCharsets.US_ASCII));
            if (size == 1) {
                size = buffer.getLong();
            }
            if (size < 8 || start + size > mp4.length) {
                break;
            }
            buffer.position((int) (start + size));
        }
        return boxes;
    }
}
