package io.klingrelay.poller.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;

/**
 * Every meter of the poller (STYLE.md 15): name, description, type and tag keys. Tag
 * values come from closed sets (never a request id, task id or URL). Only this enum calls
 * {@link MeterRegistry}.
 */
public enum PollerMetrics {

    /** Task queries made, tagged with their {@code outcome} (see {@code PollOutcome#tag()}). */
    POLLS("klingrelay.poller.polls", "Kling task queries made for late tasks, by outcome", Type.COUNTER,
            List.of("outcome")),
    /** Sweeps that failed as a whole (e.g. Redis unreachable), tagged with the {@code exception} class. */
    SWEEP_FAILURES("klingrelay.poller.sweep.failures", "Sweeps that could not list due tasks", Type.COUNTER,
            List.of("exception"));

    /** Meter types used here. */
    public enum Type {
        COUNTER
    }

    private final String meterName;
    private final String description;
    private final Type type;
    private final List<String> tagKeys;

    PollerMetrics(String meterName, String description, Type type, List<String> tagKeys) {
        this.meterName = meterName;
        this.description = description;
        this.type = type;
        this.tagKeys = tagKeys;
    }

    /** @return the meter name, {@code klingrelay.poller.*} */
    public String meterName() {
        return meterName;
    }

    /** @return the human description */
    public String description() {
        return description;
    }

    /** @return the meter type */
    public Type type() {
        return type;
    }

    /** @return the tag keys, in the order {@link #increment} expects their values */
    public List<String> tagKeys() {
        return tagKeys;
    }

    /**
     * Adds one to this counter.
     *
     * @param registry  the registry
     * @param tagValues one value per {@link #tagKeys()} entry, in order
     * @throws IllegalArgumentException when the number of values differs from the tag keys
     */
    public void increment(MeterRegistry registry, String... tagValues) {
        if (tagValues.length != tagKeys.size()) {
            throw new IllegalArgumentException(meterName + " takes tags " + tagKeys);
        }
        Tags tags = Tags.empty();
        for (int i = 0; i < tagValues.length; i++) {
            tags = tags.and(tagKeys.get(i), tagValues[i]);
        }
        Counter.builder(meterName).description(description).tags(tags).register(registry).increment();
    }
}
