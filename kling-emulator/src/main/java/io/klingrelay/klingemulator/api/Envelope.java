package io.klingrelay.klingemulator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The Kling reply envelope (kling-api.md §4.1): {@code data} is absent on errors.
 *
 * @param code 0 on success, else a §12 code
 * @param message {@code SUCCEED} on success
 * @param requestId a fresh UUID per reply
 * @param data object, array, or null (omitted)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Envelope(
        int code,
        String message,
        @JsonProperty("request_id") String requestId,
        @Nullable Object data) {

    public static Envelope success(Object data) {
        return new Envelope(0, "SUCCEED", UUID.randomUUID().toString(), data);
    }

    public static Envelope error(KlingCode code, String message) {
        return new Envelope(code.code(), message, UUID.randomUUID().toString(), null);
    }
}
