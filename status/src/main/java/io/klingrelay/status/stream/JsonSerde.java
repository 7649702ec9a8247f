package io.klingrelay.status.stream;

import io.klingrelay.common.json.EventJson;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import tools.jackson.core.JacksonException;

/**
 * A Kafka serde for the read model's records in the state stores, their changelogs and the
 * repartition topics: JSON through the shared Jackson 3 mapper ({@link EventJson#mapper()}),
 * tolerant of unknown fields so a newer instance's state reads in an older one.
 *
 * @param <T> the record type
 */
public final class JsonSerde<T> implements Serde<T> {

    private final Class<T> type;

    /** @param type the record type */
    public JsonSerde(Class<T> type) {
        this.type = type;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : EventJson.mapper().writeValueAsBytes(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(topic, bytes);
    }

    private T read(String topic, byte[] bytes) {
        try {
            return EventJson.mapper().readValue(bytes, type);
        } catch (JacksonException e) {
            throw new SerializationException("not a " + type.getSimpleName() + " on " + topic, e);
        }
    }
}
