package io.klingrelay.coordination;

import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.localstack.LocalRedis;
import io.klingrelay.localstack.RedisClusterProcess;
import io.klingrelay.localstack.RedisServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * One real Redis per test JVM, and a template on it; each test class isolates by key prefix.
 * With {@code -Dklingrelay.it.redis=cluster} (coordination's second failsafe run) it is a
 * three-master {@link RedisClusterProcess}, else one redis-server; AOF is on either way, as the
 * services require.
 */
public final class RedisTestSupport {

    private static LocalRedis redis;
    private static LettuceConnectionFactory factory;
    private static StringRedisTemplate template;

    private RedisTestSupport() {
    }

    /** @return a template connected to the shared Redis, started on first use */
    public static synchronized StringRedisTemplate template() {
        if (template == null) {
            redis = startRedis();
            factory = new LettuceConnectionFactory(configuration(redis));
            factory.afterPropertiesSet();
            factory.start();
            template = new StringRedisTemplate(factory);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                factory.destroy();
                redis.close();
            }));
        }
        return template;
    }

    /** @return the connection factory of {@link #template()} (a cluster one in cluster mode) */
    public static synchronized LettuceConnectionFactory connectionFactory() {
        template();
        return factory;
    }

    /** @return the Spring Boot properties that connect a context to the shared Redis */
    public static synchronized Map<String, String> springProperties() {
        template();
        return redis.springProperties();
    }

    /** @return whether this run is against a Redis Cluster ({@code -Dklingrelay.it.redis=cluster}) */
    public static boolean isCluster() {
        return LocalRedis.clusterRequested();
    }

    /** @return a key layout under a random prefix */
    public static RedisKeys randomKeys() {
        return new RedisKeys("it-" + UUID.randomUUID());
    }

    private static LocalRedis startRedis() {
        try {
            return LocalRedis.startFromSystemProperty(Files.createTempDirectory("klingrelay-redis-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param redis a running Redis
     * @return the Spring Data Redis configuration that reaches it
     */
    public static RedisConfiguration configuration(LocalRedis redis) {
        return switch (redis) {
            case RedisServerProcess server -> new RedisStandaloneConfiguration("127.0.0.1", server.port());
            case RedisClusterProcess cluster -> new RedisClusterConfiguration(
                    List.of(cluster.seedNodes().split(",")));
        };
    }
}
