package io.klingrelay.webhookreceiver.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.klingclient.callback.CallbackTokens;
import io.klingrelay.klingclient.config.CallbackProperties;
import io.klingrelay.webhookreceiver.callback.CallbackAuthenticator;
import io.klingrelay.webhookreceiver.callback.CallbackBodyReader;
import io.klingrelay.webhookreceiver.callback.CallbackHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.springframework.util.unit.DataSize;
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
    private static final String OLD_SECRET = "old-callback-secret-for-unit-tests-98765";
    private static final String WEBHOOK_SECRET = "whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=";
    private static final String OLD_WEBHOOK_SECRET = "whsec_b3RoZXJzZWNyZXRvdGhlcnNlY3JldG90aGVyc2VjcmV0MTI=";

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

    @Test
    void defaultsToA64KibBodyCapAndADayOfWebhookIds() {
        runner.withPropertyValues("klingrelay.callback.secret=" + SECRET).run(context -> {
            WebhookReceiverProperties properties = context.getBean(WebhookReceiverProperties.class);
            assertThat(properties.maxBodySize()).isEqualTo(DataSize.ofKilobytes(64));
            assertThat(properties.webhookIdTtl()).isEqualTo(Duration.ofHours(24));
            assertThat(context.getBean(CallbackBodyReader.class).maxBytes()).isEqualTo(65_536);
            assertThat(context.getBean(CallbackProperties.class).previousSecrets()).isEmpty();
        });
    }

    @Test
    void bindsABodyCapAndWebhookIdTtl() {
        runner.withPropertyValues("klingrelay.callback.secret=" + SECRET,
                        "klingrelay.webhook-receiver.max-body-size=8KB",
                        "klingrelay.webhook-receiver.webhook-id-ttl=2h")
                .run(context -> {
                    assertThat(context.getBean(CallbackBodyReader.class).maxBytes()).isEqualTo(8192);
                    assertThat(context.getBean(WebhookReceiverProperties.class).webhookIdTtl())
                            .isEqualTo(Duration.ofHours(2));
                });
    }

    @Test
    void failsNamingTheKeyForABodyCapOutOfRange() {
        runner.withPropertyValues("klingrelay.callback.secret=" + SECRET,
                        "klingrelay.webhook-receiver.max-body-size=1GB")
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("klingrelay.webhook-receiver.max-body-size"));
        runner.withPropertyValues("klingrelay.callback.secret=" + SECRET,
                        "klingrelay.webhook-receiver.max-body-size=0B")
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("klingrelay.webhook-receiver.max-body-size"));
    }

    @Test
    void acceptsTokensOfThePreviousSecretsFromAListOrACommaSeparatedValue() {
        String token = new CallbackTokens(OLD_SECRET).token("brand-a", "r-1");
        runner.withPropertyValues("klingrelay.callback.secret=" + SECRET,
                        "klingrelay.callback.previous-secrets=" + OLD_SECRET + ",another-old-secret-0123456789-abcdef")
                .run(context -> {
                    CallbackAuthenticator authenticator = context.getBean(CallbackAuthenticator.class);
                    assertThat(authenticator.hasValidToken("brand-a", "r-1", token)).isTrue();
                    assertThat(context.getBean(CallbackProperties.class).previousSecrets()).hasSize(2);
                    assertThat(context.getBean(CallbackProperties.class).toString()).doesNotContain(OLD_SECRET)
                            .doesNotContain(SECRET).contains("previousSecrets=2x****");
                });
        runner.withPropertyValues("klingrelay.callback.secret=" + SECRET,
                        "klingrelay.callback.previous-secrets[0]=" + OLD_SECRET)
                .run(context -> assertThat(context.getBean(CallbackAuthenticator.class)
                        .hasValidToken("brand-a", "r-1", token)).isTrue());
    }

    @Test
    void failsNamingTheKeyWithoutEchoingAShortPreviousSecret() {
        runner.withPropertyValues("klingrelay.callback.secret=" + SECRET,
                        "klingrelay.callback.previous-secrets=too-short-old")
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("klingrelay.callback.previous-secrets")
                        .rootCause().hasMessageNotContaining("too-short-old"));
    }

    @Test
    void requiresSignaturesWhenOnlyTheWebhookSecretsListIsSetAndKeepsThemOutOfToString() {
        runner.withPropertyValues("klingrelay.callback.secret=" + SECRET,
                        "klingrelay.callback.webhook-secrets=" + OLD_WEBHOOK_SECRET + "," + WEBHOOK_SECRET)
                .run(context -> {
                    assertThat(context.getBean(CallbackAuthenticator.class).requiresSignature()).isTrue();
                    assertThat(context.getBean(CallbackProperties.class).activeWebhookSecrets()).hasSize(2);
                    assertThat(context.getBean(CallbackProperties.class).toString())
                            .doesNotContain(OLD_WEBHOOK_SECRET.substring(6)).doesNotContain(WEBHOOK_SECRET.substring(6))
                            .contains("webhookSecrets=2x****");
                });
    }

    @Test
    void failsNamingTheKeyWithoutEchoingAMalformedEntryOfTheWebhookSecretsList() {
        runner.withPropertyValues("klingrelay.callback.secret=" + SECRET,
                        "klingrelay.callback.webhook-secret=" + WEBHOOK_SECRET,
                        "klingrelay.callback.webhook-secrets=whsec_not*base64*either")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("klingrelay.callback.webhook-secrets")
                        .hasMessageNotContaining("not*base64"));
    }
}
