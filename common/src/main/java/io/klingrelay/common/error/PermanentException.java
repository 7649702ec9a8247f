package io.klingrelay.common.error;

import org.jspecify.annotations.Nullable;

/**
 * Fail the request at once with the provider's code and message: Kling codes 1200–1203, 1300,
 * 1301, unparseable bodies, bad callback signatures.
 */
public non-sealed class PermanentException extends KlingRelayException {

    /**
     * @param detail     what happened, without secrets
     * @param klingCode  Kling's service code, or null when not from Kling
     * @param httpStatus the HTTP status, or 0 when there was no HTTP answer
     * @param taskId     Kling's {@code task_id} when one is concerned
     * @param cause      the underlying error, may be null
     */
    public PermanentException(String detail, @Nullable Integer klingCode, int httpStatus, @Nullable String taskId,
            @Nullable Throwable cause) {
        super(detail, klingCode, httpStatus, taskId, cause);
    }

    /** @param detail what happened, without secrets */
    public PermanentException(String detail) {
        this(detail, null, 0, null, null);
    }

    /**
     * @param detail what happened, without secrets
     * @param cause  the underlying error
     */
    public PermanentException(String detail, Throwable cause) {
        this(detail, null, 0, null, cause);
    }
}
