package io.klingrelay.webhookreceiver.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.webhookreceiver.callback.CallbackAuthenticator;
import io.klingrelay.webhookreceiver.callback.CallbackHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Binding and wiring without any backing service (nothing connects until used). */
class WebhookReceiverConfigurationTest {

    private static final String SECRET = "callback-secret-for-unit-tests-0123456789";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(WebhookReceiverConfiguration.class)
            .withBean(StringRedisTemplate.class, () -> new StringRedisTemplate(new LettuceConnectionFactory()))
            .withBean(KafkaProperties.class, KafkaProperties::new)
            .withBean(JsonMapper.class, () -> JsonMapper.builder().build())
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new);

    @Test
    void bindsGoodValuesAndWiresTheHandler() {
        runner.withPropertyValues("klingrelay.callback.secret=" + SECRET,
                        "klingrelay.callback.webhook-secret=whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=",
                        "klingrelay.webhook-receiver.publish-timeout=3s")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(CallbackHandler.class);
                    assertThat(context.getBean(WebhookReceiverProperties.class).publishTimeout())
                            .isEqualTo(Duration.ofSeconds(3));
                    assertThat(context.getBean(CallbackAuthenticator.class).requiresSignature()).isTrue();
                });
    }

    @Test
    void defaultsToATenSecondPublishTimeoutAndNoSignature() {
        runner.withPropertyValues("klingrelay.callback.secret=" + SECRET).run(context -> {
            assertThat(context.getBean(WebhookReceiverProperties.class).publishTimeout())
                    .isEqualTo(Duration.ofSeconds(10));
            assertThat(context.getBean(CallbackAuthenticator.class).requiresSignature()).isFalse();
        });
    }

    @Test
    void failsNamingTheKeyWhenTheCallbackSecretIsMissing() {
        runner.run(context -> assertThat(context).getFailure().rootCause()
                .hasMessageContaining("klingrelay.callback.secret"));
    }

    @Test
    void failsNamingTheKeyWhenTheCallbackSecretIsTooShort() {
        runner.withPropertyValues("klingrelay.callback.secret=short").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("klingrelay.callback.secret")
                .hasMessageNotContaining("short"));
    }

    @Test
    void failsNamingTheKeyWithoutEchoingAMalformedWebhookSecret() {
        runner.withPropertyValues("klingrelay.callback.secret=" + SECRET,
                        "klingrelay.callback.webhook-secret=whsec_not*base64*at-all")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("klingrelay.callback.webhook-secret")
                        .hasMessageNotContaining("not*base64"));
    }

    @Test
    void failsNamingTheKeyForANonPositivePublishTimeout() {
        runner.withPropertyValues("klingrelay.callback.secret=" + SECRET,
                        "klingrelay.webhook-receiver.publish-timeout=0s")
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("klingrelay.webhook-receiver.publish-timeout"));
    }
}
