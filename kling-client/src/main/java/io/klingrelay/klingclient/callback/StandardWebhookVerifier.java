package io.klingrelay.klingclient.callback;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Verifies Kling's optional 2026 callback signature, which follows Standard Webhooks
 * (kling-api.md §11.3): {@code webhook-signature} holds one or more space-separated
 * {@code v1,<base64>} entries, each Base64(HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<raw body>"))
 * with key = Base64-decode of the secret after stripping {@code whsec_}; the timestamp (Unix
 * seconds) must lie within the tolerance of now. Comparison is constant-time. Thread-safe.
 */
public final class StandardWebhookVerifier {

    private static final String SECRET_PREFIX = "whsec_";

    private final byte[] key;
    private final Duration tolerance;
    private final Clock clock;

    /**
     * @param secret    the {@code whsec_…} secret
     * @param tolerance the accepted clock difference (5 min per the docs)
     * @param clock     the time source
     * @throws IllegalArgumentException when the secret is not Base64 after the prefix
     */
    public StandardWebhookVerifier(String secret, Duration tolerance, Clock clock) {
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        this.key = Base64.getDecoder().decode(encoded);
        this.tolerance = tolerance;
        this.clock = clock;
    }

    /**
     * @param webhookId        the {@code webhook-id} header
     * @param webhookTimestamp the {@code webhook-timestamp} header, Unix seconds
     * @param rawBody          the exact body bytes
     * @return the {@code v1,<base64>} signature this key gives
     */
    public String sign(String webhookId, String webhookTimestamp, byte[] rawBody) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((webhookId + "." + webhookTimestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(rawBody));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /**
     * @param webhookId        the {@code webhook-id} header, or null when absent
     * @param webhookTimestamp the {@code webhook-timestamp} header, or null when absent
     * @param signatureHeader  the {@code webhook-signature} header, or null when absent
     * @param rawBody          the exact body bytes
     * @return whether the headers are present, the timestamp is within tolerance and one
     *         {@code v1} entry matches
     */
    public boolean verify(@Nullable String webhookId, @Nullable String webhookTimestamp,
            @Nullable String signatureHeader, byte[] rawBody) {
        if (webhookId == null || webhookTimestamp == null || signatureHeader == null || !isFresh(webhookTimestamp)) {
            return false;
        }
        byte[] expected = sign(webhookId, webhookTimestamp, rawBody).getBytes(StandardCharsets.UTF_8);
        for (String entry : signatureHeader.trim().split(" +")) {
            if (entry.startsWith("v1,") && MessageDigest.isEqual(expected, entry.getBytes(StandardCharsets.UTF_8))) {
                return true;
            }
        }
        return false;
    }

    private boolean isFresh(String webhookTimestamp) {
        try {
            Instant sent = Instant.ofEpochSecond(Long.parseLong(webhookTimestamp.trim()));
            return Duration.between(sent, clock.instant()).abs().compareTo(tolerance) <= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Keeps the key out of logs. */
    @Override
    public String toString() {
        return "StandardWebhookVerifier[key=****, tolerance=" + tolerance + "]";
    }
}
