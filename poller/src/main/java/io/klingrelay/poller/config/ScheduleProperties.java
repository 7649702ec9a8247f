package io.klingrelay.poller.config;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * When the poller looks at a task: {@code klingrelay.poller.schedule.*} (issue 9, "Adaptive schedule").
 * A task's first query is at its expected end: its submission plus the generation time learned for its
 * shape (product, model, mode, duration; a quantile of the last {@code samples} terminal tasks this
 * poller observed, Kling's {@code updated_at − created_at}), plus {@code callback-grace}, and never later
 * than {@code klingrelay.poller.grace} after submission. Nothing learned yet for the shape: the product's
 * figure, else {@code default-video} / {@code default-image}. A task found still running is looked at
 * again after a back-off that doubles from {@code klingrelay.poller.recheck} with the time past its first
 * look, up to {@code backoff-cap}, jittered uniformly over its upper half.
 *
 * @param defaultVideo  expected generation time of a video task when nothing is learned; default 3 min
 * @param defaultImage  expected generation time of an image task when nothing is learned; default 30 s
 * @param callbackGrace added to the expected end, so a healthy callback settles the task first; default 2 s
 * @param backoffCap    the longest wait between two looks at a running task; default 2 min
 * @param quantile      the quantile of the learned times taken as the expected time, 0.5–1; default 0.9
 * @param samples       recent terminal tasks kept per shape, 8–4096; default 64
 * @param minSamples    samples a shape needs before its own figure is used, 1–samples; default 3
 */
@Validated
@ConfigurationProperties("klingrelay.poller.schedule")
public record ScheduleProperties(
        @NotNull @DefaultValue("3m") Duration defaultVideo,
        @NotNull @DefaultValue("30s") Duration defaultImage,
        @NotNull @DefaultValue("2s") Duration callbackGrace,
        @NotNull @DefaultValue("2m") Duration backoffCap,
        @DecimalMin("0.5") @DecimalMax("1.0") @DefaultValue("0.9") double quantile,
        @Min(8) @Max(4096) @DefaultValue("64") int samples,
        @Min(1) @DefaultValue("3") int minSamples) {

    public ScheduleProperties {
        if (minSamples > samples) {
            throw new IllegalArgumentException("klingrelay.poller.schedule.min-samples (" + minSamples
                    + ") must not exceed klingrelay.poller.schedule.samples (" + samples + ")");
        }
        for (Duration value : new Duration[] {defaultVideo, defaultImage, backoffCap}) {
            if (value != null && (value.isNegative() || value.isZero())) {
                throw new IllegalArgumentException("klingrelay.poller.schedule durations must be positive, got "
                        + value);
            }
        }
        if (callbackGrace != null && callbackGrace.isNegative()) {
            throw new IllegalArgumentException("klingrelay.poller.schedule.callback-grace must not be negative");
        }
    }

    /** @return the documented defaults */
    public static ScheduleProperties defaults() {
        return new ScheduleProperties(Duration.ofMinutes(3), Duration.ofSeconds(30), Duration.ofSeconds(2),
                Duration.ofMinutes(2), 0.9, 64, 3);
    }
}
