package io.klingrelay.coordination.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;

/**
 * One meter of a service's catalogue (STYLE.md 15): name ({@code klingrelay.<module>.<thing>}),
 * description, type and tag keys. Each service lists its meters in one enum whose constants hold a
 * {@code MeterSpec}; tag values come from closed sets, never a request id, task id, object key or URL.
 *
 * @param meterName   the meter name
 * @param description the description shown by metric backends
 * @param type        counter, timer or gauge
 * @param tagKeys     the tag keys, in the order {@link #increment} expects their values
 */
public record MeterSpec(String meterName, String description, Type type, List<String> tagKeys) {

    public MeterSpec {
        tagKeys = List.copyOf(tagKeys);
    }

    /**
     * @param meterName   the meter name
     * @param description the description
     * @param tagKeys     the tag keys
     * @return a counter spec
     */
    public static MeterSpec counter(String meterName, String description, String... tagKeys) {
        return new MeterSpec(meterName, description, Type.COUNTER, List.of(tagKeys));
    }

    /**
     * @param meterName   the meter name
     * @param description the description
     * @param tagKeys     the tag keys
     * @return a gauge spec
     */
    public static MeterSpec gauge(String meterName, String description, String... tagKeys) {
        return new MeterSpec(meterName, description, Type.GAUGE, List.of(tagKeys));
    }

    /**
     * @param meterName   the meter name
     * @param description the description
     * @param tagKeys     the tag keys (none for an untagged timer)
     * @return a timer spec
     */
    public static MeterSpec timer(String meterName, String description, String... tagKeys) {
        return new MeterSpec(meterName, description, Type.TIMER, List.of(tagKeys));
    }

    /**
     * @param tagValues one value per {@link #tagKeys()} entry, in order
     * @return the tags
     * @throws IllegalArgumentException when the number of values differs from the tag keys
     */
    public Tags tags(String... tagValues) {
        if (tagValues.length != tagKeys.size()) {
            throw new IllegalArgumentException(meterName + " takes tags " + tagKeys);
        }
        Tags tags = Tags.empty();
        for (int i = 0; i < tagValues.length; i++) {
            tags = tags.and(tagKeys.get(i), tagValues[i]);
        }
        return tags;
    }

    /**
     * Adds {@code amount} to this counter.
     *
     * @param registry  the registry
     * @param amount    how much to add
     * @param tagValues one value per {@link #tagKeys()} entry, in order
     */
    public void increment(MeterRegistry registry, double amount, String... tagValues) {
        Counter.builder(meterName).description(description).tags(tags(tagValues)).register(registry).increment(amount);
    }

    /**
     * Adds one to this counter.
     *
     * @param registry  the registry
     * @param tagValues one value per {@link #tagKeys()} entry, in order
     */
    public void increment(MeterRegistry registry, String... tagValues) {
        increment(registry, 1, tagValues);
    }

    /**
     * Records one duration on this timer.
     *
     * @param registry  the registry
     * @param duration  how long it took
     * @param tagValues one value per {@link #tagKeys()} entry, in order
     */
    public void record(MeterRegistry registry, Duration duration, String... tagValues) {
        Timer.builder(meterName).description(description).tags(tags(tagValues)).register(registry).record(duration);
    }

    /** Meter kinds. */
    public enum Type {
        COUNTER, TIMER, GAUGE
    }
}
