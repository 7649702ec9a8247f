package io.klingrelay.common.error;

import org.jspecify.annotations.Nullable;

/**
 * The account cannot work at the moment: Kling codes 1000–1004 (after one re-sign), 1100–1103
 * and 1304. Pause the whole account, keep its requests queued, and probe before resuming.
 */
public non-sealed class AccountException extends KlingRelayException {

    /**
     * @param detail     what happened, without secrets
     * @param klingCode  Kling's service code, or null when not from Kling
     * @param httpStatus the HTTP status, or 0 when there was no HTTP answer
     * @param taskId     Kling's {@code task_id} when one is concerned
     * @param cause      the underlying error, may be null
     */
    public AccountException(String detail, @Nullable Integer klingCode, int httpStatus, @Nullable String taskId,
            @Nullable Throwable cause) {
        super(detail, klingCode, httpStatus, taskId, cause);
    }

    /** @param detail what happened, without secrets */
    public AccountException(String detail) {
        this(detail, null, 0, null, null);
    }

    /**
     * @param detail what happened, without secrets
     * @param cause  the underlying error
     */
    public AccountException(String detail, Throwable cause) {
        this(detail, null, 0, null, cause);
    }
}
