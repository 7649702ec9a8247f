package io.klingrelay.status.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;

/** {@code klingrelay.status.*} binds with its defaults, and a bad value fails start-up naming its key. */
class StatusPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Enable.class);

    @Test
    void bindsDefaultsWithPresigningOffUntilAnEndpointIsSet() {
        runner.run(context -> {
            StatusProperties properties = context.getBean(StatusProperties.class);
            assertThat(properties.presignExpiry()).isEqualTo(Duration.ofHours(1));
            assertThat(properties.eventsInterval()).isEqualTo(Duration.ofMillis(500));
            assertThat(properties.advertisedHost()).isEqualTo("127.0.0.1");
            assertThat(properties.s3().isConfigured()).isFalse();
        });
        runner.withPropertyValues("klingrelay.status.s3.endpoint=http://127.0.0.1:9000",
                "klingrelay.status.s3.secret-key=very-secret").run(context -> {
                    StatusProperties.S3 s3 = context.getBean(StatusProperties.class).s3();
                    assertThat(s3.isConfigured()).isTrue();
                    assertThat(s3.toString()).doesNotContain("very-secret");
                });
    }

    @Test
    void refusesAPresignedUrlLongerThanSevenDaysNamingTheKey() {
        runner.withPropertyValues("klingrelay.status.presign-expiry=8d").run(context ->
                assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("klingrelay.status.presign-expiry"));
    }

    @EnableConfigurationProperties(StatusProperties.class)
    static class Enable {
    }
}
