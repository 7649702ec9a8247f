package io.klingrelay.klingclient.callback;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The per-task callback URL and its unguessable token (ARCHITECTURE.md "Callbacks are untrusted
 * until proven"): {@code <base>/callbacks/<accountId>/<requestId>/<token>}, where the token is
 * the unpadded base64url HMAC-SHA256 of {@code "<accountId>/<requestId>"} under the server's
 * callback secret. Kling's legacy callbacks carry no signature (kling-api.md §11.3), so the URL
 * itself is the credential: never log it. Thread-safe.
 */
public final class CallbackTokens {

    /** The path segment before the account id. */
    public static final String PATH_PREFIX = "/callbacks/";

    private final byte[] secret;

    /** @param secret the callback secret (at least 32 characters) */
    public CallbackTokens(String secret) {
        if (secret == null || secret.length() < 32) {
            throw new IllegalArgumentException("callback secret must be at least 32 characters");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param accountId the account
     * @param requestId the request
     * @return the token, 43 base64url characters
     */
    public String token(String accountId, String requestId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] digest = mac.doFinal((accountId + "/" + requestId).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /**
     * @param baseUrl   the webhook receiver's public base URL
     * @param accountId the account
     * @param requestId the request
     * @return the {@code callback_url} to send with the create call
     */
    public URI callbackUrl(URI baseUrl, String accountId, String requestId) {
        String base = baseUrl.toString().endsWith("/") ? baseUrl.toString().substring(0, baseUrl.toString().length() - 1)
                : baseUrl.toString();
        return URI.create(base + PATH_PREFIX + accountId + "/" + requestId + "/" + token(accountId, requestId));
    }

    /**
     * Constant-time check of a token taken from a callback path.
     *
     * @param accountId the account from the path
     * @param requestId the request from the path
     * @param token     the token from the path
     * @return whether it is the token this secret issues for that account and request
     */
    public boolean verify(String accountId, String requestId, String token) {
        byte[] expected = token(accountId, requestId).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.US_ASCII));
    }

    /** Keeps the secret out of logs. */
    @Override
    public String toString() {
        return "CallbackTokens[secret=****]";
    }
}
