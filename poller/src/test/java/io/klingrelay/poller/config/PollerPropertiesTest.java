package io.klingrelay.poller.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

class PollerPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(PollerProperties.class)
    static class Binding {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Binding.class);

    @Test
    void appliesTheDocumentedDefaults() {
        runner.run(context -> {
            PollerProperties properties = context.getBean(PollerProperties.class);
            assertThat(properties.grace()).isEqualTo(Duration.ofMinutes(10));
            assertThat(properties.recheck()).isEqualTo(Duration.ofSeconds(30));
            assertThat(properties.effectiveSweepInterval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(properties.batchSize()).isEqualTo(500);
            assertThat(properties.permitLease()).isEqualTo(Duration.ofHours(2));
            assertThat(properties.queryThreads()).isEqualTo(16);
            assertThat(properties.claimLease()).isEqualTo(Duration.ofMinutes(2));
        });
    }

    @Test
    void bindsGoodValuesIncludingTheIntervalAlias() {
        runner.withPropertyValues("klingrelay.poller.grace=1s", "klingrelay.poller.recheck=500ms",
                "klingrelay.poller.interval=250ms", "klingrelay.poller.batch-size=7",
                "klingrelay.poller.permit-lease=3h", "klingrelay.poller.query-threads=2").run(context -> {
                    PollerProperties properties = context.getBean(PollerProperties.class);
                    assertThat(properties.grace()).isEqualTo(Duration.ofSeconds(1));
                    assertThat(properties.recheck()).isEqualTo(Duration.ofMillis(500));
                    assertThat(properties.effectiveSweepInterval()).isEqualTo(Duration.ofMillis(250));
                    assertThat(properties.batchSize()).isEqualTo(7);
                    assertThat(properties.permitLease()).isEqualTo(Duration.ofHours(3));
                    assertThat(properties.queryThreads()).isEqualTo(2);
                });
    }

    @Test
    void failsNamingTheKeyForANonPositiveGrace() {
        runner.withPropertyValues("klingrelay.poller.grace=0s").run(context -> assertThat(context).getFailure()
                .hasStackTraceContaining("klingrelay.poller.grace"));
    }

    @Test
    void failsNamingBothKeysForAClaimLeaseNoLongerThanThePublishTimeout() {
        runner.withPropertyValues("klingrelay.poller.claim-lease=10s", "klingrelay.poller.publish-timeout=10s")
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("klingrelay.poller.claim-lease")
                        .hasStackTraceContaining("klingrelay.poller.publish-timeout"));
    }

    @Test
    void failsNamingTheKeyForAnOutOfRangeBatchSize() {
        runner.withPropertyValues("klingrelay.poller.batch-size=0").run(context -> assertThat(context).getFailure()
                .hasStackTraceContaining("klingrelay.poller").hasStackTraceContaining("batchSize"));
    }

    @Test
    void failsNamingTheKeyForTooManyQueryThreads() {
        runner.withPropertyValues("klingrelay.poller.query-threads=1000").run(context -> assertThat(context)
                .getFailure().hasStackTraceContaining("queryThreads"));
    }
}
