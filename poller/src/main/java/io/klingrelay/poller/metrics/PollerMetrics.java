package io.klingrelay.poller.metrics;

import io.klingrelay.coordination.metrics.MeterSpec;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Every meter of the poller (STYLE.md 15). Tag values come from closed sets (never a request id,
 * task id or URL). Only this catalogue calls {@link MeterRegistry}.
 */
public enum PollerMetrics {

    /** Task queries made, tagged with their {@code outcome} (see {@code PollOutcome#tag()}). */
    POLLS(MeterSpec.counter("klingrelay.poller.polls", "Kling task queries made for late tasks, by outcome",
            "outcome")),
    /** Sweeps that failed as a whole (e.g. Redis unreachable), tagged with the {@code exception} class. */
    SWEEP_FAILURES(MeterSpec.counter("klingrelay.poller.sweep.failures", "Sweeps that could not list due tasks",
            "exception"));

    private final MeterSpec spec;

    PollerMetrics(MeterSpec spec) {
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
