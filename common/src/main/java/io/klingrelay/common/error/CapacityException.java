package io.klingrelay.common.error;

import org.jspecify.annotations.Nullable;

/**
 * Kling code 1303 ("parallel task over resource pack limit", HTTP 429): our permit count
 * disagrees with Kling's. Requeue at the head of the account's queue, shrink the account's
 * effective limit, and spend no retry attempt.
 */
public non-sealed class CapacityException extends KlingRelayException {

    /**
     * @param detail     what happened, without secrets
     * @param klingCode  Kling's service code, or null when not from Kling
     * @param httpStatus the HTTP status, or 0 when there was no HTTP answer
     * @param taskId     Kling's {@code task_id} when one is concerned
     * @param cause      the underlying error, may be null
     */
    public CapacityException(String detail, @Nullable Integer klingCode, int httpStatus, @Nullable String taskId,
            @Nullable Throwable cause) {
        super(detail, klingCode, httpStatus, taskId, cause);
    }

    /** @param detail what happened, without secrets */
    public CapacityException(String detail) {
        this(detail, null, 0, null, null);
    }

    /**
     * @param detail what happened, without secrets
     * @param cause  the underlying error
     */
    public CapacityException(String detail, Throwable cause) {
        this(detail, null, 0, null, cause);
    }
}
