package io.klingrelay.klingemulator.asset;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.jcodec.api.awt.AWTSequenceEncoder;
import org.jcodec.common.io.ByteBufferSeekableByteChannel;
import org.jcodec.common.model.Rational;
import org.springframework.stereotype.Component;

/**
 * Generates real, small result files: a PNG ({@link ImageIO}) and a playable H.264 MP4 (jcodec), each
 * with the prompt and task id drawn in. Output depends only on its inputs, so every download of one
 * asset gets the same bytes. Video: 160×90, 12 frames at 12 fps; image: 320 px wide.
 */
@Component
public class AssetGenerator {

    static final int VIDEO_WIDTH = 160;
    static final int VIDEO_HEIGHT = 90;
    static final int VIDEO_FRAMES = 12;
    static final int IMAGE_WIDTH = 320;
    private static final int MAX_MP4_BYTES = 4 * 1024 * 1024;

    /** @return PNG bytes for image {@code index} of a task; {@code aspectRatio} like {@code 16:9} */
    public byte[] png(String taskId, int index, String prompt, String aspectRatio) {
        BufferedImage image = new BufferedImage(IMAGE_WIDTH, heightFor(aspectRatio), BufferedImage.TYPE_INT_RGB);
        draw(image, taskId, index, prompt, 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** @return MP4 (H.264) bytes for video {@code index} of a task */
    public byte[] mp4(String taskId, int index, String prompt) {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_MP4_BYTES);
        try {
            ByteBufferSeekableByteChannel channel = ByteBufferSeekableByteChannel.writeToByteBuffer(buffer);
            AWTSequenceEncoder encoder = new AWTSequenceEncoder(channel, Rational.R(VIDEO_FRAMES, 1));
            BufferedImage frame = new BufferedImage(VIDEO_WIDTH, VIDEO_HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
            for (int i = 0; i < VIDEO_FRAMES; i++) {
                draw(frame, taskId, index, prompt, i);
                encoder.encodeImage(frame);
            }
            encoder.finish();
            return Mp4Timestamps.zero(Arrays.copyOf(buffer.array(), (int) channel.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void draw(BufferedImage image, String taskId, int index, String prompt, int frame) {
        Graphics2D g = image.createGraphics();
        try {
            int seed = seed(taskId, index, prompt);
            g.setColor(new Color(seed & 0x7f7f7f));
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setColor(new Color(0xffd23f));
            int box = image.getHeight() / 4;
            g.fillRect((frame * image.getWidth() / VIDEO_FRAMES) % image.getWidth(), image.getHeight() - box - 2, box, box);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, Math.max(9, image.getWidth() / 18)));
            g.drawString(abbreviate(prompt, 28), 4, image.getHeight() / 4);
            g.drawString(taskId + "#" + index, 4, image.getHeight() / 2);
        } finally {
            g.dispose();
        }
    }

    private static int seed(String taskId, int index, String prompt) {
        CRC32 crc = new CRC32();
        crc.update((taskId + "/" + index + "/" + prompt).getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    static int heightFor(String aspectRatio) {
        String[] parts = aspectRatio.split(":");
        try {
            double ratio = Double.parseDouble(parts[0]) / Double.parseDouble(parts[1]);
            return Math.max(1, (int) Math.round(IMAGE_WIDTH / ratio));
        } catch (RuntimeException e) {
            return IMAGE_WIDTH * 9 / 16;
        }
    }
}
