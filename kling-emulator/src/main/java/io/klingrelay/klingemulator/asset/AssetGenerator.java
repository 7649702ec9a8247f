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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.jcodec.codecs.h264.H264Encoder;
import org.jcodec.common.Codec;
import org.jcodec.common.MuxerTrack;
import org.jcodec.common.VideoCodecMeta;
import org.jcodec.common.io.ByteBufferSeekableByteChannel;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Packet;
import org.jcodec.common.model.Packet.FrameType;
import org.jcodec.common.model.Picture;
import org.jcodec.common.model.Size;
import org.jcodec.containers.mp4.muxer.MP4Muxer;
import org.jcodec.scale.AWTUtil;
import org.jcodec.scale.ColorUtil;
import org.springframework.stereotype.Component;

/**
 * Generates real result files, each with the prompt and task id drawn in; output depends only on the inputs, so
 * every download of one asset gets the same bytes.
 *
 * <ul>
 *   <li>Images: PNG ({@link ImageIO}) at the requested {@code aspect_ratio}, short side {@value #IMAGE_SHORT_SIDE} px
 *       (16:9 → 640×360, 1:1 → 360×360, 21:9 → 840×360), so every image passes Kling's own input rules
 *       (≥ 300 px per side, ratio within 1:2.5 … 2.5:1, kling-api.md §4.3) and can feed image-to-video.</li>
 *   <li>Videos: ISO-BMFF MP4 ({@code ftyp}, {@code moov}, {@code mdat}) with one H.264 track (jcodec's pure-Java
 *       encoder, Baseline profile), in the {@link VideoFormat} of the task: size, frame rate and a movie duration equal
 *       to the result {@code duration}. One IDR picture, then P pictures that repeat it (all macroblocks skipped),
 *       so generation costs one encoded picture whatever the length.</li>
 * </ul>
 */
@Component
public class AssetGenerator {

    /** Short side of generated images, in pixels (Kling's input minimum is 300, §4.3). */
    static final int IMAGE_SHORT_SIDE = 360;

    /** @return PNG bytes for image {@code index} of a task; {@code aspectRatio} like {@code 16:9} */
    public byte[] png(String taskId, int index, String prompt, String aspectRatio) {
        return png(taskId, index, prompt, aspectRatio, IMAGE_SHORT_SIDE);
    }

    /**
     * @param shortSide the short side in pixels ({@code assets.image-short-side}); below 300 the image no longer
     *     passes Kling's input minimum (§4.3)
     * @return PNG bytes for image {@code index} of a task at {@code aspectRatio} with that short side
     */
    public byte[] png(String taskId, int index, String prompt, String aspectRatio, int shortSide) {
        int[] size = imageSize(aspectRatio, shortSide);
        BufferedImage image = new BufferedImage(size[0], size[1], BufferedImage.TYPE_INT_RGB);
        draw(image, taskId, index, prompt, image.getWidth() + "x" + image.getHeight());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** @return MP4 (H.264) bytes for video {@code index} of a task, in {@code format} */
    public byte[] mp4(String taskId, int index, String prompt, VideoFormat format) {
        List<Packet> packets = encode(taskId, index, prompt, format);
        int payload = packets.stream().mapToInt(p -> p.getData().remaining()).sum();
        ByteBuffer file = ByteBuffer.allocate(payload + 64 * 1024 + 64 * packets.size());
        try {
            ByteBufferSeekableByteChannel channel = ByteBufferSeekableByteChannel.writeToByteBuffer(file);
            MP4Muxer muxer = MP4Muxer.createMP4MuxerToChannel(channel);
            MuxerTrack track = muxer.addVideoTrack(Codec.H264, VideoCodecMeta.createSimpleVideoCodecMeta(
                    new Size(format.width(), format.height()), ColorSpace.YUV420J));
            for (Packet packet : packets) {
                track.addFrame(packet);
            }
            muxer.finish();
            return Mp4Timestamps.zero(Arrays.copyOf(file.array(), (int) channel.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return one H.264 access unit (Annex B) per frame, timed in milliseconds: frame 0 is an IDR picture encoded by
     *     jcodec (with SPS and PPS); every later frame is a P picture whose macroblocks are all skipped (a copy of the
     *     previous one), written here, so a long clip costs one encoded picture
     */
    private static List<Packet> encode(String taskId, int index, String prompt, VideoFormat format) {
        H264Encoder encoder = H264Encoder.createH264Encoder();
        BufferedImage frame = new BufferedImage(format.width(), format.height(), BufferedImage.TYPE_3BYTE_BGR);
        draw(frame, taskId, index, prompt, label(format));
        Picture yuv = Picture.create(format.width(), format.height(), ColorSpace.YUV420J);
        ColorUtil.getTransform(ColorSpace.RGB, ColorSpace.YUV420J).transform(AWTUtil.fromBufferedImageRGB(frame), yuv);
        ByteBuffer buffer = ByteBuffer.allocate(encoder.estimateBufferSize(yuv));
        ByteBuffer idr = encoder.encodeIDRFrame(yuv, buffer);
        List<Packet> packets = new ArrayList<>();
        packets.add(packet(ByteBuffer.allocate(idr.remaining()).put(idr).flip(), format, 0, FrameType.KEY));
        SkippedPictures skipped = new SkippedPictures(encoder, format);
        for (int i = 1; i < format.frames(); i++) {
            packets.add(packet(skipped.frame(i), format, i, FrameType.INTER));
        }
        return packets;
    }

    private static Packet packet(ByteBuffer data, VideoFormat format, int frame, FrameType type) {
        return Packet.createPacket(data, format.frameStartMillis(frame), VideoFormat.TIMESCALE,
                format.frameMillis(frame), frame, type, null);
    }

    private static String label(VideoFormat format) {
        return String.format(Locale.ROOT, "%.1fs %dx%d %dfps", format.durationMillis() / 1000.0, format.width(),
                format.height(), format.framesPerSecond());
    }

    /** @return width and height of a generated image: short side {@value #IMAGE_SHORT_SIDE}, long side by ratio */
    static int[] imageSize(String aspectRatio) {
        return imageSize(aspectRatio, IMAGE_SHORT_SIDE);
    }

    /** @return width and height of a generated image: the given short side, long side by ratio */
    static int[] imageSize(String aspectRatio, int shortSide) {
        double ratio = AspectRatio.parse(aspectRatio);
        int longSide = (int) Math.round(shortSide * Math.max(ratio, 1 / ratio));
        return ratio >= 1 ? new int[] {longSide, shortSide} : new int[] {shortSide, longSide};
    }

    private static void draw(BufferedImage image, String taskId, int index, String prompt, String label) {
        Graphics2D g = image.createGraphics();
        try {
            int w = image.getWidth();
            int h = image.getHeight();
            g.setColor(new Color(seed(taskId, index, prompt) & 0x7f7f7f));
            g.fillRect(0, 0, w, h);
            g.setColor(new Color(0xffd23f));
            int bar = Math.max(4, h / 12);
            g.fillRect(0, h - bar, w, bar);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, Math.max(9, Math.min(w, h) / 12)));
            g.drawString(abbreviate(prompt, 28), 4, h / 4);
            g.drawString(taskId + "#" + index, 4, h / 2);
            g.drawString(label, 4, 3 * h / 4);
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
}
