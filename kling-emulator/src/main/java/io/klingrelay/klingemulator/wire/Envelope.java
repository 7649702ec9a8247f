package io.klingrelay.klingemulator.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
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
        return new Envelope(0, "SUCCEED", newRequestId(), data);
    }

    public static Envelope error(KlingCode code, String message) {
        return new Envelope(code.code(), message, newRequestId(), null);
    }

    /** A random (version 4 layout) UUID; request ids need no SecureRandom, and it is the hot path. */
    static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }
}
