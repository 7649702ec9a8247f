package io.klingrelay.coordination.publish;

import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one producer set-up for events: Boot's {@code spring.kafka.producer.*} properties plus
 * {@code acks=all} and idempotence, string keys, JSON values without type headers (consumers in
 * any language read plain JSON; the {@code klingrelay_event_type} header names the type).
 */
public final class EventProducers {

    private EventProducers() {
    }

    /**
     * @param kafka          Boot's Kafka properties
     * @param jsonMapper     Boot's JSON mapper
     * @param publishTimeout how long a publish may wait for all acknowledgements; also bounds
     *                       {@code max.block.ms} unless that is set explicitly
     * @return a publisher that returns only once Kafka acknowledged every event
     */
    public static KafkaEventPublisher publisher(KafkaProperties kafka, JsonMapper jsonMapper, Duration publishTimeout) {
        DefaultKafkaProducerFactory<String, Object> factory = new DefaultKafkaProducerFactory<>(
                durableConfig(kafka, publishTimeout), new StringSerializer(),
                new JacksonJsonSerializer<Object>(jsonMapper).noTypeInfo());
        return new KafkaEventPublisher(new KafkaTemplate<>(factory), publishTimeout);
    }

    /**
     * {@link #publisher(KafkaProperties, JsonMapper, Duration)} with Kafka observation as
     * {@code spring.kafka.template.observation-enabled} says: each send is then a span, and its
     * record carries the W3C {@code traceparent} header of the current trace.
     *
     * @param kafka          Boot's Kafka properties
     * @param jsonMapper     Boot's JSON mapper
     * @param publishTimeout how long a publish may wait for all acknowledgements
     * @param observations   Boot's observation registry
     * @return a publisher that returns only once Kafka acknowledged every event
     */
    public static KafkaEventPublisher publisher(KafkaProperties kafka, JsonMapper jsonMapper, Duration publishTimeout,
            ObservationRegistry observations) {
        DefaultKafkaProducerFactory<String, Object> factory = new DefaultKafkaProducerFactory<>(
                durableConfig(kafka, publishTimeout), new StringSerializer(),
                new JacksonJsonSerializer<Object>(jsonMapper).noTypeInfo());
        return new KafkaEventPublisher(observed(new KafkaTemplate<>(factory), kafka, observations), publishTimeout);
    }

    /**
     * Turns on the template's observation when {@code spring.kafka.template.observation-enabled} is
     * set (Boot applies it only to the template it builds itself).
     *
     * @param template     a template built by hand
     * @param kafka        Boot's Kafka properties
     * @param observations Boot's observation registry
     * @param <K>          key type
     * @param <V>          value type
     * @return the template
     */
    public static <K, V> KafkaTemplate<K, V> observed(KafkaTemplate<K, V> template, KafkaProperties kafka,
            ObservationRegistry observations) {
        if (kafka.getTemplate().isObservationEnabled()) {
            template.setObservationEnabled(true);
            template.setObservationRegistry(observations);
        }
        return template;
    }

    /**
     * @param kafka          Boot's Kafka properties
     * @param publishTimeout bounds {@code max.block.ms} unless that is set explicitly
     * @return Boot's producer properties plus {@code acks=all}, idempotence and {@code linger.ms=1}
     *         (unless set), for any producer whose records must be durable before the caller goes on
     */
    public static Map<String, Object> durableConfig(KafkaProperties kafka, Duration publishTimeout) {
        Map<String, Object> config = new LinkedHashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 1);
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, publishTimeout.toMillis());
        return config;
    }
}
