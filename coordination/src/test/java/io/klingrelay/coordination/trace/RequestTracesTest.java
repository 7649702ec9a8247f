package io.klingrelay.coordination.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link RequestTraces} over the real OpenTelemetry bridge, with the spans kept in memory. */
class RequestTracesTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_SPAN_ID = "00f067aa0ba902b7";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01";

    private final List<SpanData> finished = new CopyOnWriteArrayList<>();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new InMemory(finished))).build();
    private final ObservationRegistry registry = ObservationRegistry.create();
    private final RequestTraces traces = traces(provider, registry);

    @AfterEach
    void closeProvider() {
        provider.close();
    }

    @Test
    void continuesAStoredTraceparentAsTheParentOfANewTaggedSpan() {
        // WHEN
        traces.continueTrace("klingrelay.dispatch", "req-1", TRACEPARENT, () -> { });

        // THEN
        assertThat(finished).singleElement().satisfies(span -> {
            assertThat(span.getName()).isEqualTo("klingrelay.dispatch");
            assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
            assertThat(span.getParentSpanId()).isEqualTo(PARENT_SPAN_ID);
            assertThat(span.getAttributes().asMap().toString()).contains(RequestTraces.REQUEST_ID_TAG + "=req-1");
        });
    }

    @Test
    void writesTheCurrentSpansTraceparentForTheNextHopToContinue() {
        // WHEN
        String written = traces.continueTrace("klingrelay.requests process", "req-1", TRACEPARENT,
                traces::currentTraceparent);

        // THEN the stored value names this trace and the span that was current, which a later hop continues
        SpanData intake = finished.getFirst();
        assertThat(written).isEqualTo("00-" + TRACE_ID + "-" + intake.getSpanId() + "-01");
        traces.continueTrace("klingrelay.callback", "req-1", written, () -> { });
        assertThat(finished.getLast().getTraceId()).isEqualTo(TRACE_ID);
        assertThat(finished.getLast().getParentSpanId()).isEqualTo(intake.getSpanId());
    }

    @Test
    void nestsObservedWorkAndObservationsOfLibrariesInTheContinuedSpan() {
        // WHEN
        traces.continueTrace("klingrelay.dispatch", "req-1", TRACEPARENT, () -> {
            traces.observe("klingrelay.s3.upload", "req-1", () -> "stored");
            Observation.createNotStarted("kling.http", registry).observe(() -> { });
        });

        // THEN
        SpanData dispatch = finished.getLast();
        assertThat(finished).hasSize(3).allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(TRACE_ID));
        assertThat(finished.subList(0, 2)).allSatisfy(span ->
                assertThat(span.getParentSpanId()).isEqualTo(dispatch.getSpanId()));
    }

    @Test
    void writesNothingOutsideASpanOrWithTracingOff() {
        assertThat(traces.currentTraceparent()).isNull();
        assertThat(RequestTraces.untraced().continueTrace("klingrelay.dispatch", "req-1", TRACEPARENT,
                () -> RequestTraces.untraced().currentTraceparent())).isNull();
        assertThat(finished).isEmpty();
    }

    /** Wires the bridge the way Boot's tracing auto-configuration does (W3C propagation). */
    private static RequestTraces traces(SdkTracerProvider provider, ObservationRegistry registry) {
        ContextPropagators propagators = ContextPropagators.create(W3CTraceContextPropagator.getInstance());
        io.opentelemetry.api.trace.Tracer otel = provider.get("test");
        OtelCurrentTraceContext current = new OtelCurrentTraceContext();
        OtelTracer tracer = new OtelTracer(otel, current, event -> { },
                new OtelBaggageManager(current, List.of(), List.of()));
        OtelPropagator propagator = new OtelPropagator(propagators, otel);
        registry.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer)));
        return new RequestTraces(registry, tracer, propagator);
    }

    private record InMemory(List<SpanData> spans) implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            spans.addAll(batch);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
