package io.klingrelay.klingemulator.asset;

import io.klingrelay.klingemulator.config.EmulatorProperties;
import io.klingrelay.klingemulator.spec.OutputKind;
import io.klingrelay.klingemulator.spec.TaskSpec;
import io.klingrelay.klingemulator.task.Task;
import io.klingrelay.klingemulator.task.TaskEventListener;
import io.klingrelay.klingemulator.task.TaskEvents;
import io.klingrelay.klingemulator.task.TaskRenderer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** The bytes of a task's outputs, generated on first use and cached. */
@Component
@Order(TaskEvents.ASSETS)
public class AssetService implements TaskEventListener {

    private static final int CHUNK = 64 * 1024;

    private final AssetGenerator generator;
    private final AssetCache cache;
    private final long videoSize;
    private final int videoScaleDivisor;
    private final int videoFps;
    private final int imageShortSide;

    @Autowired
    public AssetService(AssetGenerator generator, AssetCache cache, EmulatorProperties properties) {
        this.generator = generator;
        this.cache = cache;
        this.videoSize = properties.assets().videoSize().toBytes();
        this.videoScaleDivisor = properties.assets().videoScaleDivisor();
        this.videoFps = properties.assets().videoFps();
        this.imageShortSide = properties.assets().imageShortSide();
    }

    /** Natural sizes, the default video shape (÷ 4, 2 fps) and image size (short side 360 px). */
    public AssetService(AssetGenerator generator, AssetCache cache) {
        this.generator = generator;
        this.cache = cache;
        this.videoSize = 0;
        this.videoScaleDivisor = 4;
        this.videoFps = 2;
        this.imageShortSide = AssetGenerator.IMAGE_SHORT_SIDE;
    }

    /**
     * @return the shape of the task's videos: its model, mode and aspect ratio, at the result {@code duration}
     *     the task reports ({@link TaskRenderer#resultDuration}), scaled by {@code assets.video-scale-divisor}
     */
    public VideoFormat videoFormat(Task task) {
        TaskSpec spec = task.spec();
        return VideoFormat.of(spec.modelName(), spec.mode(), spec.aspectRatio(), TaskRenderer.resultDuration(task),
                videoScaleDivisor, videoFps);
    }

    /** @return the served size in bytes: the clip, or {@code assets.video-size} for a padded MP4 */
    public long size(Task task, int index) {
        long natural = bytes(task, index).length;
        return padding(task, natural) > 0 ? videoSize : natural;
    }

    /**
     * Writes the served file: the clip, then (videos, when {@code assets.video-size} exceeds it) one top-level
     * {@code free} box of zeros up to that size, in 64 KiB chunks, so gigabytes never sit in memory.
     *
     * @param bytesPerSecond throttle; 0 = full speed
     */
    public void writeTo(Task task, int index, OutputStream out, long bytesPerSecond) throws IOException {
        byte[] clip = bytes(task, index);
        Throttle throttle = new Throttle(bytesPerSecond);
        writeThrottled(out, clip, clip.length, throttle);
        long padding = padding(task, clip.length);
        if (padding <= 0) {
            return;
        }
        ByteBuffer header = padding > 0xFFFF_FFFFL
                ? ByteBuffer.allocate(16).putInt(1).put(FREE).putLong(padding)
                : ByteBuffer.allocate(8).putInt((int) padding).put(FREE);
        writeThrottled(out, header.array(), header.position(), throttle);
        byte[] zeros = new byte[CHUNK];
        for (long left = padding - header.position(); left > 0; left -= CHUNK) {
            writeThrottled(out, zeros, (int) Math.min(CHUNK, left), throttle);
        }
    }

    private long padding(Task task, long natural) {
        boolean video = task.product().output() == OutputKind.VIDEO;
        return video && videoSize > natural + 16 ? videoSize - natural : 0;
    }

    private static void writeThrottled(OutputStream out, byte[] bytes, int length, Throttle throttle)
            throws IOException {
        for (int offset = 0; offset < length; offset += CHUNK) {
            int n = Math.min(CHUNK, length - offset);
            throttle.before(n);
            out.write(bytes, offset, n);
        }
    }

    private static final byte[] FREE = "free".getBytes(StandardCharsets.US_ASCII);

    /** Paces writes to a byte rate (slow-download fault). */
    private static final class Throttle {
        private final long bytesPerSecond;
        private final long start = System.nanoTime();
        private long sent;

        Throttle(long bytesPerSecond) {
            this.bytesPerSecond = bytesPerSecond;
        }

        void before(int n) throws IOException {
            if (bytesPerSecond <= 0) {
                return;
            }
            sent += n;
            long due = start + sent * 1_000_000_000L / bytesPerSecond;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    public byte[] bytes(Task task, int index) {
        return cache.get(task.taskId(), index, () -> generate(task, index));
    }

    /** Drops a purged task's cached outputs. */
    @Override
    public void purged(Task task) {
        evict(task.taskId());
    }

    public void evict(String taskId) {
        cache.evict(taskId);
    }

    public void clear() {
        cache.clear();
    }

    private byte[] generate(Task task, int index) {
        if (task.product().output() == OutputKind.IMAGE) {
            return generator.png(task.taskId(), index, task.spec().prompt(), task.spec().aspectRatio(),
                    imageShortSide);
        }
        return generator.mp4(task.taskId(), index, task.spec().prompt(), videoFormat(task));
    }
}
