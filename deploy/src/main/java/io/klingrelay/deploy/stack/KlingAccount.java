package io.klingrelay.deploy.stack;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One Kling account the stack configures: for the emulator a demo account whose keys are random
 * per run (nothing secret is committed), for real Kling the user's keys.
 *
 * @param id          the account id used in requests and configuration
 * @param accessKey   Kling AccessKey (the JWT {@code iss})
 * @param secretKey   Kling SecretKey (the JWT HMAC key); never logged
 * @param concurrency concurrent task slots of the account
 */
public record KlingAccount(String id, String accessKey, String secretKey, int concurrency) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public KlingAccount {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
        }
    }

    /**
     * @param id          the account id
     * @param concurrency its slot limit
     * @return an account with a random AccessKey and SecretKey
     */
    public static KlingAccount withRandomKeys(String id, int concurrency) {
        return new KlingAccount(id, "ak-" + randomHex(12), randomHex(32), concurrency);
    }

    /**
     * @param bytes how many random bytes
     * @return them as lower-case hex (for keys and secrets generated per run)
     */
    public static String randomHex(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return HexFormat.of().formatHex(buffer);
    }

    /** Keeps the SecretKey out of logs. */
    @Override
    public String toString() {
        return "KlingAccount[id=" + id + ", accessKey=" + accessKey + ", concurrency=" + concurrency + "]";
    }
}
