package io.klingrelay.status.stream;

import io.klingrelay.common.json.EventJson;
import io.klingrelay.status.model.EventKind;
import io.klingrelay.status.model.EventReader;
import io.klingrelay.status.model.RequestEvent;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads one topic's records as JSON trees into {@link RequestEvent}s keyed by
 * {@code <accountId>/<requestId>}. A record that is not JSON, or names no request and account,
 * is skipped with a WARN: the status service is a reader and never blocks the pipeline.
 */
final class EventParser implements Processor<String, byte[], String, RequestEvent> {

    private static final Logger log = LoggerFactory.getLogger(EventParser.class);

    private final EventKind kind;
    private @org.jspecify.annotations.Nullable ProcessorContext<String, RequestEvent> context;

    EventParser(EventKind kind) {
        this.kind = kind;
    }

    @Override
    public void init(ProcessorContext<String, RequestEvent> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        try {
            JsonNode payload = EventJson.mapper().readTree(record.value());
            EventReader.read(kind, payload, Instant.ofEpochMilli(record.timestamp())).ifPresentOrElse(
                    event -> java.util.Objects.requireNonNull(context).forward(record.withKey(event.requestKey())
                            .withValue(event)),
                    () -> log.warn("skipped a record on {} without requestId or accountId", kind.topic()));
        } catch (JacksonException e) {
            log.warn("skipped a record on {} that is not JSON: {}", kind.topic(), e.getOriginalMessage());
        }
    }
}
