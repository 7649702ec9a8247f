package io.klingrelay.webhookreceiver.config;

import io.klingrelay.coordination.redis.CoordinationConfiguration;
import io.klingrelay.coordination.task.TaskLedger;
import io.klingrelay.klingclient.callback.CallbackTokens;
import io.klingrelay.klingclient.callback.StandardWebhookVerifier;
import io.klingrelay.klingclient.config.CallbackProperties;
import io.klingrelay.webhookreceiver.callback.CallbackAuthenticator;
import io.klingrelay.webhookreceiver.callback.CallbackHandler;
import io.klingrelay.webhookreceiver.publish.EventPublisher;
import io.klingrelay.webhookreceiver.publish.KafkaEventPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Beans of the webhook receiver. Imports the shared Redis coordination beans
 * ({@link TaskLedger}); the Kafka producer is built on Boot's {@code spring.kafka.*} properties
 * with {@code acks=all}, idempotence on and JSON values through Boot's {@link JsonMapper}
 * (no type headers: consumers name the type).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({CallbackProperties.class, WebhookReceiverProperties.class})
@Import(CoordinationConfiguration.class)
public class WebhookReceiverConfiguration {

    /**
     * @param properties the callback settings
     * @param clock      the time source for signature freshness
     * @return the authenticator
     * @throws IllegalStateException when {@code klingrelay.callback.secret} is missing or the
     *         webhook secret is not {@code whsec_<base64>}
     */
    @Bean
    CallbackAuthenticator callbackAuthenticator(CallbackProperties properties, Clock clock) {
        return new CallbackAuthenticator(new CallbackTokens(requireSecret(properties)), verifier(properties, clock));
    }

    private static String requireSecret(CallbackProperties properties) {
        String secret = properties.secret();
        if (secret == null || secret.length() < CallbackProperties.MIN_SECRET_LENGTH) {
            throw new IllegalStateException("klingrelay.callback.secret is required by the webhook receiver (at least "
                    + CallbackProperties.MIN_SECRET_LENGTH + " characters; env KLINGRELAY_CALLBACK_SECRET)");
        }
        return secret;
    }

    private static @Nullable StandardWebhookVerifier verifier(CallbackProperties properties, Clock clock) {
        String webhookSecret = properties.webhookSecret();
        if (webhookSecret == null || webhookSecret.isBlank()) {
            return null;
        }
        try {
            return new StandardWebhookVerifier(webhookSecret.trim(), properties.signatureTolerance(), clock);
        } catch (IllegalArgumentException e) {
            // no cause: the decoder's message quotes a character of the secret
            throw new IllegalStateException("klingrelay.callback.webhook-secret must be whsec_<base64>");
        }
    }

    /**
     * @param kafka      Boot's Kafka properties
     * @param jsonMapper Boot's JSON mapper
     * @param properties the publish timeout, which also bounds {@code max.block.ms}
     * @return the producer factory
     */
    @Bean
    ProducerFactory<String, Object> webhookReceiverProducerFactory(KafkaProperties kafka, JsonMapper jsonMapper,
            WebhookReceiverProperties properties) {
        Map<String, Object> config = new LinkedHashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, properties.publishTimeout().toMillis());
        return new DefaultKafkaProducerFactory<>(config, new StringSerializer(),
                new JacksonJsonSerializer<Object>(jsonMapper).noTypeInfo());
    }

    /** @param producerFactory the producer factory @return the template */
    @Bean
    KafkaTemplate<String, Object> kafkaTemplate(ProducerFactory<String, Object> producerFactory) {
        return new KafkaTemplate<>(producerFactory);
    }

    /** @param template the template @param properties the publish timeout @return the publisher */
    @Bean
    EventPublisher eventPublisher(KafkaTemplate<String, Object> template, WebhookReceiverProperties properties) {
        return new KafkaEventPublisher(template, properties.publishTimeout());
    }

    @Bean
    CallbackHandler callbackHandler(CallbackAuthenticator authenticator, TaskLedger ledger, EventPublisher publisher,
            JsonMapper jsonMapper, MeterRegistry meterRegistry, Clock clock) {
        return new CallbackHandler(authenticator, ledger, publisher, jsonMapper, meterRegistry, clock);
    }
}
