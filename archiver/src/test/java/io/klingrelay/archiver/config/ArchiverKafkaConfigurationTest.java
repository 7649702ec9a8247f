package io.klingrelay.archiver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.klingrelay.archiver.archive.AssetDownloadDeferredException;
import io.klingrelay.archiver.archive.ObjectStoreUnavailableException;
import io.klingrelay.common.error.TransientException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.ListenerExecutionFailedException;

class ArchiverKafkaConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(PropertiesConfiguration.class)
            .withPropertyValues("klingrelay.archiver.s3.endpoint=http://127.0.0.1:9000",
                    "klingrelay.archiver.s3.access-key=archiver", "klingrelay.archiver.s3.secret-key=secret");

    @Test
    void requiresNineDownloadDeadlinesPlusTheLongestRedeliveryWaitAndAMargin() {
        withProperties(properties -> assertThat(ArchiverKafkaConfiguration.requiredMaxPollInterval(properties))
                .isEqualTo(Duration.ofMinutes(9 * 2).plusSeconds(30).plusMinutes(2)));
    }

    @Test
    void acceptsTheMaxPollIntervalOfTheApplicationYml() {
        withProperties(properties -> assertThatCode(() -> ArchiverKafkaConfiguration.checkMaxPollInterval(
                Map.of(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "1800000"), properties))
                .doesNotThrowAnyException());
    }

    @Test
    void refusesAMaxPollIntervalShorterThanTheLongestTaskNamingBothSettings() {
        withProperties(properties -> assertThatThrownBy(() -> ArchiverKafkaConfiguration.checkMaxPollInterval(
                Map.of(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 900_000), properties))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("max.poll.interval.ms is 900000 ms")
                .hasMessageContaining("klingrelay.archiver.download-deadline PT2M")
                .hasMessageContaining("1230000 ms"));
    }

    @Test
    void comparesWithKafkasDefaultWhenMaxPollIntervalIsNotSet() {
        withProperties(properties -> assertThatThrownBy(() -> ArchiverKafkaConfiguration.checkMaxPollInterval(
                Map.of(), properties))
                .hasMessageContaining("max.poll.interval.ms is 300000 ms"));
    }

    @Test
    void redeliversStoreOutagesAndDeferredDownloadsLaterButNothingElse() {
        assertThat(ArchiverKafkaConfiguration.isRedeliverLater(new ListenerExecutionFailedException("failed",
                new ObjectStoreUnavailableException("object storage down", new IllegalStateException())))).isTrue();
        assertThat(ArchiverKafkaConfiguration.isRedeliverLater(new ListenerExecutionFailedException("failed",
                new AssetDownloadDeferredException("asset 0: 503", new TransientException("503"))))).isTrue();
        assertThat(ArchiverKafkaConfiguration.isRedeliverLater(new ListenerExecutionFailedException("failed",
                new TransientException("Kafka did not acknowledge")))).isFalse();
    }

    private void withProperties(Consumer<ArchiverProperties> check) {
        runner.run(context -> check.accept(context.getBean(ArchiverProperties.class)));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ArchiverProperties.class)
    static class PropertiesConfiguration {
    }
}
