package io.klingrelay.klingclient.request;

import io.klingrelay.common.redis.RedisKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * Bounds text copied from a record we do not trust into an event, a record key, a header or a
 * log line, so that a hostile record (a 700 KB request id, say) can never make its own failure
 * event or dead-letter record too large for Kafka, nor flood a log.
 */
public final class Bounded {

    /** The longest reason an event or a header carries, in characters. */
    public static final int MAX_REASON = 1000;
    /** Characters of a long or unsafe id kept before its hash. */
    static final int ID_PREFIX = 64;
    /** Hex digits of SHA-256 appended to a shortened id. */
    static final int ID_HASH_HEX = 12;
    /** Marks a shortened id; it is not a valid request id, so it can never name a real request. */
    static final String SHORTENED = "\u2026#";

    private Bounded() {
    }

    /**
     * @param raw an id from an untrusted record (request, account or campaign id, record key)
     * @return {@code raw} when it is a valid id ({@link RedisKeys#isSafeId}: 1–128 of
     *         {@code A-Z a-z 0-9 . _ : -}); else its first 64 characters with every other character
     *         replaced by {@code _}, then {@code …#} and the first 12 hex digits of the SHA-256 of
     *         its UTF-8 bytes (at most 78 characters; the same raw id always gives the same result)
     */
    public static String id(String raw) {
        if (RedisKeys.isSafeId(raw)) {
            return raw;
        }
        return sanitise(raw.substring(0, Math.min(raw.length(), ID_PREFIX))) + SHORTENED + sha256Hex(raw);
    }

    /**
     * @param raw an id from an untrusted record, or null
     * @return null for null, else {@link #id(String)}
     */
    public static @Nullable String idOrNull(@Nullable String raw) {
        return raw == null ? null : id(raw);
    }

    /**
     * @param raw a reason that may quote untrusted text
     * @return the reason with control characters replaced by spaces, cut to {@value #MAX_REASON}
     *         characters (ending with {@code … (N characters)} when it was cut)
     */
    public static String reason(String raw) {
        return text(raw, MAX_REASON);
    }

    /**
     * @param raw      untrusted text for a reason, a header or a log line
     * @param maxChars the longest result, in characters (at least 40)
     * @return the text with control characters replaced by spaces, cut to {@code maxChars}
     */
    public static String text(String raw, int maxChars) {
        if (raw.length() <= maxChars) {
            return withoutControls(raw);
        }
        String tail = "\u2026 (" + raw.length() + " characters)";
        return withoutControls(raw.substring(0, maxChars - tail.length())) + tail;
    }

    private static String sanitise(String text) {
        StringBuilder safe = new StringBuilder(text.length());
        text.chars().forEach(c -> safe.append(isIdChar(c) ? (char) c : '_'));
        return safe.toString();
    }

    private static boolean isIdChar(int c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                || c == ':' || c == '-';
    }

    private static String withoutControls(String text) {
        StringBuilder clean = new StringBuilder(text.length());
        text.chars().forEach(c -> clean.append(Character.isISOControl(c) ? ' ' : (char) c));
        return clean.toString();
    }

    private static String sha256Hex(String raw) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, ID_HASH_HEX);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
