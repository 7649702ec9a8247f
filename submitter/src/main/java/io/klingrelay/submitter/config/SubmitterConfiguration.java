package io.klingrelay.submitter.config;

import io.klingrelay.common.kafka.Topics;
import io.klingrelay.coordination.redis.CoordinationConfiguration;
import io.klingrelay.klingclient.api.KlingClient;
import io.klingrelay.klingclient.config.CallbackProperties;
import io.klingrelay.klingclient.config.KlingProperties;
import io.klingrelay.submitter.intake.RequestValidator;
import io.klingrelay.submitter.publish.EventPublisher;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import tools.jackson.databind.json.JsonMapper;

/** Wires the submitter: Kling client, validator, publishers, topics and the shared Redis state. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({KlingProperties.class, CallbackProperties.class})
@Import(CoordinationConfiguration.class)
public class SubmitterConfiguration {

    private static final int PARTITIONS = 3;

    @Bean
    KlingClient klingClient(KlingProperties properties, JsonMapper jsonMapper) {
        return KlingClient.create(properties, jsonMapper);
    }

    @Bean
    RequestValidator requestValidator(KlingProperties properties) {
        return new RequestValidator(properties);
    }

    @Bean
    EventPublisher eventPublisher(KafkaProperties kafka, JsonMapper jsonMapper) {
        Map<String, Object> producer = durableProducer(kafka);
        DefaultKafkaProducerFactory<String, Object> eventFactory = new DefaultKafkaProducerFactory<>(producer,
                new StringSerializer(), new JacksonJsonSerializer<Object>(jsonMapper).noTypeInfo());
        DefaultKafkaProducerFactory<String, byte[]> dltFactory = new DefaultKafkaProducerFactory<>(producer,
                new StringSerializer(), new ByteArraySerializer());
        return new EventPublisher(new KafkaTemplate<>(eventFactory), new KafkaTemplate<>(dltFactory),
                Duration.ofSeconds(30));
    }

    private static Map<String, Object> durableProducer(KafkaProperties kafka) {
        Map<String, Object> producer = new HashMap<>(kafka.buildProducerProperties());
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        return producer;
    }

    @Bean
    KafkaAdmin.NewTopics submitterTopics() {
        return new KafkaAdmin.NewTopics(
                topic(Topics.REQUESTS), topic(Topics.dlt(Topics.REQUESTS)), topic(Topics.TASKS_SUBMITTED),
                topic(Topics.REQUESTS_FAILED));
    }

    private static NewTopic topic(String name) {
        return TopicBuilder.name(name).partitions(PARTITIONS).build();
    }
}
