package io.klingrelay.coordination.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.klingrelay.coordination.config.CoordinationConfiguration;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The AOF start-up check judged on fake {@code INFO persistence} answers (no Redis involved). */
@ExtendWith(OutputCaptureExtension.class)
class RedisDurabilityCheckTest {

    private static final Properties AOF_ON = info("aof_enabled:1\r\naof_rewrite_in_progress:0\r\n");
    private static final Properties AOF_OFF = info("loading:0\r\naof_enabled:0\r\n");

    @Test
    void refusesToStartOnAServerWithoutAofNamingTheFixAndTheOptOut() {
        RedisDurabilityCheck check = new RedisDurabilityCheck(() -> Map.of(RedisDurabilityCheck.SINGLE_SERVER, AOF_OFF), false);

        assertThatThrownBy(check::afterPropertiesSet)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("aof_enabled:0")
                .hasMessageContaining("appendonly yes")
                .hasMessageContaining("appendfsync everysec")
                .hasMessageContaining("klingrelay.redis.allow-non-persistent=true");
    }

    @Test
    void startsOnAServerWithAof() {
        RedisDurabilityCheck check = new RedisDurabilityCheck(() -> Map.of(RedisDurabilityCheck.SINGLE_SERVER, AOF_ON), false);

        assertThatNoException().isThrownBy(check::afterPropertiesSet);
    }

    @Test
    void refusesNamingEachClusterMasterThatRunsWithoutAof() {
        RedisDurabilityCheck check = new RedisDurabilityCheck(() -> Map.of(
                "127.0.0.1:7001", AOF_ON, "127.0.0.1:7002", AOF_OFF, "127.0.0.1:7003", AOF_OFF), false);

        assertThatThrownBy(check::afterPropertiesSet)
                .hasMessageContaining("[127.0.0.1:7002, 127.0.0.1:7003]")
                .hasMessageNotContaining("7001");
    }

    @Test
    void startsWithOneLoudWarningWhenNonPersistentRedisIsAllowed(CapturedOutput output) {
        RedisDurabilityCheck check = new RedisDurabilityCheck(() -> Map.of(RedisDurabilityCheck.SINGLE_SERVER, AOF_OFF), true);

        assertThatNoException().isThrownBy(check::afterPropertiesSet);
        assertThat(output).containsOnlyOnce("WITHOUT AOF").contains("WARN");
    }

    @Test
    void startsWithAWarningWhenRedisCannotBeAskedAtStartUp(CapturedOutput output) {
        RedisDurabilityCheck check = new RedisDurabilityCheck(() -> {
            throw new RedisConnectionFailureException("Unable to connect to Redis");
        }, false);

        assertThatNoException().isThrownBy(check::afterPropertiesSet);
        assertThat(output).contains("AOF setting is not checked");
    }

    @Test
    void isPartOfTheCoordinationBeansAndRefusesNonPersistentRedisByDefault() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
                .withUserConfiguration(CoordinationConfiguration.class)
                .withBean(StringRedisTemplate.class, () -> new StringRedisTemplate(new LettuceConnectionFactory()))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(RedisDurabilityCheck.class);
                    assertThat(context.getBean(CoordinationProperties.class).allowNonPersistent()).isFalse();
                });
    }

    @Test
    void bindsTheOptOutProperty() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
                .withUserConfiguration(CoordinationConfiguration.class)
                .withBean(StringRedisTemplate.class, () -> new StringRedisTemplate(new LettuceConnectionFactory()))
                .withPropertyValues("klingrelay.redis.allow-non-persistent=true")
                .run(context -> assertThat(context.getBean(CoordinationProperties.class).allowNonPersistent()).isTrue());
    }

    private static Properties info(String answer) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(answer.replace(':', '=')));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
