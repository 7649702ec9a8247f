package io.klingrelay.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.coordination.config.CoordinationConfiguration;
import io.klingrelay.coordination.redis.RedisDurabilityCheck;
import io.klingrelay.localstack.FreePorts;
import io.klingrelay.localstack.RedisClusterProcess;
import io.klingrelay.localstack.RedisServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;

/** The AOF start-up check against real redis-servers and a real cluster, wired as the services wire it. */
class RedisDurabilityCheckIT {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, ValidationAutoConfiguration.class))
            .withUserConfiguration(CoordinationConfiguration.class);

    @TempDir
    Path dataDir;

    @Test
    void refusesToStartOnARedisServerWithoutAof() {
        try (RedisServerProcess redis = RedisServerProcess.start(FreePorts.next(), dataDir, false)) {
            runner.withPropertyValues("spring.data.redis.url=" + redis.uri()).run(context -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause()
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("aof_enabled:0")
                        .hasMessageContaining("appendonly yes")
                        .hasMessageContaining(RedisDurabilityCheck.OPT_OUT_PROPERTY + "=true");
            });
        }
    }

    @Test
    void startsOnARedisServerWithAof() {
        try (RedisServerProcess redis = RedisServerProcess.start(FreePorts.next(), dataDir, true)) {
            runner.withPropertyValues("spring.data.redis.url=" + redis.uri())
                    .run(context -> assertThat(context).hasNotFailed().hasSingleBean(RedisDurabilityCheck.class));
        }
    }

    @Test
    void startsOnARedisServerWithoutAofWhenTheOptOutIsSet() {
        try (RedisServerProcess redis = RedisServerProcess.start(FreePorts.next(), dataDir, false)) {
            runner.withPropertyValues("spring.data.redis.url=" + redis.uri(), RedisDurabilityCheck.OPT_OUT_PROPERTY + "=true")
                    .run(context -> assertThat(context).hasNotFailed());
        }
    }

    @Test
    void checksEveryClusterMasterAndRefusesNamingTheOneWithoutAof() {
        // GIVEN
        try (RedisClusterProcess cluster = RedisClusterProcess.start(dataDir)) {
            String nodes = "spring.data.redis.cluster.nodes=" + cluster.seedNodes();
            runner.withPropertyValues(nodes).run(context -> assertThat(context).hasNotFailed());
            int second = cluster.ports().get(1);

            // WHEN
            turnAofOff(second);

            // THEN
            runner.withPropertyValues(nodes).run(context -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("on [127.0.0.1:" + second + "]");
            });
        }
    }

    private static void turnAofOff(int port) {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().configSet("appendonly", "no");
        } finally {
            client.shutdown();
        }
    }
}
