package io.klingrelay.klingemulator.wire;

import org.jspecify.annotations.Nullable;

/** An error reply: {@code {code, message, request_id}} with the status of {@link KlingCode}. */
public class KlingApiException extends RuntimeException {

    private final KlingCode klingCode;
    private final @Nullable String accountId;

    public KlingApiException(KlingCode klingCode, String message) {
        this(klingCode, message, null);
    }

    /** @param accountId the account the error belongs to when the request carried none yet (e.g. 1004) */
    public KlingApiException(KlingCode klingCode, String message, @Nullable String accountId) {
        super(message, null, false, false);
        this.klingCode = klingCode;
        this.accountId = accountId;
    }

    public KlingCode klingCode() {
        return klingCode;
    }

    public @Nullable String accountId() {
        return accountId;
    }

    public static KlingApiException invalidParameter(String message) {
        return new KlingApiException(KlingCode.INVALID_PARAMETER, message);
    }
}
