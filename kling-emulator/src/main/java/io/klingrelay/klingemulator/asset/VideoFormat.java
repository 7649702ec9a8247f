package io.klingrelay.klingemulator.asset;

import java.math.BigDecimal;
import java.util.Set;

/**
 * The shape of one generated MP4: frame size, frame rate and length.
 *
 * <p>Frame size: Kling's output resolution (kling-api.md §14: {@code std} 720p, {@code pro} 1080p;
 * {@code kling-v1} and {@code kling-v2-master} 720p in every mode, {@code kling-v2-1-master} 1080p, {@code 4k} 2160p),
 * as the short side of the task's {@code aspect_ratio} ({@code 16:9} 720p = 1280×720, {@code 9:16} = 720×1280,
 * {@code 1:1} = 720×720), each side divided by {@code scaleDivisor} and rounded to an even number (H.264 4:2:0).
 * With the default divisor 4: 720p 16:9 → 320×180, 1080p 16:9 → 480×270.
 *
 * <p>Length: one frame every {@code 1/framesPerSecond} s; the last frame is held until {@code durationMillis}, so
 * the movie lasts exactly the task's result {@code duration} ({@code "5.1"} → 5100 ms).
 *
 * @param width frame width in pixels, even, ≥ 16
 * @param height frame height in pixels, even, ≥ 16
 * @param framesPerSecond frames per second, 1–30
 * @param durationMillis movie duration in milliseconds, ≥ one frame
 */
public record VideoFormat(int width, int height, int framesPerSecond, long durationMillis) {

    /** Time scale of the generated track and movie: milliseconds. */
    static final int TIMESCALE = 1000;
    private static final Set<String> ALWAYS_720P = Set.of("kling-v1", "kling-v2-master");
    private static final Set<String> ALWAYS_1080P = Set.of("kling-v2-1-master");

    public VideoFormat {
        if (width < 16 || height < 16 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("video size must be even and at least 16x16: " + width + "x" + height);
        }
        if (framesPerSecond < 1 || framesPerSecond > 30) {
            throw new IllegalArgumentException("frames per second must be 1-30: " + framesPerSecond);
        }
        if (durationMillis < TIMESCALE / framesPerSecond) {
            throw new IllegalArgumentException("duration shorter than one frame: " + durationMillis + " ms");
        }
    }

    /**
     * @param modelName {@code model_name}
     * @param mode {@code std}, {@code pro} or {@code 4k}
     * @param aspectRatio {@code W:H}, e.g. {@code 16:9}; unparseable → 16:9
     * @param duration the result {@code duration} in seconds, e.g. {@code "5.1"}
     * @param scaleDivisor each side of Kling's resolution is divided by this (1 = full size)
     * @param framesPerSecond frames per second
     * @return the format of the task's video
     */
    public static VideoFormat of(String modelName, String mode, String aspectRatio, String duration, int scaleDivisor,
            int framesPerSecond) {
        int shortSide = shortSide(modelName, mode);
        double ratio = AspectRatio.parse(aspectRatio);
        int longSide = (int) Math.round(shortSide * Math.max(ratio, 1 / ratio));
        int width = ratio >= 1 ? longSide : shortSide;
        int height = ratio >= 1 ? shortSide : longSide;
        long millis = new BigDecimal(duration).movePointRight(3).longValueExact();
        return new VideoFormat(scaled(width, scaleDivisor), scaled(height, scaleDivisor), framesPerSecond, millis);
    }

    /** @return Kling's short side in pixels for this model and mode (§14) */
    static int shortSide(String modelName, String mode) {
        if ("4k".equals(mode)) {
            return 2160;
        }
        if (ALWAYS_720P.contains(modelName)) {
            return 720;
        }
        return ALWAYS_1080P.contains(modelName) || "pro".equals(mode) ? 1080 : 720;
    }

    /** @return how many frames the movie has */
    public int frames() {
        return Math.max(1, (int) (durationMillis * framesPerSecond / TIMESCALE));
    }

    /** @return how long frame {@code frame} is shown, in milliseconds (the last one fills up to the duration) */
    long frameMillis(int frame) {
        long step = TIMESCALE / framesPerSecond;
        return frame < frames() - 1 ? step : durationMillis - step * (frames() - 1);
    }

    /** @return when frame {@code frame} starts, in milliseconds */
    long frameStartMillis(int frame) {
        return (long) frame * (TIMESCALE / framesPerSecond);
    }

    private static int scaled(int side, int divisor) {
        return Math.max(16, (int) Math.round(side / (2.0 * divisor)) * 2);
    }
}
