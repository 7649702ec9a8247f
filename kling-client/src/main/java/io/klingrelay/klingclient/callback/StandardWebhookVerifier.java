package io.klingrelay.klingclient.callback;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Verifies Kling's optional 2026 callback signature, which follows Standard Webhooks
 * (kling-api.md §11.3, §19 items 48–50): {@code webhook-signature} holds one or more
 * space-separated {@code v1,<base64>} entries, each Base64(HMAC-SHA256(key,
 * "<webhook-id>.<webhook-timestamp>.<raw body>")) with key = Base64-decode of the secret after
 * stripping {@code whsec_}; the timestamp (Unix seconds) must lie within the tolerance of now.
 *
 * <p>Several secrets may be active at once (a rotation on our side): the first one signs, and a
 * delivery verifies when any {@code v1} entry matches under any secret (a rotation on Kling's
 * side sends two entries during its 7-day grace period). Every comparison is constant-time and
 * every entry is compared against every secret, so the time taken does not tell which matched.
 * Header values are parsed without arithmetic on untrusted numbers: a value that does not parse
 * is {@link SignatureCheck#MALFORMED}, never an exception. Thread-safe.
 */
public final class StandardWebhookVerifier {

    /** The longest {@code webhook-id} accepted, in characters (Standard Webhooks ids are ~30). */
    public static final int MAX_WEBHOOK_ID_LENGTH = 256;
    /** The most digits a {@code webhook-timestamp} may have (12 digits reach the year 33658). */
    public static final int MAX_TIMESTAMP_DIGITS = 12;
    /** The most entries a {@code webhook-signature} header may hold. */
    public static final int MAX_SIGNATURE_ENTRIES = 8;

    private static final String SECRET_PREFIX = "whsec_";
    private static final String V1 = "v1";
    private static final Pattern WEBHOOK_ID = Pattern.compile("[\\x21-\\x7E]{1," + MAX_WEBHOOK_ID_LENGTH + "}");
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1," + MAX_TIMESTAMP_DIGITS + "}");
    private static final Pattern ENTRY = Pattern.compile("[a-z0-9]{1,8},[A-Za-z0-9+/]{1,512}={0,2}");

    private final List<byte[]> keys;
    private final Duration tolerance;
    private final Clock clock;

    /**
     * @param secret    the {@code whsec_…} secret
     * @param tolerance the accepted clock difference (5 min per the docs)
     * @param clock     the time source
     * @throws IllegalArgumentException when the secret is not Base64 after the prefix
     */
    public StandardWebhookVerifier(String secret, Duration tolerance, Clock clock) {
        this(List.of(secret), tolerance, clock);
    }

    /**
     * @param secrets   the active {@code whsec_…} secrets, the current one first (it signs)
     * @param tolerance the accepted clock difference (5 min per the docs)
     * @param clock     the time source
     * @throws IllegalArgumentException when there is no secret or one is not Base64 after the
     *         prefix (the message never quotes a secret)
     */
    public StandardWebhookVerifier(List<String> secrets, Duration tolerance, Clock clock) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one webhook secret is required");
        }
        List<byte[]> decoded = new ArrayList<>();
        for (String secret : secrets) {
            decoded.add(decode(secret));
        }
        this.keys = List.copyOf(decoded);
        this.tolerance = tolerance;
        this.clock = clock;
    }

    private static byte[] decode(String secret) {
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        try {
            return Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            // no cause: the decoder's message quotes a character of the secret
            throw new IllegalArgumentException("webhook secret must be whsec_<base64>");
        }
    }

    /**
     * Signs with the current (first) secret.
     *
     * @param webhookId        the {@code webhook-id} header
     * @param webhookTimestamp the {@code webhook-timestamp} header, Unix seconds
     * @param rawBody          the exact body bytes
     * @return the {@code v1,<base64>} signature this key gives
     */
    public String sign(String webhookId, String webhookTimestamp, byte[] rawBody) {
        return sign(keys.getFirst(), webhookId, webhookTimestamp, rawBody);
    }

    private static String sign(byte[] key, String webhookId, String webhookTimestamp, byte[] rawBody) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((webhookId + "." + webhookTimestamp + ".").getBytes(StandardCharsets.UTF_8));
            return V1 + "," + Base64.getEncoder().encodeToString(mac.doFinal(rawBody));
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
     *         {@code v1} entry matches under one active secret
     */
    public boolean verify(@Nullable String webhookId, @Nullable String webhookTimestamp,
            @Nullable String signatureHeader, byte[] rawBody) {
        return check(webhookId, webhookTimestamp, signatureHeader, rawBody) == SignatureCheck.VALID;
    }

    /**
     * Checks one delivery. A header that is present but malformed wins over a missing one, so a
     * receiver can tell a broken sender (400) from an unsigned or forged delivery (401).
     *
     * @param webhookId        the {@code webhook-id} header, or null when absent
     * @param webhookTimestamp the {@code webhook-timestamp} header (Unix seconds), or null when absent
     * @param signatureHeader  the {@code webhook-signature} header, or null when absent
     * @param rawBody          the exact body bytes
     * @return the verdict; never throws on any header value
     */
    public SignatureCheck check(@Nullable String webhookId, @Nullable String webhookTimestamp,
            @Nullable String signatureHeader, byte[] rawBody) {
        if (isMalformed(webhookId, WEBHOOK_ID) || isMalformed(webhookTimestamp, TIMESTAMP)
                || (signatureHeader != null && entries(signatureHeader).isEmpty())) {
            return SignatureCheck.MALFORMED;
        }
        if (webhookId == null || webhookTimestamp == null || signatureHeader == null || !isFresh(webhookTimestamp)) {
            return SignatureCheck.INVALID;
        }
        return anyEntryMatches(webhookId, webhookTimestamp, entries(signatureHeader), rawBody)
                ? SignatureCheck.VALID : SignatureCheck.INVALID;
    }

    private static boolean isMalformed(@Nullable String value, Pattern shape) {
        return value != null && !shape.matcher(value).matches();
    }

    /** @return the well-formed entries, or empty when any entry is malformed or there are too many */
    private static List<String> entries(String signatureHeader) {
        String trimmed = signatureHeader.strip();
        if (trimmed.isEmpty() || trimmed.length() > MAX_SIGNATURE_ENTRIES * 600) {
            return List.of();
        }
        List<String> entries = List.of(trimmed.split(" +"));
        boolean wellFormed = entries.size() <= MAX_SIGNATURE_ENTRIES
                && entries.stream().allMatch(entry -> ENTRY.matcher(entry).matches());
        return wellFormed ? entries : List.of();
    }

    /** Only called on a timestamp of at most {@value #MAX_TIMESTAMP_DIGITS} digits: no overflow. */
    private boolean isFresh(String webhookTimestamp) {
        long sent = Long.parseLong(webhookTimestamp);
        long now = clock.instant().getEpochSecond();
        return Math.abs(now - sent) <= tolerance.toSeconds();
    }

    private boolean anyEntryMatches(String webhookId, String webhookTimestamp, List<String> entries, byte[] rawBody) {
        boolean matched = false;
        for (byte[] key : keys) {
            byte[] expected = sign(key, webhookId, webhookTimestamp, rawBody).getBytes(StandardCharsets.US_ASCII);
            for (String entry : entries) {
                boolean equal = MessageDigest.isEqual(expected, entry.getBytes(StandardCharsets.US_ASCII));
                matched |= entry.startsWith(V1 + ",") & equal;
            }
        }
        return matched;
    }

    /** @return the number of active secrets */
    public int secretCount() {
        return keys.size();
    }

    /** Keeps the keys out of logs. */
    @Override
    public String toString() {
        return "StandardWebhookVerifier[keys=" + keys.size() + "x****, tolerance=" + tolerance + "]";
    }
}
