package io.klingrelay.webhookreceiver.callback;

import io.klingrelay.common.redis.RedisKeys;

/**
 * Makes an untrusted path value fit for a log line: a value that passes {@link RedisKeys#isSafeId}
 * is returned as is; any other is cut to {@value #MAX_SHOWN} characters, every character outside
 * {@code A-Z a-z 0-9 . _ : -} becomes {@code ?}, and its length is appended, so a CR/LF cannot
 * forge a line and a 5 KB value cannot flood the log. Never pass a token or a secret.
 */
final class LogSafe {

    /** How many characters of an unsafe value are shown. */
    static final int MAX_SHOWN = 32;

    private LogSafe() {
    }

    /**
     * @param value an account or request id taken from a path
     * @return the value, or its sanitised, length-capped form, e.g. {@code acct??fake…[22 chars]}
     */
    static String id(String value) {
        if (RedisKeys.isSafeId(value)) {
            return value;
        }
        StringBuilder shown = new StringBuilder();
        value.codePoints().limit(MAX_SHOWN).forEach(c -> shown.append(isPlain(c) ? (char) c : '?'));
        return shown + "…[" + value.length() + " chars]";
    }

    private static boolean isPlain(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
                || c == ':' || c == '-';
    }
}
