package io.klingrelay.archiver.config;

import static io.klingrelay.coordination.trace.RequestTraces.registryOrNoop;

import io.klingrelay.common.event.TaskCompleted;
import io.klingrelay.common.kafka.Topics;
import io.klingrelay.coordination.publish.EventProducers;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import org.springframework.util.backoff.ExponentialBackOff;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kafka wiring, built on Boot's {@code spring.kafka.*} properties.
 *
 * <ul>
 *   <li>Values are JSON through Boot's {@link JsonMapper}; the consumer's JSON deserializer sits
 *       inside an {@link ErrorHandlingDeserializer}, so a record that does not deserialize
 *       reaches the error handler, which sends its original bytes to
 *       {@code klingrelay.tasks.completed.dlt} at once (deserialization errors are not
 *       retryable) and never loops.</li>
 *   <li>The listener only parks tasks in Redis (or publishes the outcome of a task with nothing
 *       to archive), so a poll's records are handled in milliseconds; ack mode {@code BATCH} commits
 *       their offsets once all were handled. Downloads run on the archive workers and never hold a
 *       partition, so {@code max.poll.interval.ms} needs no sizing for them.</li>
 *   <li>A record the listener cannot handle (Redis down, Kafka not acknowledging an outcome) is
 *       redelivered with exponential back-off from 1 s up to {@code store-outage.max-delay}, for as
 *       long as it takes: a completion is never dropped for our own outage.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class ArchiverKafkaConfiguration {

    /** How long an outcome publish waits for Kafka's acknowledgement; also bounds {@code max.block.ms}. */
    static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(30);

    /**
     * @param kafka  Boot's Kafka properties
     * @param mapper Boot's JSON mapper
     * @return the consumer factory for {@link TaskCompleted} records
     */
    @Bean
    public ConsumerFactory<String, TaskCompleted> archiverConsumerFactory(KafkaProperties kafka, JsonMapper mapper) {
        Map<String, Object> config = new LinkedHashMap<>(kafka.buildConsumerProperties());
        config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        JacksonJsonDeserializer<TaskCompleted> json = new JacksonJsonDeserializer<>(TaskCompleted.class, mapper, false);
        return new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(),
                new ErrorHandlingDeserializer<>(json));
    }

    /**
     * @param kafka  Boot's Kafka properties
     * @param mapper Boot's JSON mapper
     * @return a producer factory writing events as JSON and dead-lettered records as their original bytes
     *         ({@link EventProducers#durableConfig}: {@code acks=all}, idempotence, like every service's events)
     */
    @Bean
    public ProducerFactory<String, Object> archiverProducerFactory(KafkaProperties kafka, JsonMapper mapper) {
        Map<String, Object> config = EventProducers.durableConfig(kafka, PUBLISH_TIMEOUT);
        Map<Class<?>, Serializer<?>> byType = new LinkedHashMap<>();
        byType.put(byte[].class, new ByteArraySerializer());
        byType.put(Object.class, new JacksonJsonSerializer<>(mapper).noTypeInfo());
        return new DefaultKafkaProducerFactory<>(config, new StringSerializer(),
                new DelegatingByTypeSerializer(byType, true));
    }

    /**
     * @param producerFactory the producer factory
     * @param kafka           Boot's Kafka properties ({@code spring.kafka.template.observation-enabled})
     * @param observations    Boot's observation registry
     * @return the template outcomes and dead letters are sent with
     */
    @Bean
    public KafkaTemplate<String, Object> kafkaTemplate(ProducerFactory<String, Object> producerFactory,
            KafkaProperties kafka, ObjectProvider<ObservationRegistry> observations) {
        return EventProducers.observed(new KafkaTemplate<>(producerFactory), kafka, registryOrNoop(observations));
    }

    /**
     * @param template   the template
     * @param properties the archiver's properties ({@code store-outage.max-delay})
     * @return the error handler: dead-letters a record that does not deserialize to {@code <topic>.dlt}
     *         (same partition choice as the key) at once; redelivers any other failed record with
     *         back-off until it goes through
     */
    @Bean
    public DefaultErrorHandler archiverErrorHandler(KafkaTemplate<String, Object> template,
            ArchiverProperties properties) {
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(template,
                (record, error) -> new TopicPartition(Topics.dlt(record.topic()), -1));
        ExponentialBackOff backOff = new ExponentialBackOff(Duration.ofSeconds(1).toMillis(), 2.0);
        backOff.setMaxInterval(Math.max(Duration.ofSeconds(1).toMillis(), properties.storeOutage().maxDelay().toMillis()));
        return new DefaultErrorHandler(deadLetters, backOff);
    }

    /**
     * Named like Boot's factory so {@code @KafkaListener} uses it and Boot's backs off.
     *
     * @param consumerFactory the consumer factory
     * @param errorHandler    the error handler
     * @param kafka           Boot's Kafka properties ({@code spring.kafka.listener.observation-enabled}:
     *                        each record is then a span continuing the trace of its {@code traceparent} header)
     * @param observations    Boot's observation registry
     * @return the listener container factory
     */
    @Bean
    public ConcurrentKafkaListenerContainerFactory<String, TaskCompleted> kafkaListenerContainerFactory(
            ConsumerFactory<String, TaskCompleted> consumerFactory, DefaultErrorHandler errorHandler,
            KafkaProperties kafka, ObjectProvider<ObservationRegistry> observations) {
        ConcurrentKafkaListenerContainerFactory<String, TaskCompleted> factory =
                new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(consumerFactory);
        factory.setCommonErrorHandler(errorHandler);
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.BATCH);
        if (kafka.getListener().isObservationEnabled()) {
            factory.getContainerProperties().setObservationEnabled(true);
            factory.getContainerProperties().setObservationRegistry(registryOrNoop(observations));
        }
        return factory;
    }
}
