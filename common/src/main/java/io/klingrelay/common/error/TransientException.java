package io.klingrelay.common.error;

import org.jspecify.annotations.Nullable;

/**
 * Retry with exponential backoff and full jitter within a bounded budget: Kling codes 1302,
 * 5000–5002, timeouts, connection errors, Redis or S3 unavailable. A create that failed this way
 * may still have reached Kling: query by {@code external_task_id} before re-submitting.
 */
public non-sealed class TransientException extends KlingRelayException {

    /**
     * @param detail     what happened, without secrets
     * @param klingCode  Kling's service code, or null when not from Kling
     * @param httpStatus the HTTP status, or 0 when there was no HTTP answer
     * @param taskId     Kling's {@code task_id} when one is concerned
     * @param cause      the underlying error, may be null
     */
    public TransientException(String detail, @Nullable Integer klingCode, int httpStatus, @Nullable String taskId,
            @Nullable Throwable cause) {
        super(detail, klingCode, httpStatus, taskId, cause);
    }

    /** @param detail what happened, without secrets */
    public TransientException(String detail) {
        this(detail, null, 0, null, null);
    }

    /**
     * @param detail what happened, without secrets
     * @param cause  the underlying error
     */
    public TransientException(String detail, Throwable cause) {
        this(detail, null, 0, null, cause);
    }
}
