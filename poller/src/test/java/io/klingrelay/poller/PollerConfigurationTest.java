package io.klingrelay.poller;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.klingclient.config.KlingProperties;
import io.klingrelay.poller.polling.PollScheduler;
import io.klingrelay.poller.polling.TaskPoller;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Wiring without any backing service: nothing connects, and the first sweep is an hour away. */
class PollerConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(PollerConfiguration.class)
            .withBean(StringRedisTemplate.class, () -> new StringRedisTemplate(new LettuceConnectionFactory()))
            .withBean(KafkaProperties.class, KafkaProperties::new)
            .withBean(JsonMapper.class, () -> JsonMapper.builder().build())
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withPropertyValues("klingrelay.poller.sweep-interval=1h");

    @Test
    void wiresThePollerAndStartsItsSchedule() {
        runner.withPropertyValues("klingrelay.kling.accounts[0].id=brand-a",
                        "klingrelay.kling.accounts[0].access-key=ak-brand-a-0001",
                        "klingrelay.kling.accounts[0].secret-key=sk-brand-a-0123456789abcdef0123456789")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(TaskPoller.class);
                    assertThat(context.getBean(PollScheduler.class).isRunning()).isTrue();
                    assertThat(context.getBean(KlingProperties.class).findAccount("brand-a")).isPresent();
                });
    }

    @Test
    void failsNamingTheKeyForAnAccountIdThatCannotBeARedisKey() {
        runner.withPropertyValues("klingrelay.kling.accounts[0].id=brand a",
                        "klingrelay.kling.accounts[0].access-key=ak-brand-a-0001",
                        "klingrelay.kling.accounts[0].secret-key=sk-brand-a-0123456789abcdef0123456789")
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("klingrelay.kling.accounts[].id"));
    }

    @Test
    void neverPutsTheSecretKeyIntoAStartupFailure() {
        runner.withPropertyValues("klingrelay.kling.accounts[0].id=brand-a",
                        "klingrelay.kling.accounts[0].secret-key=sk-brand-a-0123456789abcdef0123456789")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasStackTraceContaining("access-key");
                    assertThat(stackTrace(context.getStartupFailure()))
                            .doesNotContain("sk-brand-a-0123456789abcdef0123456789");
                });
    }

    private static String stackTrace(Throwable failure) {
        StringWriter out = new StringWriter();
        failure.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
