package io.klingrelay.webhookreceiver.config;

import io.klingrelay.common.kafka.Topics;
import io.klingrelay.coordination.publish.EventProducers;
import io.klingrelay.coordination.publish.EventPublisher;
import io.klingrelay.coordination.redis.CoordinationConfiguration;
import io.klingrelay.coordination.task.TaskLedger;
import io.klingrelay.klingclient.callback.CallbackTokens;
import io.klingrelay.klingclient.callback.StandardWebhookVerifier;
import io.klingrelay.klingclient.config.CallbackProperties;
import io.klingrelay.webhookreceiver.callback.CallbackAuthenticator;
import io.klingrelay.webhookreceiver.callback.CallbackHandler;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
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
     * @param properties the publish timeout
     * @return the publisher (acks=all, idempotent, waits for every acknowledgement)
     */
    @Bean
    EventPublisher eventPublisher(KafkaProperties kafka, JsonMapper jsonMapper, WebhookReceiverProperties properties) {
        return EventProducers.publisher(kafka, jsonMapper, properties.publishTimeout());
    }

    /**
     * Creates the producer and fetches the topics' metadata at start-up, so that the first terminal
     * event is not slower than the others (measured: the first callbacks after a start took ~0.9 s).
     *
     * @param publisher the publisher
     * @return the warm-up step
     */
    @Bean
    ApplicationRunner warmUpEventPublisher(EventPublisher publisher) {
        return arguments -> publisher.warmUp(Topics.TASKS_STATUS, Topics.TASKS_COMPLETED);
    }

    @Bean
    CallbackHandler callbackHandler(CallbackAuthenticator authenticator, TaskLedger ledger, EventPublisher publisher,
            JsonMapper jsonMapper, MeterRegistry meterRegistry, Clock clock) {
        return new CallbackHandler(authenticator, ledger, publisher, jsonMapper, meterRegistry, clock);
    }
}
