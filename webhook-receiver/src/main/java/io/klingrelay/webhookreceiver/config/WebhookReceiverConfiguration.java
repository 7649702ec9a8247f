package io.klingrelay.webhookreceiver.config;

import static io.klingrelay.coordination.trace.RequestTraces.registryOrNoop;

import io.klingrelay.common.kafka.Topics;
import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.coordination.publish.EventProducers;
import io.klingrelay.coordination.publish.EventPublisher;
import io.klingrelay.coordination.config.CoordinationConfiguration;
import io.klingrelay.coordination.task.TaskLedger;
import io.klingrelay.coordination.trace.RequestTraces;
import io.klingrelay.klingclient.callback.CallbackTokens;
import io.klingrelay.klingclient.callback.StandardWebhookVerifier;
import io.klingrelay.klingclient.config.CallbackProperties;
import io.klingrelay.webhookreceiver.callback.CallbackAuthenticator;
import io.klingrelay.webhookreceiver.callback.CallbackBodyReader;
import io.klingrelay.webhookreceiver.callback.CallbackHandler;
import io.klingrelay.webhookreceiver.callback.DeliveryLog;
import io.klingrelay.webhookreceiver.callback.RedisDeliveryLog;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Beans of the webhook receiver. Imports the shared Redis coordination beans
 * ({@link TaskLedger}); the Kafka producer is built on Boot's {@code spring.kafka.*} properties
 * with {@code acks=all}, idempotence on and JSON values through Boot's {@link JsonMapper}
 * (no type headers: consumers name the type). Every active callback secret
 * ({@code klingrelay.callback.secret} plus {@code previous-secrets}) and every active webhook
 * secret ({@code webhook-secret} plus {@code webhook-secrets}) is accepted.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({CallbackProperties.class, WebhookReceiverProperties.class})
@Import(CoordinationConfiguration.class)
public class WebhookReceiverConfiguration {

    /**
     * @param properties the callback settings
     * @param clock      the time source for signature freshness
     * @return the authenticator
     * @throws IllegalStateException when {@code klingrelay.callback.secret} is missing or a
     *         webhook secret is not {@code whsec_<base64>}
     */
    @Bean
    CallbackAuthenticator callbackAuthenticator(CallbackProperties properties, Clock clock) {
        return new CallbackAuthenticator(new CallbackTokens(requireSecret(properties), properties.previousSecrets()),
                verifier(properties, clock));
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
        List<String> secrets = properties.activeWebhookSecrets();
        if (secrets.isEmpty()) {
            return null;
        }
        try {
            return new StandardWebhookVerifier(secrets, properties.signatureTolerance(), clock);
        } catch (IllegalArgumentException e) {
            // no cause: a decoder's message could quote a character of the secret
            throw new IllegalStateException(
                    "klingrelay.callback.webhook-secret and every klingrelay.callback.webhook-secrets entry must be "
                            + "whsec_<base64>");
        }
    }

    /**
     * @param properties the body cap
     * @return the capped body reader of the callback endpoint
     */
    @Bean
    CallbackBodyReader callbackBodyReader(WebhookReceiverProperties properties) {
        return new CallbackBodyReader(properties.maxBodySize().toBytes());
    }

    /**
     * @param redis      Boot's Redis template
     * @param keys       the key layout
     * @param properties how long an id is remembered
     * @return the {@code webhook-id}s already handled, in Redis
     */
    @Bean
    DeliveryLog deliveryLog(StringRedisTemplate redis, RedisKeys keys, WebhookReceiverProperties properties) {
        return new RedisDeliveryLog(redis, keys, properties.webhookIdTtl());
    }

    /**
     * @param kafka      Boot's Kafka properties
     * @param jsonMapper Boot's JSON mapper
     * @param properties the publish timeout
     * @param observations Boot's observation registry (a span per send when Kafka observation is on)
     * @return the publisher (acks=all, idempotent, waits for every acknowledgement)
     */
    @Bean
    EventPublisher eventPublisher(KafkaProperties kafka, JsonMapper jsonMapper, WebhookReceiverProperties properties,
            ObjectProvider<ObservationRegistry> observations) {
        return EventProducers.publisher(kafka, jsonMapper, properties.publishTimeout(), registryOrNoop(observations));
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
    CallbackHandler callbackHandler(CallbackAuthenticator authenticator, TaskLedger ledger, DeliveryLog deliveryLog,
            EventPublisher publisher, JsonMapper jsonMapper, MeterRegistry meterRegistry, Clock clock,
            RequestTraces traces) {
        return new CallbackHandler(authenticator, ledger, deliveryLog, publisher, jsonMapper, meterRegistry, clock,
                traces);
    }
}
