package io.klingrelay.klingemulator.callback;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signing as Kling added it on 2026-08-07 (kling-api.md §11.3): key = Base64-decode
 * of the secret after {@code whsec_}; signature = {@code v1,} + Base64(HMAC-SHA256(key,
 * "<webhook-id>.<webhook-timestamp>.<raw body>")).
 */
public final class WebhookSigner {

    private static final String PREFIX = "whsec_";

    private final SecretKeySpec key;

    /** @param secret {@code whsec_<base64>} */
    public WebhookSigner(String secret) {
        if (!secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("webhook secret must start with " + PREFIX);
        }
        this.key = new SecretKeySpec(Base64.getDecoder().decode(secret.substring(PREFIX.length())), "HmacSHA256");
    }

    /**
     * @param webhookId the {@code webhook-id} header
     * @param timestampSeconds the {@code webhook-timestamp} header (Unix seconds)
     * @param body the exact bytes sent
     * @return the {@code webhook-signature} header value
     */
    public String sign(String webhookId, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update((webhookId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "WebhookSigner[key=****]";
    }
}
