package io.klingrelay.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import io.klingrelay.common.event.Priority;
import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.coordination.dispatch.ParkedRequest;
import io.klingrelay.coordination.dispatch.RequestQueue;
import io.klingrelay.localstack.FreePorts;
import io.klingrelay.localstack.RedisServerProcess;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * What AOF buys: a request parked before redis-server is killed (SIGKILL, no shutdown save) is
 * still parked after it starts again on the same folder; without AOF it is gone.
 */
class RedisRestartIT {

    private static final String ACCOUNT = "brand-a";

    @TempDir
    Path dataDir;

    private final int port = FreePorts.next();
    private final RedisKeys keys = RedisTestSupport.randomKeys();
    private RedisServerProcess redis;
    private LettuceConnectionFactory factory;

    @AfterEach
    void stop() {
        if (factory != null) {
            factory.destroy();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void keepsAParkedRequestThroughAKillAndRestartWithAof() {
        // GIVEN
        StringRedisTemplate template = start(true);
        RequestQueue queue = new RequestQueue(template, keys, Clock.systemUTC(), Duration.ofDays(1));
        assertThat(queue.park(new ParkedRequest(ACCOUNT, "req-1", Priority.INTERACTIVE, 1L, "{\"prompt\":\"a fox\"}", 1, null))).isTrue();

        // WHEN
        redis.process().kill();
        redis = RedisServerProcess.start(port, dataDir, true);

        // THEN
        await("the parked request after the restart").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(template.opsForHash().get(keys.parked(ACCOUNT), "req-1/payload")).isEqualTo("{\"prompt\":\"a fox\"}");
            assertThat(queue.queueDepth(ACCOUNT)).isEqualTo(1);
        });
    }

    @Test
    void losesAParkedRequestThroughAKillAndRestartWithoutAof() {
        // GIVEN
        StringRedisTemplate template = start(false);
        RequestQueue queue = new RequestQueue(template, keys, Clock.systemUTC(), Duration.ofDays(1));
        assertThat(queue.park(new ParkedRequest(ACCOUNT, "req-1", Priority.INTERACTIVE, 1L, "{}", 1, null))).isTrue();

        // WHEN
        redis.process().kill();
        redis = RedisServerProcess.start(port, dataDir, false);

        // THEN
        await("an answer after the restart").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(template.opsForHash().hasKey(keys.parked(ACCOUNT), "req-1/payload")).isFalse());
        assertThat(queue.queueDepth(ACCOUNT)).isZero();
    }

    private StringRedisTemplate start(boolean appendOnly) {
        redis = RedisServerProcess.start(port, dataDir, appendOnly);
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
        factory.afterPropertiesSet();
        factory.start();
        return new StringRedisTemplate(factory);
    }
}
