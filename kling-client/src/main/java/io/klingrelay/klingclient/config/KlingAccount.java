package io.klingrelay.klingclient.config;

import io.klingrelay.common.redis.RedisKeys;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One Kling account (kling-api.md §3, §13): how it authenticates, where its API lives and its
 * concurrency limit. Bound from {@code klingrelay.kling.accounts[i]}, normally from the one shared
 * accounts file every service imports (README "Accounts").
 *
 * <p>Credentials, one kind or both:
 * <ul>
 *   <li>AccessKey/SecretKey (§3.2): a JWT signed per call; the legacy {@code /v1} surface only.</li>
 *   <li>A static API key (§3.3, since 2026-06-17), sent as {@code Authorization: Bearer <key>} on
 *       both surfaces; the 2026 path-per-model API (§15) accepts nothing else.</li>
 * </ul>
 * Secrets come from environment variables ({@code KLINGRELAY_KLING_ACCOUNTS_0_APIKEY},
 * {@code …_SECRETKEY}) or files ({@code api-key-file}, {@code secret-key-file}: the whole file,
 * surrounding whitespace stripped, read once at start-up), never from a committed file, and never
 * appear in {@link #toString()}, logs or exception messages.
 *
 * @param id               our name for the account, used in request events and Redis keys
 *                         (1–128 of {@code A-Z a-z 0-9 . _ : -})
 * @param accessKey        Kling AccessKey, the JWT {@code iss}; with {@code secretKey}, or absent
 * @param secretKey        Kling SecretKey, the HS256 key (raw UTF-8 bytes; at least 32 bytes, as
 *                         Nimbus enforces RFC 7518's minimum HMAC key length); or absent
 * @param concurrencyLimit tasks (slots) the account may run at once; image tasks take {@code n}
 * @param apiKey           the console-issued static API key, or absent
 * @param apiKeyFile       a file holding the API key (e.g. a mounted secret), read when {@code apiKey}
 *                         is absent
 * @param secretKeyFile    a file holding the SecretKey, read when {@code secretKey} is absent
 * @param baseUrl          this account's API root without a trailing slash: its region
 *                         ({@code https://api-singapore.klingai.com}, {@code https://api-beijing.klingai.com},
 *                         §3.1) or a proxy; absent means {@code klingrelay.kling.base-url}. Keys of an
 *                         account are only ever sent to this host
 */
public record KlingAccount(
        @NotBlank String id,
        @Nullable String accessKey,
        @Nullable String secretKey,
        @DefaultValue("5") @Min(1) int concurrencyLimit,
        @Nullable String apiKey,
        @Nullable Path apiKeyFile,
        @Nullable Path secretKeyFile,
        @Nullable URI baseUrl) {

    @ConstructorBinding
    public KlingAccount {
        if (id != null && !RedisKeys.isSafeId(id)) {
            throw new IllegalArgumentException("klingrelay.kling.accounts[].id '" + id
                    + "' must be 1-128 of A-Z a-z 0-9 . _ : -");
        }
        apiKey = isBlank(apiKey) ? readSecret(apiKeyFile, id, "api-key-file") : apiKey.strip();
        secretKey = isBlank(secretKey) ? readSecret(secretKeyFile, id, "secret-key-file") : secretKey;
        accessKey = isBlank(accessKey) ? null : accessKey;
        if (apiKey == null && (accessKey == null || secretKey == null)) {
            throw new IllegalArgumentException("klingrelay.kling.accounts[" + id + "]: set api-key (or api-key-file), "
                    + "or both access-key and secret-key (or secret-key-file)");
        }
        if ((accessKey == null) != (secretKey == null)) {
            throw new IllegalArgumentException("klingrelay.kling.accounts[" + id
                    + "]: access-key and secret-key go together");
        }
        baseUrl = withoutTrailingSlash(baseUrl);
    }

    /**
     * An AK/SK account on the default base URL (the shape before API keys and regions).
     *
     * @param id               our name for the account
     * @param accessKey        Kling AccessKey
     * @param secretKey        Kling SecretKey
     * @param concurrencyLimit tasks the account may run at once
     */
    public KlingAccount(String id, String accessKey, String secretKey, int concurrencyLimit) {
        this(id, accessKey, secretKey, concurrencyLimit, null, null, null, null);
    }

    /**
     * @param id               our name for the account
     * @param apiKey           the static API key
     * @param concurrencyLimit tasks the account may run at once
     * @param baseUrl          the account's API root, or null for the default
     * @return an API-key account
     */
    public static KlingAccount withApiKey(String id, String apiKey, int concurrencyLimit, @Nullable URI baseUrl) {
        return new KlingAccount(id, null, null, concurrencyLimit, apiKey, null, null, baseUrl);
    }

    /** @return whether the account has an API key, the credential the 2026 surface requires (§3.3) */
    public boolean hasApiKey() {
        return apiKey != null;
    }

    /** @return whether the account has an AccessKey/SecretKey pair to sign JWTs with (§3.2) */
    public boolean hasAccessKeys() {
        return accessKey != null && secretKey != null;
    }

    /**
     * @param defaultBaseUrl {@code klingrelay.kling.base-url}
     * @return this account's API root, or the default when it has none
     */
    public URI baseUrlOr(URI defaultBaseUrl) {
        return baseUrl != null ? baseUrl : defaultBaseUrl;
    }

    /**
     * @param defaultBaseUrl the base URL to use when this account has none
     * @return this account with its base URL set
     */
    public KlingAccount withDefaultBaseUrl(URI defaultBaseUrl) {
        return baseUrl != null ? this : new KlingAccount(id, accessKey, secretKey, concurrencyLimit, apiKey, null, null,
                defaultBaseUrl);
    }

    /** Keeps every key out of logs: the AccessKey is shown by its first 4 characters only. */
    @Override
    public String toString() {
        String shownAccessKey = accessKey == null ? "none" : accessKey.length() < 8 ? "****" : accessKey.substring(0, 4) + "****";
        return "KlingAccount[id=" + id + ", accessKey=" + shownAccessKey + ", secretKey=" + (secretKey == null ? "none" : "****")
                + ", apiKey=" + (apiKey == null ? "none" : "****") + ", baseUrl=" + baseUrl + ", concurrencyLimit="
                + concurrencyLimit + "]";
    }

    private static boolean isBlank(@Nullable String value) {
        return value == null || value.isBlank();
    }

    private static @Nullable URI withoutTrailingSlash(@Nullable URI uri) {
        if (uri == null || uri.toString().isBlank()) {
            return null;
        }
        String url = uri.toString();
        return url.endsWith("/") ? URI.create(url.substring(0, url.length() - 1)) : uri;
    }

    /** The message names the account, the key and the path, never the file's content. */
    private static @Nullable String readSecret(@Nullable Path file, @Nullable String id, String key) {
        if (file == null) {
            return null;
        }
        try {
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) {
                throw new IllegalArgumentException("klingrelay.kling.accounts[" + id + "]." + key + ": " + file + " is empty");
            }
            return value;
        } catch (IOException e) {
            throw new IllegalArgumentException("klingrelay.kling.accounts[" + id + "]." + key + ": cannot read " + file
                    + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }
}
