package io.klingrelay.webhookreceiver.callback;

import io.klingrelay.common.redis.RedisKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@link DeliveryLog} in Redis: one STRING per handled id, at
 * {@code <RedisKeys.account(accountId)>:webhook-id:<SHA-256 hex of the id>} (the account's hash tag,
 * a fixed-length key whatever the id), set with {@code SET NX} and a TTL. Thread-safe.
 */
public final class RedisDeliveryLog implements DeliveryLog {

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final Duration ttl;

    /**
     * @param redis the Redis template
     * @param keys  the key layout
     * @param ttl   how long an id is remembered (positive)
     */
    public RedisDeliveryLog(StringRedisTemplate redis, RedisKeys keys, Duration ttl) {
        this.redis = redis;
        this.keys = keys;
        this.ttl = ttl;
    }

    @Override
    public boolean wasHandled(String accountId, String webhookId) {
        return Boolean.TRUE.equals(redis.hasKey(key(accountId, webhookId)));
    }

    @Override
    public void markHandled(String accountId, String webhookId) {
        redis.opsForValue().setIfAbsent(key(accountId, webhookId), "1", ttl);
    }

    /**
     * @param accountId the account
     * @param webhookId the {@code webhook-id}
     * @return the key remembering that id
     */
    String key(String accountId, String webhookId) {
        return keys.account(accountId) + ":webhook-id:" + sha256Hex(webhookId);
    }

    private static String sha256Hex(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "RedisDeliveryLog[ttl=" + ttl + "]";
    }
}
