package io.klingrelay.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.klingrelay.common.redis.RedisKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisZSetCommands;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Each kind of Redis call the services make, through Spring Data Redis as they make it: a Lua
 * script over one account's keys, the dispatch wake-up channel (published by the template and from
 * inside a script, received by a {@link RedisMessageListenerContainer} as the submitter's
 * dispatcher receives it), sorted-set operations and {@code ZADD XX} through a
 * {@link RedisCallback} (TaskLedger's {@code zaddIfPresent}). Runs against one redis-server, and
 * against a Redis Cluster in coordination's second failsafe run ({@code -Dklingrelay.it.redis=cluster}).
 */
class RedisOperationsIT {

    private static final RedisScript<Long> TWO_KEYS = RedisScript.of("""
            redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
            redis.call('HSET', KEYS[2], ARGV[1], '1')
            return redis.call('ZCARD', KEYS[1])""", Long.class);
    private static final RedisScript<Long> PUBLISHING = RedisScript.of(
            "return redis.call('PUBLISH', ARGV[1], ARGV[2])", Long.class);

    private final StringRedisTemplate redis = RedisTestSupport.template();
    private final RedisKeys keys = RedisTestSupport.randomKeys();

    @Test
    void runsAScriptOverTwoKeysOfOneAccount() {
        Long size = redis.execute(TWO_KEYS, List.of(keys.permits("brand-a"), keys.permitWeights("brand-a")), "req-1", "5");

        assertThat(size).isEqualTo(1L);
        assertThat(redis.opsForHash().get(keys.permitWeights("brand-a"), "req-1")).isEqualTo("1");
    }

    @Test
    void deliversWakeUpsPublishedByTheTemplateAndByAScriptToAListenerContainer() throws Exception {
        // GIVEN
        List<String> received = new CopyOnWriteArrayList<>();
        RedisMessageListenerContainer container = new RedisMessageListenerContainer();
        container.setConnectionFactory(RedisTestSupport.connectionFactory());
        container.addMessageListener((message, pattern) -> received.add(new String(message.getBody(), StandardCharsets.UTF_8)),
                new ChannelTopic(keys.dispatchChannel()));
        container.afterPropertiesSet();
        container.start();
        try {
            // WHEN / THEN: published until the subscription is in place
            await("a wake-up from the template").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        redis.convertAndSend(keys.dispatchChannel(), "brand-a");
                        return received.contains("brand-a");
                    });
            redis.execute(PUBLISHING, List.of(keys.permits("brand-b")), keys.dispatchChannel(), "brand-b");
            await("a wake-up from a script").atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(received).contains("brand-b"));
        } finally {
            container.stop();
            container.destroy();
        }
    }

    @Test
    void readsAndWritesSortedSets() {
        String pending = keys.pending("brand-a");

        redis.opsForZSet().add(pending, "req-1", 10);
        redis.opsForZSet().add(pending, "req-2", 20);

        Set<String> due = redis.opsForZSet().rangeByScore(pending, Double.NEGATIVE_INFINITY, 15, 0, 10);
        assertThat(due).containsExactly("req-1");
        assertThat(redis.opsForZSet().zCard(pending)).isEqualTo(2);
        assertThat(redis.opsForZSet().remove(pending, "req-2")).isEqualTo(1);
        assertThat(redis.opsForZSet().score(pending, "req-1")).isEqualTo(10.0);
    }

    @Test
    void movesAScoreWithZaddXxOnlyWhileTheMemberIsThere() {
        // GIVEN
        String permits = keys.permits("brand-a");
        redis.opsForZSet().add(permits, "req-1", 10);

        // WHEN
        Boolean moved = zaddIfPresent(permits, "req-1", 99);
        zaddIfPresent(permits, "req-gone", 99);

        // THEN
        assertThat(moved).isNotNull();
        assertThat(redis.opsForZSet().score(permits, "req-1")).isEqualTo(99.0);
        assertThat(redis.opsForZSet().score(permits, "req-gone")).isNull();
    }

    /** The call TaskLedger.zaddIfPresent makes. */
    private Boolean zaddIfPresent(String key, String member, long score) {
        return redis.execute((RedisCallback<Boolean>) connection -> connection.zSetCommands().zAdd(
                key.getBytes(StandardCharsets.UTF_8), score, member.getBytes(StandardCharsets.UTF_8),
                RedisZSetCommands.ZAddArgs.ifExists()));
    }
}
