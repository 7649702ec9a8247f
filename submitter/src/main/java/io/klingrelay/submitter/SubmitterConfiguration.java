package io.klingrelay.submitter;

import static io.klingrelay.coordination.trace.RequestTraces.registryOrNoop;

import io.klingrelay.common.kafka.Topics;
import io.klingrelay.coordination.config.CoordinationConfiguration;
import io.klingrelay.coordination.publish.EventProducers;
import io.klingrelay.coordination.publish.EventPublisher;
import io.klingrelay.coordination.trace.ObservedHttpClient;
import io.klingrelay.klingclient.api.KlingCallMetrics;
import io.klingrelay.klingclient.api.KlingClient;
import io.klingrelay.klingclient.config.CallbackProperties;
import io.klingrelay.klingclient.config.KlingProperties;
import io.klingrelay.klingclient.request.KlingModels;
import io.klingrelay.klingclient.request.RequestValidator;
import io.klingrelay.submitter.admin.AdminTokenFilter;
import io.klingrelay.submitter.config.SubmitterProperties;
import io.klingrelay.submitter.publish.DeadLetterPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Wires the submitter: Kling client, validator, publishers, topics and the shared Redis state. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({KlingProperties.class, CallbackProperties.class, KlingModels.class})
@Import(CoordinationConfiguration.class)
public class SubmitterConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SubmitterConfiguration.class);
    private static final int PARTITIONS = 3;
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);
    /** Kafka's default {@code max.request.size}, bytes. */
    private static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;

    @Bean
    KlingClient klingClient(KlingProperties properties, JsonMapper jsonMapper, MeterRegistry meterRegistry,
            ObjectProvider<ObservationRegistry> observations) {
        ObservationRegistry registry = registryOrNoop(observations);
        return KlingClient.create(properties, jsonMapper, new KlingCallMetrics(meterRegistry),
                http -> new ObservedHttpClient(http, registry));
    }

    /** Models and rules: the configured {@code klingrelay.models} laid over kling-client's documented defaults. */
    @Bean
    RequestValidator requestValidator(KlingProperties properties, KlingModels models) {
        return new RequestValidator(properties, models.overDefaults());
    }

    @Bean
    EventPublisher eventPublisher(KafkaProperties kafka, JsonMapper jsonMapper,
            ObjectProvider<ObservationRegistry> observations) {
        return EventProducers.publisher(kafka, jsonMapper, ACK_TIMEOUT, registryOrNoop(observations));
    }

    /**
     * The dead-letter publisher; it copies an original record only when the copy fits under this
     * producer's {@code max.request.size} ({@code spring.kafka.producer.properties.max.request.size},
     * Kafka's default 1 MiB).
     */
    @Bean
    DeadLetterPublisher deadLetterPublisher(KafkaProperties kafka, ObjectProvider<ObservationRegistry> observations) {
        Map<String, Object> config = EventProducers.durableConfig(kafka, ACK_TIMEOUT);
        DefaultKafkaProducerFactory<String, byte[]> factory = new DefaultKafkaProducerFactory<>(config,
                new StringSerializer(), new ByteArraySerializer());
        return new DeadLetterPublisher(EventProducers.observed(new KafkaTemplate<>(factory), kafka,
                registryOrNoop(observations)),
                ACK_TIMEOUT, maxRequestSize(config));
    }

    private static int maxRequestSize(Map<String, Object> producerConfig) {
        Object configured = producerConfig.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        return configured == null ? DEFAULT_MAX_REQUEST_SIZE : Integer.parseInt(configured.toString().strip());
    }

    /**
     * Guards {@code /admin} when {@code klingrelay.submitter.admin-token} is set; otherwise the
     * registration is disabled and a warning says that {@code /admin} is open.
     */
    @Bean
    FilterRegistrationBean<AdminTokenFilter> adminTokenFilter(SubmitterProperties properties) {
        String token = properties.adminToken();
        FilterRegistrationBean<AdminTokenFilter> registration = new FilterRegistrationBean<>(
                new AdminTokenFilter(token == null ? "unused" : token));
        registration.addUrlPatterns("/admin", "/admin/*");
        registration.setEnabled(token != null);
        if (token == null) {
            log.warn("klingrelay.submitter.admin-token is not set: /admin is open to anyone who can reach this port");
        }
        return registration;
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
