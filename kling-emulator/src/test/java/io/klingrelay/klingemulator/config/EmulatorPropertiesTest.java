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
                    assertThat(properties.jwtMaxLifetime()).isZero();
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
    void bindsApiKeysAdditionalKeysPacksAndDistributionsWithoutLeakingSecrets() {
        runner.withPropertyValues(
                "klingrelay.emulator.accounts[0].id=a1",
                "klingrelay.emulator.accounts[0].access-key=ak",
                "klingrelay.emulator.accounts[0].secret-key=sk-very-secret",
                "klingrelay.emulator.accounts[0].api-key=static-key-secret",
                "klingrelay.emulator.accounts[0].additional-keys[0].access-key=ak2",
                "klingrelay.emulator.accounts[0].additional-keys[0].secret-key=sk2-very-secret",
                "klingrelay.emulator.accounts[0].packs[0].name=Trial-Video",
                "klingrelay.emulator.accounts[0].packs[0].units=100",
                "klingrelay.emulator.accounts[0].packs[0].concurrency=5",
                "klingrelay.emulator.phases.text2video.distribution=log-normal",
                "klingrelay.emulator.phases.text2video.spread=0.3",
                "klingrelay.emulator.assets.video-size=2GB",
                "klingrelay.emulator.concurrency-scope=pack-type")
                .run(context -> {
                    EmulatorProperties properties = context.getBean(EmulatorProperties.class);
                    EmulatorProperties.Account account = properties.accounts().get(0);
                    assertThat(account.keys()).extracting(EmulatorProperties.Key::accessKey).containsExactly("ak", "ak2");
                    assertThat(account.packs()).singleElement().satisfies(pack -> {
                        assertThat(pack.type()).isEqualTo("video");
                        assertThat(pack.validity()).isEqualTo(Duration.ofDays(30));
                        assertThat(pack.concurrency()).isEqualTo(5);
                    });
                    assertThat(properties.phases().text2video().distribution())
                            .isEqualTo(EmulatorProperties.Distribution.LOG_NORMAL);
                    assertThat(properties.assets().videoSize().toGigabytes()).isEqualTo(2);
                    assertThat(properties.toString()).doesNotContain("very-secret").doesNotContain("static-key-secret");
                });
    }

    @Test
    void bindsTheNewApiUnitRatesAndFurtherApiKeysWithoutLeakingThem() {
        runner.withPropertyValues(
                "klingrelay.emulator.accounts[0].id=a1",
                "klingrelay.emulator.accounts[0].access-key=ak",
                "klingrelay.emulator.accounts[0].secret-key=sk",
                "klingrelay.emulator.accounts[0].api-key=first-key-secret",
                "klingrelay.emulator.accounts[0].additional-api-keys[0]=second-key-secret",
                "klingrelay.emulator.new-api.unit-rates[0].model=kling-3.0",
                "klingrelay.emulator.new-api.unit-rates[0].kind=motion-control",
                "klingrelay.emulator.new-api.unit-rates[0].resolution=1080p",
                "klingrelay.emulator.new-api.unit-rates[0].per-second=1.5")
                .run(context -> {
                    EmulatorProperties properties = context.getBean(EmulatorProperties.class);
                    assertThat(properties.accounts().get(0).apiKeys())
                            .containsExactly("first-key-secret", "second-key-secret");
                    assertThat(properties.newApi().unitRates()).singleElement().satisfies(rate -> {
                        assertThat(rate.audio()).isFalse();
                        assertThat(rate.perSecond()).isEqualByComparingTo("1.5");
                    });
                    assertThat(properties.toString()).doesNotContain("key-secret");
                });
    }

    @Test
    void failsNamingTheKeyForAUnitRateOfAnUnknownKind() {
        runner.withPropertyValues(
                "klingrelay.emulator.new-api.unit-rates[0].model=kling-3.0",
                "klingrelay.emulator.new-api.unit-rates[0].kind=audio",
                "klingrelay.emulator.new-api.unit-rates[0].resolution=1080p",
                "klingrelay.emulator.new-api.unit-rates[0].per-second=1")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("klingrelay.emulator.new-api.unit-rates[].kind"));
    }

    @Test
    void failsNamingTheKeyForANegativeJwtMaxLifetime() {
        runner.withPropertyValues("klingrelay.emulator.jwt-max-lifetime=-1s")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("klingrelay.emulator.jwt-max-lifetime"));
    }

    @Test
    void failsNamingTheKeyForAnUnknownConcurrencyScope() {
        runner.withPropertyValues("klingrelay.emulator.concurrency-scope=global")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("klingrelay.emulator.concurrency-scope"));
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

    @Test
    void bindsTheGeneratedMediaShapesAndCdnModeWithDefaultsOff() {
        runner.run(context -> {
            EmulatorProperties.Assets assets = context.getBean(EmulatorProperties.class).assets();
            assertThat(assets.videoScaleDivisor()).isEqualTo(4);
            assertThat(assets.videoFps()).isEqualTo(2);
            assertThat(assets.imageShortSide()).isEqualTo(360);
            assertThat(assets.cdn().enabled()).isFalse();
            assertThat(assets.cdn().host()).isEqualTo("cdn.kling-emulator.test");
        });
        runner.withPropertyValues("klingrelay.emulator.assets.video-scale-divisor=1",
                "klingrelay.emulator.assets.video-fps=1", "klingrelay.emulator.assets.image-short-side=132",
                "klingrelay.emulator.assets.cdn.enabled=true",
                "klingrelay.emulator.assets.cdn.host=cdn.example.test", "klingrelay.emulator.assets.cdn.port=8443")
                .run(context -> {
                    EmulatorProperties.Assets assets = context.getBean(EmulatorProperties.class).assets();
                    assertThat(assets.videoScaleDivisor()).isEqualTo(1);
                    assertThat(assets.videoFps()).isEqualTo(1);
                    assertThat(assets.imageShortSide()).isEqualTo(132);
                    assertThat(assets.cdn()).isEqualTo(new EmulatorProperties.Cdn(true, "cdn.example.test", 8443, ""));
                });
    }

    @Test
    void failsNamingTheKeyForAVideoFrameRateAboveThirty() {
        runner.withPropertyValues("klingrelay.emulator.assets.video-fps=31")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("assets.videoFps").hasMessageContaining("less than or equal to 30"));
    }
}
