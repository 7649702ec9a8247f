package io.klingrelay.common.contract;

import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.event.KlingRelayEvent;
import io.klingrelay.common.json.EventJson;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * Generates the JSON Schema (draft 7, the dialect AsyncAPI 3.0 tools read) of every event record with
 * victools {@code jsonschema-generator} and its Jackson module, so the schema follows the JSON
 * {@link EventJson#mapper()} writes: camelCase component names, enums as their {@code @JsonValue}
 * wire names, instants as ISO-8601 {@code date-time} strings.
 *
 * <p>Required: a component not marked {@code @Nullable}; the records are {@code @JsonInclude(NON_NULL)},
 * so an optional field is absent, never {@code null}. Unknown properties stay allowed: the records
 * ignore them, and adding an optional field is the compatible way to evolve. Descriptions come from
 * the records' Javadoc ({@link RecordJavadoc}).
 *
 * <p>{@link GenerationRequest} is the exception: it is written by upstream teams and deliberately
 * lenient in Java (every component nullable, so a malformed request is answered, not lost). Its
 * schema states what the submitter accepts: {@code requestId}, {@code accountId} and
 * {@code product} required, {@code schemaVersion} optional (absent means 1).
 */
final class EventSchemas {

    /** Every event type, in topic-table order: the permitted subtypes of {@link KlingRelayEvent}. */
    static final List<Class<?>> EVENT_TYPES = Arrays.asList(KlingRelayEvent.class.getPermittedSubclasses());

    private static final Map<Class<?>, Set<String>> REQUIRED_BY_VALIDATION = Map.of(
            GenerationRequest.class, Set.of("requestId", "accountId", "product"));
    private static final Map<Class<?>, Set<String>> OPTIONAL_ON_INPUT = Map.of(
            GenerationRequest.class, Set.of("schemaVersion"));

    private final SchemaGenerator generator;
    private final Path sourceRoot;

    /** @param sourceRoot {@code common/src/main/java}, for the descriptions */
    EventSchemas(Path sourceRoot) {
        this.sourceRoot = sourceRoot;
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(EventJson.mapper(),
                SchemaVersion.DRAFT_7, OptionPreset.PLAIN_JSON)
                .with(new JacksonModule(JacksonOption.FLATTENED_ENUMS_FROM_JSONVALUE))
                .with(Option.SCHEMA_VERSION_INDICATOR, Option.STANDARD_FORMATS, Option.FLATTENED_ENUMS);
        config.forTypesInGeneral().withPropertySorter((a, b) -> 0)
                .withTitleResolver(scope -> isEvent(scope.getType().getErasedType())
                        ? scope.getType().getErasedType().getSimpleName() : null)
                .withDescriptionResolver(scope -> describeType(scope.getType().getErasedType()));
        config.forFields().withRequiredCheck(this::isRequired)
                .withDescriptionResolver(this::describeField);
        this.generator = new SchemaGenerator(config.build());
    }

    /**
     * @param eventType one of {@link #EVENT_TYPES}
     * @return its schema
     */
    ObjectNode generate(Class<?> eventType) {
        return generator.generateSchema(eventType);
    }

    /** @return the schema's file name, which is also the record's {@code klingrelay_event_type} header */
    static String fileName(Class<?> eventType) {
        return eventType.getSimpleName() + ".json";
    }

    private boolean isRequired(FieldScope field) {
        Class<?> owner = field.getDeclaringType().getErasedType();
        String name = field.getDeclaredName();
        if (REQUIRED_BY_VALIDATION.getOrDefault(owner, Set.of()).contains(name)) {
            return true;
        }
        return !OPTIONAL_ON_INPUT.getOrDefault(owner, Set.of()).contains(name) && !isNullable(field);
    }

    private static boolean isNullable(FieldScope field) {
        return field.getRawMember().getAnnotatedType().isAnnotationPresent(Nullable.class);
    }

    private @Nullable String describeField(FieldScope field) {
        Class<?> owner = field.getDeclaringType().getErasedType();
        return isRecordInCommon(owner) && !field.isFakeContainerItemScope() ? javadoc(owner).param(field.getDeclaredName()).orElse(null) : null;
    }

    private @Nullable String describeType(Class<?> type) {
        if (!isRecordInCommon(type)) {
            return null;
        }
        String summary = javadoc(type).summary();
        return summary.isEmpty() ? null : summary;
    }

    private RecordJavadoc javadoc(Class<?> type) {
        return RecordJavadoc.of(type, sourceRoot);
    }

    private static boolean isEvent(Class<?> type) {
        return KlingRelayEvent.class.isAssignableFrom(type);
    }

    private static boolean isRecordInCommon(Class<?> type) {
        return type.isRecord() && type.getPackageName().startsWith("io.klingrelay.common.");
    }
}
