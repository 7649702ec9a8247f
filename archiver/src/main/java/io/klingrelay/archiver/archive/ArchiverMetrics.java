package io.klingrelay.archiver.archive;

import io.klingrelay.coordination.metrics.MeterSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * Every meter of the archiver (STYLE.md 15). Only this catalogue calls {@link MeterRegistry}; tag
 * values come from {@link #ARCHIVED}, {@link #SKIPPED} and {@link #FAILED}, never ids or URLs.
 */
public enum ArchiverMetrics {
    /** Assets handled, tag {@code outcome}: archived, skipped (already in the bucket), failed. */
    ASSETS(MeterSpec.counter("klingrelay.archiver.assets", "Assets handled, by outcome", "outcome")),
    /** Bytes streamed into object storage (base unit bytes). */
    BYTES(MeterSpec.counter("klingrelay.archiver.bytes", "Bytes streamed into object storage")),
    /** Time to archive one task, tag {@code outcome}: archived, failed. */
    DURATION(MeterSpec.timer("klingrelay.archiver.duration", "Time to archive one task's assets, by outcome",
            "outcome"));

    /** Outcome tag value: stored now. */
    public static final String ARCHIVED = "archived";
    /** Outcome tag value: found already archived, not downloaded. */
    public static final String SKIPPED = "skipped";
    /** Outcome tag value: ended with {@code requests.failed}. */
    public static final String FAILED = "failed";
    /** The one tag key used. */
    public static final String OUTCOME = "outcome";

    private final MeterSpec spec;

    ArchiverMetrics(MeterSpec spec) {
        this.spec = spec;
    }

    /** @return the meter's name, description, type and tag keys */
    public MeterSpec spec() {
        return spec;
    }

    /** @return the meter name */
    public String meterName() {
        return spec.meterName();
    }

    /**
     * Counts one asset.
     *
     * @param registry the registry
     * @param outcome  {@link #ARCHIVED}, {@link #SKIPPED} or {@link #FAILED}
     */
    public static void countAsset(MeterRegistry registry, String outcome) {
        ASSETS.spec.increment(registry, outcome);
    }

    /**
     * @param registry the registry
     * @param bytes    bytes stored
     */
    public static void countBytes(MeterRegistry registry, long bytes) {
        Counter.builder(BYTES.spec.meterName()).description(BYTES.spec.description()).baseUnit("bytes")
                .register(registry).increment(bytes);
    }

    /**
     * @param registry the registry
     * @param outcome  {@link #ARCHIVED} or {@link #FAILED}
     * @param duration how long the task took
     */
    public static void recordDuration(MeterRegistry registry, String outcome, Duration duration) {
        DURATION.spec.record(registry, duration, outcome);
    }
}
