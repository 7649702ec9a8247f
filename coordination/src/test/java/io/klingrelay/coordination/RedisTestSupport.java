package io.klingrelay.coordination;

import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.localstack.FreePorts;
import io.klingrelay.localstack.RedisServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** One real redis-server per test JVM, and a template on it; each test class isolates by key prefix. */
public final class RedisTestSupport {

    private static RedisServerProcess server;
    private static StringRedisTemplate template;

    private RedisTestSupport() {
    }

    /** @return a template connected to the shared redis-server, started on first use */
    public static synchronized StringRedisTemplate template() {
        if (template == null) {
            try {
                Path dir = Files.createTempDirectory("klingrelay-redis-");
                server = RedisServerProcess.start(FreePorts.next(), dir, false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            LettuceConnectionFactory factory = new LettuceConnectionFactory(
                    new RedisStandaloneConfiguration("127.0.0.1", server.port()));
            factory.afterPropertiesSet();
            factory.start();
            template = new StringRedisTemplate(factory);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                factory.destroy();
                server.close();
            }));
        }
        return template;
    }

    /** @return a key layout under a random prefix */
    public static RedisKeys randomKeys() {
        return new RedisKeys("it-" + UUID.randomUUID());
    }
}
