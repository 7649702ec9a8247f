package io.klingrelay.coordination.trace;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;

/**
 * One request's trace across the gaps where no Kafka header can carry it (README "Traces"): the
 * span that parks a request writes its W3C {@code traceparent} next to the parked request, the
 * task record inherits it, and the dispatch, the callback and the poll each continue that trace in
 * a child span ({@link #continueTrace}). Spans are observations, so Kafka template sends, HTTP
 * client calls and nested {@link #observe} calls made inside become their children.
 *
 * <p>With tracing off (no bridge, {@link Tracer#NOOP}) nothing is captured and the work runs as
 * is. Thread-safe.
 */
public final class RequestTraces {

    /** The W3C trace context header (and the Redis field holding it). */
    public static final String TRACEPARENT = "traceparent";
    /** The span tag naming the request a span works on. */
    public static final String REQUEST_ID_TAG = "klingrelay.request_id";

    private final ObservationRegistry registry;
    private final Tracer tracer;
    private final Propagator propagator;

    /**
     * @param registry   the observation registry (Boot's)
     * @param tracer     the tracer (Boot's; {@link Tracer#NOOP} when tracing is off)
     * @param propagator the propagator writing W3C {@code traceparent} (Boot's)
     */
    public RequestTraces(ObservationRegistry registry, Tracer tracer, Propagator propagator) {
        this.registry = registry;
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /**
     * @param registry Boot's observation registry, if the context has one
     * @return it, or {@link ObservationRegistry#NOOP} in a context without observation (a slice test)
     */
    public static ObservationRegistry registryOrNoop(ObjectProvider<ObservationRegistry> registry) {
        return registry.getIfAvailable(() -> ObservationRegistry.NOOP);
    }

    /** @return traces that record nothing (tests, tracing off) */
    public static RequestTraces untraced() {
        return new RequestTraces(ObservationRegistry.NOOP, Tracer.NOOP, Propagator.NOOP);
    }

    /** @return the W3C {@code traceparent} of the current span, or null when there is none */
    public @Nullable String currentTraceparent() {
        Span span = tracer.currentSpan();
        if (span == null || span.isNoop()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>();
        propagator.inject(span.context(), carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }

    /**
     * Runs work in a new span that continues a stored trace: a child of the span that wrote
     * {@code traceparent}, or the current trace when it is null.
     *
     * @param name        the span name, e.g. {@code klingrelay.dispatch}
     * @param requestId   the request the work is about (tagged)
     * @param traceparent the stored W3C {@code traceparent}, or null
     * @param work        the work
     * @param <T>         its result
     * @return its result
     */
    public <T> T continueTrace(String name, String requestId, @Nullable String traceparent, Supplier<T> work) {
        Map<String, String> carrier = traceparent == null ? Map.of() : Map.of(TRACEPARENT, traceparent);
        return Observation.createNotStarted(name, () -> receiving(carrier), registry)
                .highCardinalityKeyValue(REQUEST_ID_TAG, requestId)
                .observe(work);
    }

    /**
     * {@link #continueTrace(String, String, String, Supplier)} for work without a result.
     *
     * @param name        the span name
     * @param requestId   the request the work is about (tagged)
     * @param traceparent the stored W3C {@code traceparent}, or null
     * @param work        the work
     */
    public void continueTrace(String name, String requestId, @Nullable String traceparent, Runnable work) {
        continueTrace(name, requestId, traceparent, () -> {
            work.run();
            return null;
        });
    }

    /**
     * Runs work in a child span of the current one (an S3 upload, say).
     *
     * @param name      the span name
     * @param requestId the request the work is about (tagged)
     * @param work      the work
     * @param <T>       its result
     * @return its result
     */
    public <T> T observe(String name, String requestId, Supplier<T> work) {
        return Observation.createNotStarted(name, registry).highCardinalityKeyValue(REQUEST_ID_TAG, requestId)
                .observe(work);
    }

    private static ReceiverContext<Map<String, String>> receiving(Map<String, String> carrier) {
        ReceiverContext<Map<String, String>> context = new ReceiverContext<>((map, key) -> map.get(key));
        context.setCarrier(carrier);
        return context;
    }
}
