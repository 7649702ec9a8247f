package io.klingrelay.archiver.archive;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Every meter of the archiver (STYLE.md 15). Only this enum calls {@link MeterRegistry}; tag
 * values come from {@link #ARCHIVED}, {@link #SKIPPED} and {@link #FAILED}, never ids or URLs.
 */
public enum ArchiverMetrics {
    /** Assets handled, tag {@code outcome}: archived, skipped (already in the bucket), failed. */
    ASSETS("klingrelay.archiver.assets", "Assets handled, by outcome", Type.COUNTER),
    /** Bytes streamed into object storage. */
    BYTES("klingrelay.archiver.bytes", "Bytes streamed into object storage", Type.COUNTER),
    /** Time to archive one task, tag {@code outcome}: archived, failed. */
    DURATION("klingrelay.archiver.duration", "Time to archive one task's assets, by outcome", Type.TIMER);

    /** Outcome tag value: stored now. */
    public static final String ARCHIVED = "archived";
    /** Outcome tag value: found already archived, not downloaded. */
    public static final String SKIPPED = "skipped";
    /** Outcome tag value: ended with {@code requests.failed}. */
    public static final String FAILED = "failed";
    /** The one tag key used. */
    public static final String OUTCOME = "outcome";

    private final String meterName;
    private final String description;
    private final Type type;

    ArchiverMetrics(String meterName, String description, Type type) {
        this.meterName = meterName;
        this.description = description;
        this.type = type;
    }

    /** @return the meter name */
    public String meterName() {
        return meterName;
    }

    /** @return the meter type */
    public Type type() {
        return type;
    }

    /**
     * Counts one asset.
     *
     * @param registry the registry
     * @param outcome  {@link #ARCHIVED}, {@link #SKIPPED} or {@link #FAILED}
     */
    public static void countAsset(MeterRegistry registry, String outcome) {
        Counter.builder(ASSETS.meterName).description(ASSETS.description).tag(OUTCOME, outcome)
                .register(registry).increment();
    }

    /**
     * @param registry the registry
     * @param bytes    bytes stored
     */
    public static void countBytes(MeterRegistry registry, long bytes) {
        Counter.builder(BYTES.meterName).description(BYTES.description).baseUnit("bytes")
                .register(registry).increment(bytes);
    }

    /**
     * @param registry the registry
     * @param outcome  {@link #ARCHIVED} or {@link #FAILED}
     * @param duration how long the task took
     */
    public static void recordDuration(MeterRegistry registry, String outcome, Duration duration) {
        Timer.builder(DURATION.meterName).description(DURATION.description).tag(OUTCOME, outcome)
                .register(registry).record(duration);
    }

    /** Meter types. */
    public enum Type {
        COUNTER,
        TIMER
    }
}
