package io.klingrelay.campaign.command;

import io.klingrelay.common.redis.RedisKeys;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ids of retries: attempt {@code n} of request {@code id} is {@code <id>.r<n>} (a retry of
 * {@code x.r1} is {@code x.r2}, never {@code x.r1.r1}), within the validator's id rules
 * ({@link RedisKeys#isSafeId}: 1–128 of {@code A-Z a-z 0-9 . _ : -}).
 */
public final class RetryIds {

    private static final Pattern RETRY = Pattern.compile("(.+)\\.r(\\d{1,4})");

    private RetryIds() {
    }

    /**
     * @param requestId a request id
     * @return the id of the first attempt ({@code x} for {@code x.r2} and for {@code x})
     */
    public static String base(String requestId) {
        Matcher matcher = RETRY.matcher(requestId);
        return matcher.matches() ? matcher.group(1) : requestId;
    }

    /**
     * @param requestId a request id
     * @return its attempt: 0 for a first attempt, n for {@code x.r<n>}
     */
    public static int attempt(String requestId) {
        Matcher matcher = RETRY.matcher(requestId);
        return matcher.matches() ? Integer.parseInt(matcher.group(2)) : 0;
    }

    /**
     * @param requestId the failed request's id
     * @return the id of its retry, or empty when that id would break the id rules (too long)
     */
    public static Optional<String> next(String requestId) {
        String next = base(requestId) + ".r" + (attempt(requestId) + 1);
        return RedisKeys.isSafeId(next) ? Optional.of(next) : Optional.empty();
    }
}
