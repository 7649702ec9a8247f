package io.klingrelay.klingclient.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class StandardWebhookVerifierTest {

    private static final String SECRET = "whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=";
    private static final byte[] BODY = ("{\"id\":\"1234567890\",\"status\":\"succeeded\",\"message\":\"\","
            + "\"create_time\":1781080778802,\"update_time\":1781080794151}").getBytes(StandardCharsets.UTF_8);
    private static final String EXPECTED = "v1,UsKlJP00XoQyOn410NM9xv34sP+Gl0jnOO9Lcpr7NJ4=";

    private final StandardWebhookVerifier verifier = new StandardWebhookVerifier(SECRET, Duration.ofMinutes(5),
            Clock.fixed(Instant.ofEpochSecond(1781080794 + 60), ZoneOffset.UTC));

    @Test
    void reproducesTheOfficialTestVector() {
        assertThat(verifier.sign("9876543210", "1781080794", BODY)).isEqualTo(EXPECTED);
    }

    @Test
    void acceptsAnyMatchingEntryDuringARotation() {
        assertThat(verifier.verify("9876543210", "1781080794", "v1,b2xkc2lnbmF0dXJl " + EXPECTED, BODY)).isTrue();
    }

    @Test
    void refusesATamperedBodyAStaleTimestampOrMissingHeaders() {
        byte[] tampered = new String(BODY, StandardCharsets.UTF_8).replace("succeeded", "failed")
                .getBytes(StandardCharsets.UTF_8);
        StandardWebhookVerifier late = new StandardWebhookVerifier(SECRET, Duration.ofMinutes(5),
                Clock.fixed(Instant.ofEpochSecond(1781080794 + 301), ZoneOffset.UTC));

        assertThat(verifier.verify("9876543210", "1781080794", EXPECTED, tampered)).isFalse();
        assertThat(late.verify("9876543210", "1781080794", EXPECTED, BODY)).isFalse();
        assertThat(verifier.verify(null, "1781080794", EXPECTED, BODY)).isFalse();
    }
}
