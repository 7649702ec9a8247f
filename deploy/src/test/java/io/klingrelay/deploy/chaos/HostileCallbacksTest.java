package io.klingrelay.deploy.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which hostile callbacks may lose their answer to a connection reset: only those the receiver refuses
 * without reading them whole (Tomcat answers 400 to a head over its cap, the receiver 404/413 to a body
 * over its cap, then closes with bytes unread, and the kernel resets the connection). Any other callback
 * without an answer still counts against "no 5xx".
 */
class HostileCallbacksTest {

    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");
    private static final byte[] SMALL_BODY = "{\"task_id\":\"1\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void aHeaderOf64KibIsOverTheReceiversHeadCap() {
        assertThat(HostileCallbacks.overReceiverCaps("/callbacks/acc/req/token",
                Map.of("Content-Type", "application/json", "X-Absurd", "a".repeat(64 * 1024)), SMALL_BODY)).isTrue();
    }

    @Test
    void aPathWithATenKilobyteIdIsOverTheReceiversHeadCap() {
        assertThat(HostileCallbacks.overReceiverCaps("/callbacks/acc/" + "r".repeat(10_000) + "/token", JSON,
                SMALL_BODY)).isTrue();
    }

    @Test
    void aBodyOverSixtyFourKibIsOverTheReceiversBodyCap() {
        assertThat(HostileCallbacks.overReceiverCaps("/callbacks/acc/req/token", JSON, new byte[64 * 1024 + 1]))
                .isTrue();
    }

    @Test
    void anOrdinaryForgedCallbackIsWithinTheCapsSoAMissingAnswerCountsAsA5xx() {
        assertThat(HostileCallbacks.overReceiverCaps("/callbacks/acc/req/token", JSON, SMALL_BODY)).isFalse();
        assertThat(HostileCallbacks.overReceiverCaps("/callbacks/acc/req/token",
                Map.of("Content-Type", "multipart/form-data; boundary=" + "-".repeat(2000)), new byte[64 * 1024]))
                .isFalse();
    }
}
