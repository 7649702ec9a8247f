package io.klingrelay.webhookreceiver.metrics;

import io.klingrelay.coordination.metrics.MeterSpec;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Every meter of the webhook receiver (STYLE.md 15). Tag values come from closed sets (never a
 * request id, task id or URL). Only this catalogue calls {@link MeterRegistry}.
 */
public enum WebhookReceiverMetrics {

    /** Callbacks received, tagged with their {@code outcome} (see {@code CallbackOutcome#tag()}). */
    CALLBACKS_RECEIVED(MeterSpec.counter("klingrelay.webhook-receiver.callbacks.received",
            "Kling callbacks received, by outcome", "outcome"));

    private final MeterSpec spec;

    WebhookReceiverMetrics(MeterSpec spec) {
        this.spec = spec;
    }

    /** @return the meter's name, description, type and tag keys */
    public MeterSpec spec() {
        return spec;
    }

    /**
     * Adds one to this counter.
     *
     * @param registry  the registry
     * @param tagValues one value per tag key, in order
     * @throws IllegalArgumentException when the number of values differs from the tag keys
     */
    public void increment(MeterRegistry registry, String... tagValues) {
        spec.increment(registry, tagValues);
    }
}
