package io.klingrelay.common.json;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON configuration for events where no Spring context builds the mapper (the launcher,
 * the campaign CLI, tests). Services inject Boot's {@code JsonMapper}, whose defaults match:
 * camelCase, ISO-8601 instants, unknown properties ignored.
 */
public final class EventJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private EventJson() {
    }

    /** @return the shared, thread-safe mapper */
    public static JsonMapper mapper() {
        return MAPPER;
    }
}
