package io.klingrelay.klingclient.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.common.error.AccountException;
import io.klingrelay.common.error.CapacityException;
import io.klingrelay.common.error.KlingRelayException;
import io.klingrelay.common.error.PermanentException;
import io.klingrelay.common.error.TransientException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KlingErrorsTest {

    @ParameterizedTest(name = "HTTP {0} code {1} is {2}")
    @CsvSource({
            "401, 1000, account", "401, 1004, account", "429, 1100, account", "429, 1102, account",
            "403, 1103, account", "429, 1304, account",
            "400, 1200, permanent", "400, 1201, permanent", "404, 1203, permanent", "400, 1301, permanent",
            "429, 1302, transient", "500, 5000, transient", "503, 5001, transient", "504, 5002, transient",
            "429, 1303, capacity",
            "200, 1201, permanent",
            "502, , transient", "400, , permanent", "401, , account", "418, 9999, permanent"})
    void classifiesByCodeThenByHttpStatus(int httpStatus, Integer code, String kind) {
        KlingRelayException error = KlingErrors.classify(httpStatus, code, "msg", null);

        Class<?> expected = switch (kind) {
            case "account" -> AccountException.class;
            case "permanent" -> PermanentException.class;
            case "transient" -> TransientException.class;
            default -> CapacityException.class;
        };
        assertThat(error).isInstanceOf(expected);
        assertThat(error.klingCode()).isEqualTo(code);
        assertThat(error.httpStatus()).isEqualTo(httpStatus);
    }
}
