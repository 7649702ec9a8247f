package io.klingrelay.common.error;

import org.jspecify.annotations.Nullable;

/**
 * Root of the project's error hierarchy (STYLE.md 11, ARCHITECTURE.md "Error classes have
 * different budgets"). Sealed, so a {@code switch} over the kind is exhaustive:
 * <ul>
 *   <li>{@link PermanentException}: fail the request at once with the provider's code and message;</li>
 *   <li>{@link TransientException}: retry with exponential backoff and full jitter, bounded attempts;</li>
 *   <li>{@link CapacityException}: Kling's 1303; requeue at the head, shrink the limit, spend no attempt;</li>
 *   <li>{@link AccountException}: the account cannot work now; pause it and probe before resuming.</li>
 * </ul>
 * Messages never contain secrets, tokens or signed URLs.
 */
public sealed abstract class KlingRelayException extends RuntimeException
        permits PermanentException, TransientException, CapacityException, AccountException {

    private final @Nullable Integer klingCode;
    private final int httpStatus;
    private final @Nullable String taskId;

    /**
     * @param detail     what happened, without secrets
     * @param klingCode  Kling's service code (kling-api.md §12), or null when not from Kling
     * @param httpStatus the HTTP status, or 0 when there was no HTTP answer
     * @param taskId     Kling's {@code task_id} when one is concerned
     * @param cause      the underlying error, may be null
     */
    protected KlingRelayException(String detail, @Nullable Integer klingCode, int httpStatus,
            @Nullable String taskId, @Nullable Throwable cause) {
        super(buildMessage(detail, klingCode, httpStatus, taskId), cause);
        this.klingCode = klingCode;
        this.httpStatus = httpStatus;
        this.taskId = taskId;
    }

    private static String buildMessage(String detail, @Nullable Integer klingCode, int httpStatus,
            @Nullable String taskId) {
        StringBuilder message = new StringBuilder(detail);
        if (klingCode != null) {
            message.append(" (kling code ").append(klingCode);
            if (httpStatus > 0) {
                message.append(", HTTP ").append(httpStatus);
            }
            message.append(')');
        } else if (httpStatus > 0) {
            message.append(" (HTTP ").append(httpStatus).append(')');
        }
        if (taskId != null) {
            message.append(" [task_id ").append(taskId).append(']');
        }
        return message.toString();
    }

    /** @return Kling's service code, or null when the error did not come from Kling */
    public @Nullable Integer klingCode() {
        return klingCode;
    }

    /** @return the HTTP status, or 0 when there was no HTTP answer (timeout, connection error) */
    public int httpStatus() {
        return httpStatus;
    }

    /** @return Kling's {@code task_id}, when one is concerned */
    public @Nullable String taskId() {
        return taskId;
    }
}
