package io.klingrelay.archiver.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

class ArchiverPropertiesTest {

    private static final String SECRET = "very-secret-s3-key";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(PropertiesConfiguration.class);

    private final String[] required = {
            "klingrelay.archiver.s3.endpoint=http://127.0.0.1:9000",
            "klingrelay.archiver.s3.access-key=archiver",
            "klingrelay.archiver.s3.secret-key=" + SECRET};

    @Test
    void bindsDefaultsWhenOnlyTheS3ConnectionIsSet() {
        runner.withPropertyValues(required).run(context -> {
            ArchiverProperties properties = context.getBean(ArchiverProperties.class);
            assertThat(properties.bucket()).isEqualTo("klingrelay-assets");
            assertThat(properties.allowedHosts()).containsExactly("*.klingai.com");
            assertThat(properties.allowPrivateAddresses()).isFalse();
            assertThat(properties.presignedUrlExpiry()).isEqualTo(Duration.ofDays(7));
            assertThat(properties.maxAssetSize()).isEqualTo(DataSize.ofGigabytes(2));
            assertThat(properties.partSize()).isEqualTo(DataSize.ofMegabytes(16));
            assertThat(properties.s3().region()).isEqualTo("us-east-1");
            assertThat(properties.retry().maxAttempts()).isEqualTo(5);
            assertThat(properties.concurrency()).isEqualTo(4);
            assertThat(properties.assetConcurrency()).isEqualTo(3);
            assertThat(properties.inFlightLease()).isEqualTo(Duration.ofMinutes(1));
            assertThat(properties.downloadRetry().initialDelay()).isEqualTo(Duration.ofSeconds(10));
            assertThat(properties.downloadRetry().maxDelay()).isEqualTo(Duration.ofHours(1));
            assertThat(properties.downloadDeadline()).isEqualTo(Duration.ofMinutes(2));
        });
    }

    @Test
    void bindsEveryKeyFromRelaxedNames() {
        runner.withPropertyValues(required)
                .withPropertyValues(
                        "klingrelay.archiver.s3.region=eu-west-1",
                        "klingrelay.archiver.bucket=assets-test",
                        "klingrelay.archiver.allowed-hosts=cdn.klingai.com,*.example.org,127.0.0.1",
                        "klingrelay.archiver.allow-private-addresses=true",
                        "klingrelay.archiver.presigned-url-expiry=1h",
                        "klingrelay.archiver.max-asset-size=100MB",
                        "klingrelay.archiver.retry.max-attempts=3",
                        "klingrelay.archiver.concurrency=16",
                        "klingrelay.archiver.asset-concurrency=9",
                        "klingrelay.archiver.in-flight-lease=30s",
                        "klingrelay.archiver.download-retry.initial-delay=1s",
                        "klingrelay.archiver.download-deadline=90s")
                .run(context -> {
                    ArchiverProperties properties = context.getBean(ArchiverProperties.class);
                    assertThat(properties.s3().region()).isEqualTo("eu-west-1");
                    assertThat(properties.concurrency()).isEqualTo(16);
                    assertThat(properties.assetConcurrency()).isEqualTo(9);
                    assertThat(properties.inFlightLease()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(properties.downloadRetry().initialDelay()).isEqualTo(Duration.ofSeconds(1));
                    assertThat(properties.bucket()).isEqualTo("assets-test");
                    assertThat(properties.allowedHosts()).isEqualTo(List.of("cdn.klingai.com", "*.example.org",
                            "127.0.0.1"));
                    assertThat(properties.allowPrivateAddresses()).isTrue();
                    assertThat(properties.presignedUrlExpiry()).isEqualTo(Duration.ofHours(1));
                    assertThat(properties.maxAssetSize()).isEqualTo(DataSize.ofMegabytes(100));
                    assertThat(properties.retry().maxAttempts()).isEqualTo(3);
                    assertThat(properties.downloadDeadline()).isEqualTo(Duration.ofSeconds(90));
                });
    }

    @Test
    void failsNamingTheS3KeyWhenTheConnectionIsMissing() {
        runner.run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("klingrelay.archiver.s3"));
    }

    @Test
    void failsNamingTheKeyWhenTheSecretKeyIsBlank() {
        runner.withPropertyValues(required).withPropertyValues("klingrelay.archiver.s3.secret-key=")
                .run(context -> assertThat(context).hasFailed()
                        .getFailure().rootCause().hasMessageContaining("klingrelay.archiver")
                        .hasMessageContaining("s3.secretKey").hasMessageNotContaining(SECRET));
    }

    @Test
    void failsNamingTheKeyWhenThePresignedUrlWouldOutliveSevenDays() {
        runner.withPropertyValues(required).withPropertyValues("klingrelay.archiver.presigned-url-expiry=8d")
                .run(context -> assertThat(context).hasFailed()
                        .getFailure().rootCause().hasMessageContaining("klingrelay.archiver.presigned-url-expiry"));
    }

    @Test
    void failsNamingTheKeyWhenTheDownloadDeadlineIsZero() {
        runner.withPropertyValues(required).withPropertyValues("klingrelay.archiver.download-deadline=0s")
                .run(context -> assertThat(context).hasFailed()
                        .getFailure().rootCause().hasMessageContaining("klingrelay.archiver.download-deadline"));
    }

    @Test
    void failsNamingTheKeyWhenTheInFlightLeaseIsTooShortToRenew() {
        runner.withPropertyValues(required).withPropertyValues("klingrelay.archiver.in-flight-lease=1s")
                .run(context -> assertThat(context).hasFailed()
                        .getFailure().rootCause().hasMessageContaining("klingrelay.archiver.in-flight-lease"));
    }

    @Test
    void failsNamingTheKeyWhenTheAssetConcurrencyExceedsTheAssetsOfATask() {
        runner.withPropertyValues(required).withPropertyValues("klingrelay.archiver.asset-concurrency=10")
                .run(context -> assertThat(context).hasFailed()
                        .getFailure().rootCause().hasMessageContaining("assetConcurrency"));
    }

    @Test
    void failsNamingTheKeyWhenAnAllowedHostPatternIsAWildcardAlone() {
        runner.withPropertyValues(required).withPropertyValues("klingrelay.archiver.allowed-hosts=*")
                .run(context -> assertThat(context).hasFailed()
                        .getFailure().rootCause().hasMessageContaining("klingrelay.archiver.allowed-hosts[0]"));
    }

    @Test
    void failsNamingTheKeyWhenThePartSizeIsBelowTheS3Minimum() {
        runner.withPropertyValues(required).withPropertyValues("klingrelay.archiver.part-size=1MB")
                .run(context -> assertThat(context).hasFailed()
                        .getFailure().rootCause().hasMessageContaining("klingrelay.archiver.part-size"));
    }

    @Test
    void failsNamingTheKeyWhenTheMaxAssetSizeIsNotAValidSize() {
        runner.withPropertyValues(required).withPropertyValues("klingrelay.archiver.max-asset-size=lots")
                .run(context -> assertThat(context).hasFailed()
                        .getFailure().hasStackTraceContaining("klingrelay.archiver.max-asset-size"));
    }

    @Test
    void keepsTheSecretKeyOutOfToString() {
        runner.withPropertyValues(required).run(context -> {
            ArchiverProperties properties = context.getBean(ArchiverProperties.class);
            assertThat(properties.toString()).doesNotContain(SECRET).contains("secretKey=***");
            assertThat(properties.s3().toString()).doesNotContain(SECRET).contains("accessKey=archiver");
        });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ArchiverProperties.class)
    static class PropertiesConfiguration {
    }
}
