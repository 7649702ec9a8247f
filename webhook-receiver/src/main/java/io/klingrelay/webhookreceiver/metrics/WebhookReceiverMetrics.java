package io.klingrelay.webhookreceiver.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;

/**
 * Every meter of the webhook receiver (STYLE.md 15): name, description, type and tag keys. Tag
 * values come from closed sets (never a request id, task id or URL). Only this enum calls
 * {@link MeterRegistry}.
 */
public enum WebhookReceiverMetrics {

    /** Callbacks received, tagged with their {@code outcome} (see {@code CallbackOutcome#tag()}). */
    CALLBACKS_RECEIVED("klingrelay.webhook-receiver.callbacks.received", "Kling callbacks received, by outcome",
            Type.COUNTER, List.of("outcome"));

    /** Meter types used here. */
    public enum Type {
        COUNTER
    }

    private final String meterName;
    private final String description;
    private final Type type;
    private final List<String> tagKeys;

    WebhookReceiverMetrics(String meterName, String description, Type type, List<String> tagKeys) {
        this.meterName = meterName;
        this.description = description;
        this.type = type;
        this.tagKeys = tagKeys;
    }

    /** @return the meter name, {@code klingrelay.webhook-receiver.*} */
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
