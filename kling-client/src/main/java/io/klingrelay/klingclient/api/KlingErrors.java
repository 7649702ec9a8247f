package io.klingrelay.klingclient.api;

import io.klingrelay.common.error.AccountException;
import io.klingrelay.common.error.CapacityException;
import io.klingrelay.common.error.KlingRelayException;
import io.klingrelay.common.error.PermanentException;
import io.klingrelay.common.error.TransientException;
import org.jspecify.annotations.Nullable;

/**
 * The one place that maps Kling's answers to error kinds (STYLE.md 11), from the code table in
 * kling-api.md §12.1 and the budgets in ARCHITECTURE.md "Error classes have different budgets".
 * Both the HTTP status and the service code are considered: the code wins when known (a 200
 * carrying a non-zero code has been reported, §4.1); the HTTP status decides otherwise.
 */
public final class KlingErrors {

    private KlingErrors() {
    }

    /**
     * @param code a Kling service code
     * @return whether it is one of the authentication codes 1000–1004, after which the client
     *         re-signs its token once before treating the account as broken
     */
    public static boolean isAuthentication(int code) {
        return code >= 1000 && code <= 1004;
    }

    /**
     * Whether an answer to a query by {@code task_id} or {@code external_task_id} is Kling saying
     * the task does not exist: 404 with 1203 ("requested resource does not exist") or 400 with
     * 1201, which some deployments answer for an unknown id (kling-api.md §12.1, §17 item 3,
     * §19 item 37). Only meaningful for an answer that {@link #isKlingEnvelope is Kling's envelope};
     * everything else (another code, a bare 404, a timeout) leaves the task's existence unknown.
     *
     * @param httpStatus the HTTP status
     * @param code       Kling's {@code code}, null when the body had none
     * @return true only for those two pairs
     */
    public static boolean isTaskAbsent(int httpStatus, @Nullable Integer code) {
        return code != null && ((code == 1203 && httpStatus == 404) || (code == 1201 && httpStatus == 400));
    }

    /**
     * Whether a parsed body is Kling's own envelope (kling-api.md §4.1): an integer {@code code} and a
     * {@code request_id}. A gateway's or proxy's JSON error page lacks them.
     *
     * @param body the parsed answer body
     * @return true when both fields are there
     */
    public static boolean isKlingEnvelope(tools.jackson.databind.JsonNode body) {
        return body.isObject() && body.hasNonNull("code") && body.get("code").isIntegralNumber()
                && body.hasNonNull("request_id");
    }

    /**
     * Classifies one error answer.
     *
     * @param httpStatus the HTTP status (0 when none)
     * @param code       Kling's {@code code}, or null when the body had none
     * @param message    Kling's {@code message} (shown to users, never secret)
     * @param taskId     the task concerned, when known
     * @return the exception to throw
     */
    public static KlingRelayException classify(int httpStatus, @Nullable Integer code, @Nullable String message,
            @Nullable String taskId) {
        String detail = "Kling refused: " + (message == null || message.isBlank() ? "no message" : message);
        if (code != null) {
            KlingRelayException byCode = byCode(code, httpStatus, detail, taskId);
            if (byCode != null) {
                return byCode;
            }
        }
        return byHttpStatus(httpStatus, code, detail, taskId);
    }

    private static @Nullable KlingRelayException byCode(int code, int httpStatus, String detail, @Nullable String taskId) {
        if (isAuthentication(code) || (code >= 1100 && code <= 1103) || code == 1304) {
            return new AccountException(detail, code, httpStatus, taskId, null);
        }
        if ((code >= 1200 && code <= 1203) || code == 1300 || code == 1301) {
            return new PermanentException(detail, code, httpStatus, taskId, null);
        }
        if (code == 1303) {
            return new CapacityException(detail, code, httpStatus, taskId, null);
        }
        if (code == 1302 || (code >= 5000 && code <= 5002)) {
            return new TransientException(detail, code, httpStatus, taskId, null);
        }
        return null;
    }

    private static KlingRelayException byHttpStatus(int httpStatus, @Nullable Integer code, String detail,
            @Nullable String taskId) {
        if (httpStatus >= 500 || httpStatus == 429 || httpStatus == 408 || httpStatus == 0) {
            return new TransientException(detail, code, httpStatus, taskId, null);
        }
        if (httpStatus == 401 || httpStatus == 403) {
            return new AccountException(detail, code, httpStatus, taskId, null);
        }
        return new PermanentException(detail, code, httpStatus, taskId, null);
    }
}
