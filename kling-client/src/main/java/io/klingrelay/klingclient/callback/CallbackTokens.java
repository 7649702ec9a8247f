package io.klingrelay.klingclient.callback;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The per-task callback URL and its unguessable token (ARCHITECTURE.md "Callbacks are untrusted
 * until proven"): {@code <base>/callbacks/<accountId>/<requestId>/<token>}, where the token is
 * the unpadded base64url HMAC-SHA256 of {@code "<accountId>/<requestId>"} under the server's
 * callback secret. Kling's legacy callbacks carry no signature (kling-api.md §11.3), so the URL
 * itself is the credential: never log it.
 *
 * <p>Several secrets may be active during a rotation: the current one issues tokens, and a token
 * verifies when any active secret issued it (each compared in constant time, all of them every
 * time). Thread-safe.
 */
public final class CallbackTokens {

    /** The path segment before the account id. */
    public static final String PATH_PREFIX = "/callbacks/";

    /** The length of every token: 32 HMAC bytes as unpadded base64url. */
    public static final int TOKEN_LENGTH = 43;

    private static final Pattern TOKEN_SHAPE = Pattern.compile("[A-Za-z0-9_-]{" + TOKEN_LENGTH + "}");
    private static final int MIN_SECRET_LENGTH = 32;

    private final byte[] secret;
    private final List<byte[]> previousSecrets;

    /**
     * @param secret the callback secret (at least 32 characters)
     * @throws IllegalArgumentException when the secret is shorter (the message never quotes it)
     */
    public CallbackTokens(String secret) {
        this(secret, List.of());
    }

    /**
     * @param secret          the current callback secret, which issues tokens (at least 32 characters)
     * @param previousSecrets earlier secrets whose tokens still verify (each at least 32 characters)
     * @throws IllegalArgumentException when a secret is shorter (the message never quotes it)
     */
    public CallbackTokens(String secret, List<String> previousSecrets) {
        this.secret = bytesOf(secret);
        List<byte[]> previous = new ArrayList<>();
        for (String each : previousSecrets) {
            previous.add(bytesOf(each));
        }
        this.previousSecrets = List.copyOf(previous);
    }

    private static byte[] bytesOf(String secret) {
        if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("callback secret must be at least " + MIN_SECRET_LENGTH + " characters");
        }
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param token a token taken from a callback path
     * @return whether it has the shape every token has ({@value #TOKEN_LENGTH} base64url characters);
     *         says nothing about whether it verifies
     */
    public static boolean isWellFormed(String token) {
        return token != null && TOKEN_SHAPE.matcher(token).matches();
    }

    /**
     * @param accountId the account
     * @param requestId the request
     * @return the token, 43 base64url characters
     */
    public String token(String accountId, String requestId) {
        return token(secret, accountId, requestId);
    }

    private static String token(byte[] secret, String accountId, String requestId) {
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
     * Constant-time check of a token taken from a callback path, against every active secret.
     *
     * @param accountId the account from the path
     * @param requestId the request from the path
     * @param token     the token from the path
     * @return whether it is the token the current or a previous secret issues for that account
     *         and request
     */
    public boolean verify(String accountId, String requestId, String token) {
        byte[] given = token.getBytes(StandardCharsets.US_ASCII);
        boolean matched = matches(secret, accountId, requestId, given);
        for (byte[] previous : previousSecrets) {
            matched |= matches(previous, accountId, requestId, given);
        }
        return matched;
    }

    private static boolean matches(byte[] secret, String accountId, String requestId, byte[] given) {
        return MessageDigest.isEqual(token(secret, accountId, requestId).getBytes(StandardCharsets.US_ASCII), given);
    }

    /** Keeps the secret out of logs. */
    @Override
    public String toString() {
        return "CallbackTokens[secret=****, previousSecrets=" + previousSecrets.size() + "x****]";
    }
}
