package io.klingrelay.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import io.klingrelay.common.event.Priority;
import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.coordination.dispatch.ParkedRequest;
import io.klingrelay.coordination.dispatch.RequestQueue;
import io.klingrelay.localstack.FreePorts;
import io.klingrelay.localstack.RedisServerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.stream.Stream;
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
        // with appendfsync everysec Redis may postpone the AOF write by up to 2 s while a slow fsync
        // runs (a loaded machine): what the guarantee covers is what reached the AOF
        await("the park written to the AOF").atMost(Duration.ofSeconds(10)).until(() -> aofContains("req-1/payload"));

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

    private boolean aofContains(String text) throws IOException {
        try (Stream<Path> files = Files.walk(dataDir)) {
            return files.filter(Files::isRegularFile).filter(file -> file.getFileName().toString().contains(".aof"))
                    .anyMatch(file -> contains(file, text));
        }
    }

    private static boolean contains(Path file, String text) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    private StringRedisTemplate start(boolean appendOnly) {
        redis = RedisServerProcess.start(port, dataDir, appendOnly);
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
        factory.afterPropertiesSet();
        factory.start();
        return new StringRedisTemplate(factory);
    }
}
