package io.klingrelay.webhookreceiver.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.coordination.RedisTestSupport;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The {@link DeliveryLog} contract against a real redis-server, plus the key layout and its TTL. */
class RedisDeliveryLogIT extends DeliveryLogContract {

    private final StringRedisTemplate redis = RedisTestSupport.template();
    private final RedisKeys keys = RedisTestSupport.randomKeys();
    private final RedisDeliveryLog log = new RedisDeliveryLog(redis, keys, Duration.ofHours(24));

    @Override
    DeliveryLog deliveryLog() {
        return log;
    }

    @Test
    void keysAnIdByTheSha256OfItUnderTheAccountStemWithATtl() {
        log.markHandled("brand-a", "msg-1");

        String expected = keys.account("brand-a") + ":webhook-id:" + HexFormat.of().formatHex(sha256("msg-1"));
        assertThat(log.key("brand-a", "msg-1")).isEqualTo(expected).endsWith(HexFormat.of().formatHex(sha256("msg-1")));
        assertThat(log.key("brand-a", "x".repeat(256))).hasSize(expected.length());
        assertThat(redis.hasKey(expected)).isTrue();
        assertThat(redis.getExpire(expected)).isBetween(Duration.ofHours(24).toSeconds() - 60,
                Duration.ofHours(24).toSeconds());
    }

    @Test
    void doesNotExtendTheTtlWhenMarkedAgain() {
        RedisDeliveryLog shortLived = new RedisDeliveryLog(redis, keys, Duration.ofSeconds(100));
        RedisDeliveryLog longLived = new RedisDeliveryLog(redis, keys, Duration.ofHours(1));

        shortLived.markHandled("brand-b", "msg-2");
        longLived.markHandled("brand-b", "msg-2");

        assertThat(redis.getExpire(log.key("brand-b", "msg-2"))).isLessThanOrEqualTo(100);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
