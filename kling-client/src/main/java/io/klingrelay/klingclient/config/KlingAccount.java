package io.klingrelay.klingclient.config;

import io.klingrelay.common.redis.RedisKeys;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One Kling account (kling-api.md §3.2, §13): its AccessKey/SecretKey pair and its concurrency
 * limit. Bound from {@code klingrelay.kling.accounts[i]}; the SecretKey normally comes from an
 * environment variable ({@code KLINGRELAY_KLING_ACCOUNTS_0_SECRETKEY}) or a config tree
 * ({@code spring.config.import=configtree:/run/secrets/}), never from a committed file.
 *
 * @param id               our name for the account, used in request events and Redis keys
 *                         (1–128 of {@code A-Z a-z 0-9 . _ : -})
 * @param accessKey        Kling AccessKey, the JWT {@code iss}
 * @param secretKey        Kling SecretKey, the HS256 key (raw UTF-8 bytes; at least 32 bytes, as
 *                         Nimbus enforces RFC 7518's minimum HMAC key length)
 * @param concurrencyLimit tasks (slots) the account may run at once; image tasks take {@code n}
 */
public record KlingAccount(
        @NotBlank String id,
        @NotBlank String accessKey,
        @NotBlank String secretKey,
        @DefaultValue("5") @Min(1) int concurrencyLimit) {

    public KlingAccount {
        if (id != null && !RedisKeys.isSafeId(id)) {
            throw new IllegalArgumentException("klingrelay.kling.accounts[].id '" + id
                    + "' must be 1-128 of A-Z a-z 0-9 . _ : -");
        }
    }

    /** Keeps both keys out of logs: the AccessKey is shown by its first 4 characters only. */
    @Override
    public String toString() {
        String shownAccessKey = accessKey == null || accessKey.length() < 8 ? "****" : accessKey.substring(0, 4) + "****";
        return "KlingAccount[id=" + id + ", accessKey=" + shownAccessKey + ", secretKey=****, concurrencyLimit="
                + concurrencyLimit + "]";
    }
}
