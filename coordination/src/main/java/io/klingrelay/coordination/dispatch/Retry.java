package io.klingrelay.coordination.dispatch;

import java.time.Instant;
import java.util.Objects;

/**
 * Why and when a taken request goes back to wait ({@link Dispatches#retryLater}).
 *
 * @param kind        which budget it is charged to (an attempt, a limit decrease, an account pause)
 * @param dueAt       when it may return to its queue place
 * @param mayExist    true when the failed create may have reached Kling (a timeout, a 5xx): the
 *                    next dispatch asks Kling by {@code external_task_id} before creating
 * @param pauseReason for {@link RetryKind#ACCOUNT}: why the account is paused (shown to operators,
 *                    never a secret); empty otherwise
 * @param lastError   the error that caused the retry, kept for the failure reason if the attempts
 *                    run out (never a secret); may be empty
 */
public record Retry(RetryKind kind, Instant dueAt, boolean mayExist, String pauseReason, String lastError) {

    /** Longest {@code lastError} kept, in characters. */
    public static final int MAX_ERROR_LENGTH = 500;

    public Retry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(dueAt, "dueAt");
        pauseReason = Objects.requireNonNullElse(pauseReason, "");
        lastError = truncate(Objects.requireNonNullElse(lastError, ""));
    }

    /**
     * @param dueAt     when it may return
     * @param lastError what failed
     * @return a transient retry: spends an attempt; the create may have reached Kling
     */
    public static Retry transientError(Instant dueAt, String lastError) {
        return new Retry(RetryKind.TRANSIENT, dueAt, true, "", lastError);
    }

    /**
     * @param dueAt when it may return
     * @return a 1303 retry: no attempt spent, the account's effective limit is lowered
     */
    public static Retry capacity(Instant dueAt) {
        return new Retry(RetryKind.CAPACITY, dueAt, false, "", "");
    }

    /**
     * @param dueAt  when it may return (the account pause decides when it is dispatched)
     * @param reason why the account is paused
     * @return an account-level retry: no attempt spent, the account is paused
     */
    public static Retry accountPause(Instant dueAt, String reason) {
        return new Retry(RetryKind.ACCOUNT, dueAt, false, reason, "");
    }

    private static String truncate(String value) {
        return value.length() <= MAX_ERROR_LENGTH ? value : value.substring(0, MAX_ERROR_LENGTH) + "…";
    }
}
