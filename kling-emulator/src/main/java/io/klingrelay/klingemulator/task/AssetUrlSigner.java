package io.klingrelay.klingemulator.task;

import io.klingrelay.klingemulator.config.EmulatorProperties;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Signs and checks the emulator's result URLs, shaped like Kling's CDN URLs (kling-api.md §4.2, R2):
 * {@code <base>/assets/<task_id>/<index>.<ext>?Expires=<epoch s>&Signature=<hmac>&Key-Pair-Id=<id>},
 * with {@code Expires = updated_at/1000 + retention}. The signature is URL-safe Base64 of
 * HMAC-SHA256(secret, {@code "<task_id>/<index>.<ext>:<Expires>:<Key-Pair-Id>"}). Without a configured
 * {@code public-base-url} the base is the CDN connector's {@code https://<assets.cdn.host>:<port>} in CDN mode
 * ({@link AssetBaseUrl}, the asset package's CDN connector), otherwise {@code http(s)://127.0.0.1:<port>}, https when {@code server.ssl.*} is set.
 */
@Component
public class AssetUrlSigner {

    private final byte[] secret;
    private final String keyPairId;
    private final long retentionSeconds;
    private final String configuredBaseUrl;
    private final Environment environment;
    private final Clock clock;
    private final ThreadLocal<Mac> macs;
    private final @Nullable AssetBaseUrl cdn;

    public AssetUrlSigner(EmulatorProperties properties, Environment environment, Clock clock) {
        this(properties, environment, clock, null);
    }

    /** @param cdn the CDN connector when CDN mode is on: it then gives the base of the URLs */
    @Autowired
    public AssetUrlSigner(EmulatorProperties properties, Environment environment, Clock clock,
            @Nullable ObjectProvider<AssetBaseUrl> cdn) {
        this(secretOf(properties.assetSigningSecret()), properties.assetKeyPairId(),
                properties.assetRetention().toSeconds(), properties.publicBaseUrl(), environment, clock, cdn);
    }

    AssetUrlSigner(byte[] secret, String keyPairId, long retentionSeconds, String baseUrl, Environment environment, Clock clock) {
        this(secret, keyPairId, retentionSeconds, baseUrl, environment, clock, null);
    }

    private AssetUrlSigner(byte[] secret, String keyPairId, long retentionSeconds, String baseUrl,
            Environment environment, Clock clock, @Nullable ObjectProvider<AssetBaseUrl> cdn) {
        this.cdn = cdn == null ? null : cdn.getIfAvailable();
        this.secret = secret.clone();
        this.keyPairId = keyPairId;
        this.retentionSeconds = retentionSeconds;
        this.configuredBaseUrl = stripSlash(baseUrl);
        this.environment = environment;
        this.clock = clock;
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** @return the signed URL of {@code <taskId>/<index>.<extension>} */
    public String url(String taskId, int index, String extension, long updatedAtMillis) {
        return url(taskId, Integer.toString(index), extension, updatedAtMillis);
    }

    /** @return the signed URL of {@code <taskId>/<name>.<extension>} */
    public String url(String taskId, String index, String extension, long updatedAtMillis) {
        String file = taskId + "/" + index + "." + extension;
        long expires = expires(updatedAtMillis);
        return baseUrl() + "/assets/" + file + "?Expires=" + expires + "&Signature=" + sign(file, expires)
                + "&Key-Pair-Id=" + keyPairId;
    }

    /** @return Expires in epoch seconds for a task updated at {@code updatedAtMillis} */
    public long expires(long updatedAtMillis) {
        return updatedAtMillis / 1000 + retentionSeconds;
    }

    /** @return the outcome of checking a request for {@code file} ({@code <task_id>/<index>.<ext>}) */
    public Verdict verify(String file, long expires, String signature, String requestKeyPairId) {
        boolean signed = keyPairId.equals(requestKeyPairId)
                && MessageDigest.isEqual(sign(file, expires).getBytes(StandardCharsets.US_ASCII),
                        signature.getBytes(StandardCharsets.US_ASCII));
        if (!signed) {
            return Verdict.BAD_SIGNATURE;
        }
        return clock.millis() / 1000 > expires ? Verdict.EXPIRED : Verdict.VALID;
    }

    String sign(String file, long expires) {
        byte[] input = (file + ":" + expires + ":" + keyPairId).getBytes(StandardCharsets.UTF_8);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(macs.get().doFinal(input));
    }

    private String baseUrl() {
        if (!configuredBaseUrl.isEmpty()) {
            return configuredBaseUrl;
        }
        if (cdn != null) {
            return cdn.baseUrl();
        }
        String scheme = sslConfigured() ? "https" : "http";
        return scheme + "://127.0.0.1:"
                + environment.getProperty("local.server.port", environment.getProperty("server.port", "8090"));
    }

    /** Spring Boot serves HTTPS when {@code server.ssl.*} names a key store, a certificate or an SSL bundle. */
    private boolean sslConfigured() {
        boolean enabled = environment.getProperty("server.ssl.enabled", Boolean.class, true);
        return enabled && (environment.containsProperty("server.ssl.key-store")
                || environment.containsProperty("server.ssl.certificate")
                || environment.containsProperty("server.ssl.bundle"));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] secretOf(String configured) {
        if (!configured.isBlank()) {
            return configured.getBytes(StandardCharsets.UTF_8);
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return random;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String toString() {
        return "AssetUrlSigner[keyPairId=" + keyPairId + ", secret=****]";
    }

    /** Result of {@link #verify}. */
    public enum Verdict {
        VALID,
        BAD_SIGNATURE,
        EXPIRED
    }
}
