package io.klingrelay.common.contract;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.klingrelay.common.json.EventJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * The committed event schemas ({@code docs/schemas/<EventType>.json}) loaded into the networknt
 * validator, for tests that check real payloads against the contract, e.g. {@code PipelineIT}.
 * Format assertions are on, so an instant that is not ISO-8601 {@code date-time} fails.
 */
public final class CommittedSchemas {

    /** System property naming the schema directory; default {@code ../docs/schemas} from the module. */
    public static final String DIRECTORY_PROPERTY = "klingrelay.schemas.dir";

    private final Map<String, Schema> byEventType;

    private CommittedSchemas(Map<String, Schema> byEventType) {
        this.byEventType = byEventType;
    }

    /** @return the repository's {@code docs/schemas} directory, seen from a module's directory */
    public static Path defaultDirectory() {
        return Path.of(System.getProperty(DIRECTORY_PROPERTY, "../docs/schemas")).toAbsolutePath().normalize();
    }

    /**
     * @param directory a directory of {@code <EventType>.json} schemas (its subdirectories are ignored)
     * @return the schemas, by event type (the {@code klingrelay_event_type} header value)
     * @throws UncheckedIOException when the directory cannot be read
     */
    public static CommittedSchemas load(Path directory) {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
        Map<String, Schema> schemas = new TreeMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                String eventType = file.getFileName().toString().replaceFirst("\\.json$", "");
                schemas.put(eventType, registry.getSchema(EventJson.mapper().readTree(Files.readString(file))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schemas in " + directory, e);
        }
        return new CommittedSchemas(schemas);
    }

    /** @return the event types that have a schema */
    public Set<String> eventTypes() {
        return byEventType.keySet();
    }

    /**
     * @param eventType the event's simple record name, e.g. {@code AssetsArchived}
     * @param json      the record value as written on the topic
     * @return one message per violation (instance location and reason); empty when the payload is valid
     * @throws IllegalArgumentException when no schema exists for {@code eventType}
     */
    public List<String> violations(String eventType, String json) {
        Schema schema = byEventType.get(eventType);
        if (schema == null) {
            throw new IllegalArgumentException("no committed schema for event type " + eventType + " in " + byEventType.keySet());
        }
        JsonNode payload = EventJson.mapper().readTree(json);
        return schema.validate(payload, context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)))
                .stream().map(error -> eventType + " " + error).toList();
    }
}
