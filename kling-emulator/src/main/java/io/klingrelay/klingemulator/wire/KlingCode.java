package io.klingrelay.klingemulator.wire;

import org.springframework.http.HttpStatus;

/** Kling service codes with the HTTP status the real API pairs them with (kling-api.md §12.1). */
public enum KlingCode {
    AUTH_FAILED(1000, HttpStatus.UNAUTHORIZED),
    AUTH_EMPTY(1001, HttpStatus.UNAUTHORIZED),
    AUTH_INVALID(1002, HttpStatus.UNAUTHORIZED),
    AUTH_NOT_YET_VALID(1003, HttpStatus.UNAUTHORIZED),
    AUTH_EXPIRED(1004, HttpStatus.UNAUTHORIZED),
    ACCOUNT_EXCEPTION(1100, HttpStatus.TOO_MANY_REQUESTS),
    ACCOUNT_ARREARS(1101, HttpStatus.TOO_MANY_REQUESTS),
    ACCOUNT_NO_BALANCE(1102, HttpStatus.TOO_MANY_REQUESTS),
    ACCOUNT_NO_PERMISSION(1103, HttpStatus.FORBIDDEN),
    INVALID_REQUEST(1200, HttpStatus.BAD_REQUEST),
    INVALID_PARAMETER(1201, HttpStatus.BAD_REQUEST),
    INVALID_METHOD(1202, HttpStatus.NOT_FOUND),
    NOT_FOUND(1203, HttpStatus.NOT_FOUND),
    PLATFORM_POLICY(1300, HttpStatus.BAD_REQUEST),
    CONTENT_POLICY(1301, HttpStatus.BAD_REQUEST),
    RATE_LIMITED(1302, HttpStatus.TOO_MANY_REQUESTS),
    OVER_CONCURRENCY(1303, HttpStatus.TOO_MANY_REQUESTS),
    IP_WHITELIST(1304, HttpStatus.TOO_MANY_REQUESTS),
    INTERNAL(5000, HttpStatus.INTERNAL_SERVER_ERROR),
    UNAVAILABLE(5001, HttpStatus.SERVICE_UNAVAILABLE),
    TIMEOUT(5002, HttpStatus.GATEWAY_TIMEOUT);

    private final int code;
    private final HttpStatus httpStatus;

    KlingCode(int code, HttpStatus httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public int code() {
        return code;
    }

    public HttpStatus httpStatus() {
        return httpStatus;
    }

    /** @throws IllegalArgumentException for a code outside §12.1 */
    public static KlingCode of(int code) {
        for (KlingCode value : values()) {
            if (value.code == code) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown Kling code " + code);
    }
}
