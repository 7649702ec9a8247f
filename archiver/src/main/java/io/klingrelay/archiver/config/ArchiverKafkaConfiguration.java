package io.klingrelay.archiver.config;

import io.klingrelay.archiver.archive.ObjectStoreUnavailableException;
import io.klingrelay.common.event.TaskCompleted;
import io.klingrelay.common.kafka.Topics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.jspecify.annotations.Nullable;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
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
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
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
 *   <li>Ack mode {@code RECORD}: the offset is committed after each record, i.e. after the
 *       listener has waited for the outcome's acknowledgement.</li>
 *   <li>An object store that stayed down for a task's whole per-asset budget
 *       ({@link ObjectStoreUnavailableException}) decides no outcome: the record is redelivered
 *       with the {@code klingrelay.archiver.store-outage} back-off until the store is back
 *       (dead-lettered only after {@code give-up-after}).</li>
 *   <li>Anything else the listener throws (Kafka not acknowledging the outcome) is retried by
 *       re-delivering the record (already archived assets are skipped), 4 times with
 *       exponential backoff, then dead-lettered.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class ArchiverKafkaConfiguration {

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
     */
    @Bean
    public ProducerFactory<String, Object> archiverProducerFactory(KafkaProperties kafka, JsonMapper mapper) {
        Map<String, Object> config = new LinkedHashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        Map<Class<?>, Serializer<?>> byType = new LinkedHashMap<>();
        byType.put(byte[].class, new ByteArraySerializer());
        byType.put(Object.class, new JacksonJsonSerializer<>(mapper).noTypeInfo());
        return new DefaultKafkaProducerFactory<>(config, new StringSerializer(),
                new DelegatingByTypeSerializer(byType, true));
    }

    /**
     * @param producerFactory the producer factory
     * @return the template outcomes and dead letters are sent with
     */
    @Bean
    public KafkaTemplate<String, Object> kafkaTemplate(ProducerFactory<String, Object> producerFactory) {
        return new KafkaTemplate<>(producerFactory);
    }

    /**
     * @param template   the template
     * @param properties the archiver's properties ({@code store-outage})
     * @return the error handler: redelivers a task that met an object-store outage with the
     *         store-outage back-off, anything else 4 times; then dead-letters to
     *         {@code <topic>.dlt} (same partition choice as the key)
     */
    @Bean
    public DefaultErrorHandler archiverErrorHandler(KafkaTemplate<String, Object> template,
            ArchiverProperties properties) {
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(template,
                (record, error) -> new TopicPartition(Topics.dlt(record.topic()), -1));
        ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(4);
        backOff.setInitialInterval(Duration.ofSeconds(1).toMillis());
        backOff.setMultiplier(2.0);
        backOff.setMaxInterval(Duration.ofSeconds(10).toMillis());
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
        ArchiverProperties.StoreOutage outage = properties.storeOutage();
        handler.setBackOffFunction((record, error) -> isStoreOutage(error) ? storeOutageBackOff(outage) : null);
        return handler;
    }

    /** @return whether {@code error} or one of its causes is {@link ObjectStoreUnavailableException} */
    static boolean isStoreOutage(@Nullable Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ObjectStoreUnavailableException) {
                return true;
            }
        }
        return false;
    }

    private static BackOff storeOutageBackOff(ArchiverProperties.StoreOutage outage) {
        ExponentialBackOff backOff = new ExponentialBackOff(outage.initialDelay().toMillis(), 2.0);
        backOff.setMaxInterval(outage.maxDelay().toMillis());
        backOff.setMaxElapsedTime(outage.giveUpAfter().toMillis());
        return backOff;
    }

    /**
     * Named like Boot's factory so {@code @KafkaListener} uses it and Boot's backs off.
     *
     * @param consumerFactory the consumer factory
     * @param errorHandler    the error handler
     * @param properties      the archiver's properties (concurrency)
     * @return the listener container factory
     */
    @Bean
    public ConcurrentKafkaListenerContainerFactory<String, TaskCompleted> kafkaListenerContainerFactory(
            ConsumerFactory<String, TaskCompleted> consumerFactory, DefaultErrorHandler errorHandler,
            ArchiverProperties properties) {
        ConcurrentKafkaListenerContainerFactory<String, TaskCompleted> factory =
                new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(consumerFactory);
        factory.setConcurrency(properties.concurrency());
        factory.setCommonErrorHandler(errorHandler);
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.RECORD);
        return factory;
    }
}
