package io.klingrelay.klingemulator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class EmulatorPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Config.class);

    @Test
    void bindsAccountsAndAppliesRealisticDefaults() {
        runner.withPropertyValues(
                "klingrelay.emulator.accounts[0].id=a1",
                "klingrelay.emulator.accounts[0].access-key=ak",
                "klingrelay.emulator.accounts[0].secret-key=sk-very-secret",
                "klingrelay.emulator.duplicate-external-task-id=accept-new")
                .run(context -> {
                    EmulatorProperties properties = context.getBean(EmulatorProperties.class);
                    assertThat(properties.accounts()).singleElement().satisfies(a -> assertThat(a.concurrency()).isEqualTo(5));
                    assertThat(properties.timeScale()).isEqualTo(1.0);
                    assertThat(properties.phases().text2video().processing()).isEqualTo(Duration.ofSeconds(120));
                    assertThat(properties.phases().imageGenerations().processing()).isEqualTo(Duration.ofSeconds(20));
                    assertThat(properties.assetRetention()).isEqualTo(Duration.ofDays(30));
                    assertThat(properties.jwtSkew()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(properties.duplicateExternalTaskId()).isEqualTo(EmulatorProperties.DuplicatePolicy.ACCEPT_NEW);
                    assertThat(properties.toString()).doesNotContain("sk-very-secret");
                });
    }

    @Test
    void failsNamingTheKeyWhenAWebhookSecretLacksItsPrefix() {
        runner.withPropertyValues("klingrelay.emulator.callbacks.webhook-secret=plain")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("klingrelay.emulator.callbacks.webhook-secret"));
    }

    @Test
    void failsWhenTimeScaleIsNotPositive() {
        runner.withPropertyValues("klingrelay.emulator.time-scale=0")
                .run(context -> assertThat(context).hasFailed().getFailure().hasStackTraceContaining("timeScale"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(EmulatorProperties.class)
    static class Config {
    }
}
