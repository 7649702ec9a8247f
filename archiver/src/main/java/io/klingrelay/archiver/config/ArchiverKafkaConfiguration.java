package io.klingrelay.archiver.config;

import static io.klingrelay.coordination.trace.RequestTraces.registryOrNoop;

import io.klingrelay.archiver.archive.ArchiveService;
import io.klingrelay.archiver.archive.GiveUpRecoverer;
import io.klingrelay.archiver.archive.OutcomePublisher;
import io.klingrelay.archiver.archive.RedeliverLaterException;
import io.klingrelay.common.event.TaskCompleted;
import io.klingrelay.common.kafka.Topics;
import io.klingrelay.coordination.publish.EventProducers;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import org.springframework.util.backoff.BackOff;
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
 *   <li>Ack mode {@code RECORD}: the offset is committed after each record, i.e. after the
 *       listener has waited for the outcome's acknowledgement.</li>
 *   <li>A task that cannot be archived now but may be later ({@link RedeliverLaterException}:
 *       the object store stayed down for an asset's whole retry budget, or a download kept
 *       failing while its URL is still valid) decides no outcome: the record is redelivered with
 *       the {@code klingrelay.archiver.store-outage} back-off until it goes through (given up
 *       after {@code give-up-after}).</li>
 *   <li>Anything else the listener throws (Kafka not acknowledging the outcome) is retried by
 *       re-delivering the record (already archived assets are skipped), 4 times with
 *       exponential backoff.</li>
 *   <li>A record given up on ends its request with {@code requests.failed} and is then
 *       dead-lettered ({@link GiveUpRecoverer}); the container adds the delivery-attempt header
 *       the reason quotes.</li>
 *   <li>{@code max.poll.interval.ms} must cover the longest a task can take, or the consumer
 *       leaves the group mid-task: {@value ArchiveService#MAX_ASSETS_PER_TASK} assets × {@code
 *       klingrelay.archiver.download-deadline}, plus the longest redelivery back-off and a margin
 *       for the outcome's send ({@link #requiredMaxPollInterval}); checked at start-up.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class ArchiverKafkaConfiguration {

    /** Time allowed besides the downloads: the outcome's send (up to 30 s), presigning, S3 copies. */
    static final Duration POLL_MARGIN = Duration.ofMinutes(2);

    private static final Logger log = LoggerFactory.getLogger(ArchiverKafkaConfiguration.class);
    private static final long KAFKA_DEFAULT_MAX_POLL_INTERVAL_MS = 300_000;

    /**
     * @param kafka      Boot's Kafka properties
     * @param mapper     Boot's JSON mapper
     * @param properties the archiver's properties (download deadline, redelivery back-off)
     * @return the consumer factory for {@link TaskCompleted} records
     * @throws IllegalStateException when {@code max.poll.interval.ms} is below {@link #requiredMaxPollInterval}
     */
    @Bean
    public ConsumerFactory<String, TaskCompleted> archiverConsumerFactory(KafkaProperties kafka, JsonMapper mapper,
            ArchiverProperties properties) {
        Map<String, Object> config = new LinkedHashMap<>(kafka.buildConsumerProperties());
        config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        checkMaxPollInterval(config, properties);
        JacksonJsonDeserializer<TaskCompleted> json = new JacksonJsonDeserializer<>(TaskCompleted.class, mapper, false);
        return new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(),
                new ErrorHandlingDeserializer<>(json));
    }

    /**
     * @param properties the archiver's properties
     * @return the longest one task can hold its partition between two polls:
     *         {@value ArchiveService#MAX_ASSETS_PER_TASK} × {@code download-deadline} +
     *         {@code store-outage.max-delay} (the back-off slept before a redelivery) + {@link #POLL_MARGIN}
     */
    static Duration requiredMaxPollInterval(ArchiverProperties properties) {
        return properties.downloadDeadline().multipliedBy(ArchiveService.MAX_ASSETS_PER_TASK)
                .plus(properties.storeOutage().maxDelay()).plus(POLL_MARGIN);
    }

    /**
     * @param config     the consumer configuration
     * @param properties the archiver's properties
     * @throws IllegalStateException naming both settings when {@code max.poll.interval.ms} is too short
     */
    static void checkMaxPollInterval(Map<String, Object> config, ArchiverProperties properties) {
        Object configured = config.get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG);
        long maxPollInterval = configured == null ? KAFKA_DEFAULT_MAX_POLL_INTERVAL_MS
                : Long.parseLong(String.valueOf(configured).trim());
        Duration required = requiredMaxPollInterval(properties);
        if (maxPollInterval < required.toMillis()) {
            throw new IllegalStateException("spring.kafka.consumer.properties.max.poll.interval.ms is "
                    + maxPollInterval + " ms, but one task may take " + required.toMillis() + " ms between two polls ("
                    + ArchiveService.MAX_ASSETS_PER_TASK + " assets x klingrelay.archiver.download-deadline "
                    + properties.downloadDeadline() + " + klingrelay.archiver.store-outage.max-delay "
                    + properties.storeOutage().maxDelay() + " + " + POLL_MARGIN + "): raise max.poll.interval.ms or "
                    + "lower the download deadline");
        }
        log.debug("max.poll.interval.ms {} covers the longest task ({} ms)", maxPollInterval, required.toMillis());
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
     * @param template       the template
     * @param properties     the archiver's properties ({@code store-outage})
     * @param archiveService builds the outcome of a task given up on
     * @param publisher      publishes it
     * @return the error handler: redelivers a task that should be archived later
     *         ({@link RedeliverLaterException}) with the store-outage back-off, anything else 4
     *         times; then ends the request with {@code requests.failed} and dead-letters the
     *         record to {@code <topic>.dlt} (same partition choice as the key)
     */
    @Bean
    public DefaultErrorHandler archiverErrorHandler(KafkaTemplate<String, Object> template,
            ArchiverProperties properties, ArchiveService archiveService, OutcomePublisher publisher) {
        ArchiverProperties.StoreOutage outage = properties.storeOutage();
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(template,
                (record, error) -> new TopicPartition(Topics.dlt(record.topic()), -1));
        ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(4);
        backOff.setInitialInterval(Duration.ofSeconds(1).toMillis());
        backOff.setMultiplier(2.0);
        backOff.setMaxInterval(Duration.ofSeconds(10).toMillis());
        DefaultErrorHandler handler = new DefaultErrorHandler(
                new GiveUpRecoverer(archiveService, publisher, deadLetters, outage.giveUpAfter()), backOff);
        handler.setBackOffFunction((record, error) -> isRedeliverLater(error) ? redeliveryBackOff(outage) : null);
        return handler;
    }

    /** @return whether {@code error} or one of its causes is a {@link RedeliverLaterException} */
    static boolean isRedeliverLater(@Nullable Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof RedeliverLaterException) {
                return true;
            }
        }
        return false;
    }

    private static BackOff redeliveryBackOff(ArchiverProperties.StoreOutage outage) {
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
     * @param kafka           Boot's Kafka properties ({@code spring.kafka.listener.observation-enabled}:
     *                        each record is then a span continuing the trace of its {@code traceparent} header)
     * @param observations    Boot's observation registry
     * @return the listener container factory
     */
    @Bean
    public ConcurrentKafkaListenerContainerFactory<String, TaskCompleted> kafkaListenerContainerFactory(
            ConsumerFactory<String, TaskCompleted> consumerFactory, DefaultErrorHandler errorHandler,
            ArchiverProperties properties, KafkaProperties kafka, ObjectProvider<ObservationRegistry> observations) {
        ConcurrentKafkaListenerContainerFactory<String, TaskCompleted> factory =
                new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(consumerFactory);
        factory.setConcurrency(properties.concurrency());
        factory.setCommonErrorHandler(errorHandler);
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.RECORD);
        factory.getContainerProperties().setDeliveryAttemptHeader(true); // quoted by GiveUpRecoverer
        if (kafka.getListener().isObservationEnabled()) {
            factory.getContainerProperties().setObservationEnabled(true);
            factory.getContainerProperties().setObservationRegistry(registryOrNoop(observations));
        }
        return factory;
    }
}
