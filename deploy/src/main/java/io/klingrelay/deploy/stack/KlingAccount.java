package io.klingrelay.deploy.stack;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One Kling account the stack configures: for the emulator a demo account whose keys are random
 * per run (nothing secret is committed), for real Kling the user's keys.
 *
 * <p>The emulator always knows the account's AccessKey/SecretKey (and its static API key, when it
 * has one); the relay's accounts file gets the pair only when {@code relayGetsAccessKeys}, and the
 * API key whenever there is one (README "Accounts": AK/SK, an API key, or both).
 *
 * @param id                  the account id used in requests and configuration
 * @param accessKey           Kling AccessKey (the JWT {@code iss})
 * @param secretKey           Kling SecretKey (the JWT HMAC key); never logged
 * @param concurrency         concurrent task slots of the account
 * @param apiKey              the 2026 static API key (kling-api.md §3.3), or null; never logged
 * @param relayGetsAccessKeys whether the relay is given the AccessKey/SecretKey (false: the API key only)
 */
public record KlingAccount(String id, String accessKey, String secretKey, int concurrency, @Nullable String apiKey,
        boolean relayGetsAccessKeys) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public KlingAccount {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
        }
        if (!relayGetsAccessKeys && apiKey == null) {
            throw new IllegalArgumentException("account " + id + " gives the relay neither AK/SK nor an API key");
        }
    }

    /**
     * An AK/SK account without an API key (the shape before API keys).
     *
     * @param id          the account id
     * @param accessKey   Kling AccessKey
     * @param secretKey   Kling SecretKey
     * @param concurrency its slot limit
     */
    public KlingAccount(String id, String accessKey, String secretKey, int concurrency) {
        this(id, accessKey, secretKey, concurrency, null, true);
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
     * @param id          the account id
     * @param concurrency its slot limit
     * @return an account the relay reaches with a random static API key only (the emulator also
     *         knows a random AK/SK pair the relay never sees)
     */
    public static KlingAccount withRandomApiKey(String id, int concurrency) {
        return new KlingAccount(id, "ak-" + randomHex(12), randomHex(32), concurrency, "key-" + randomHex(24), false);
    }

    /**
     * @param id          the account id
     * @param concurrency its slot limit
     * @return an account the relay is given both a random AK/SK pair and a random static API key for
     */
    public static KlingAccount withRandomKeysAndApiKey(String id, int concurrency) {
        return new KlingAccount(id, "ak-" + randomHex(12), randomHex(32), concurrency, "key-" + randomHex(24), true);
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

    /** Keeps the SecretKey and the API key out of logs. */
    @Override
    public String toString() {
        return "KlingAccount[id=" + id + ", accessKey=" + accessKey + ", concurrency=" + concurrency + ", apiKey="
                + (apiKey == null ? "none" : "****") + ", relayGetsAccessKeys=" + relayGetsAccessKeys + "]";
    }
}
