package io.klingrelay.klingclient.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StandardWebhookVerifierTest {

    private static final String SECRET = "whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=";
    private static final byte[] BODY = ("{\"id\":\"1234567890\",\"status\":\"succeeded\",\"message\":\"\","
            + "\"create_time\":1781080778802,\"update_time\":1781080794151}").getBytes(StandardCharsets.UTF_8);
    private static final String EXPECTED = "v1,UsKlJP00XoQyOn410NM9xv34sP+Gl0jnOO9Lcpr7NJ4=";
    private static final String OTHER_SECRET = "whsec_b3RoZXJzZWNyZXRvdGhlcnNlY3JldG90aGVyc2VjcmV0MTI=";
    private static final Clock AT_VECTOR = Clock.fixed(Instant.ofEpochSecond(1781080794 + 60), ZoneOffset.UTC);

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

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775807", "-9223372036854775808", "99999999999999999999999", "abc", "",
            " 1781080794", "1781080794.5", "-1", "+1781080794", "1e9", "0x6A2B1C3A"})
    void callsATimestampThatDoesNotParseMalformedWithoutThrowing(String timestamp) {
        assertThat(verifier.check("9876543210", timestamp, EXPECTED, BODY)).isEqualTo(SignatureCheck.MALFORMED);
        assertThat(verifier.verify("9876543210", timestamp, EXPECTED, BODY)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "v1", "v1,", ",abc", "v1,not base64!", "v1,UsKl\u0000", "v1;abc", "   ",
            "v1,aaaa v1,bbbb v1,cccc v1,dddd v1,eeee v1,ffff v1,gggg v1,hhhh v1,iiii"})
    void callsASignatureHeaderThatDoesNotParseMalformed(String signature) {
        assertThat(verifier.check("9876543210", "1781080794", signature, BODY)).isEqualTo(SignatureCheck.MALFORMED);
    }

    @Test
    void callsAnOverlongOrNonAsciiWebhookIdMalformed() {
        assertThat(verifier.check("x".repeat(10 * 1024), "1781080794", EXPECTED, BODY))
                .isEqualTo(SignatureCheck.MALFORMED);
        assertThat(verifier.check("", "1781080794", EXPECTED, BODY)).isEqualTo(SignatureCheck.MALFORMED);
        assertThat(verifier.check("id with spaces", "1781080794", EXPECTED, BODY)).isEqualTo(SignatureCheck.MALFORMED);
        assertThat(verifier.check("idé", "1781080794", EXPECTED, BODY)).isEqualTo(SignatureCheck.MALFORMED);
    }

    @Test
    void callsMissingHeadersAStaleTimestampOrAWrongSignatureInvalidNotMalformed() {
        assertThat(verifier.check(null, null, null, BODY)).isEqualTo(SignatureCheck.INVALID);
        assertThat(verifier.check("9876543210", "1781080794", null, BODY)).isEqualTo(SignatureCheck.INVALID);
        assertThat(verifier.check("9876543210", "1", EXPECTED, BODY)).isEqualTo(SignatureCheck.INVALID);
        assertThat(verifier.check("9876543210", "999999999999", EXPECTED, BODY)).isEqualTo(SignatureCheck.INVALID);
        assertThat(verifier.check("9876543210", "1781080794", "v1,b2xkc2lnbmF0dXJl", BODY))
                .isEqualTo(SignatureCheck.INVALID);
        assertThat(verifier.check("9876543210", "1781080794", "v2," + EXPECTED.substring(3), BODY))
                .isEqualTo(SignatureCheck.INVALID);
        assertThat(verifier.check("9876543210", "1781080794", EXPECTED, BODY)).isEqualTo(SignatureCheck.VALID);
    }

    @Test
    void acceptsAnEntrySignedUnderAnyActiveSecretAndSignsWithTheFirst() {
        StandardWebhookVerifier rotating = new StandardWebhookVerifier(List.of(OTHER_SECRET, SECRET),
                Duration.ofMinutes(5), AT_VECTOR);
        StandardWebhookVerifier other = new StandardWebhookVerifier(OTHER_SECRET, Duration.ofMinutes(5), AT_VECTOR);
        String underOther = other.sign("9876543210", "1781080794", BODY);

        assertThat(rotating.sign("9876543210", "1781080794", BODY)).isEqualTo(underOther);
        assertThat(rotating.verify("9876543210", "1781080794", EXPECTED, BODY)).isTrue();
        assertThat(rotating.verify("9876543210", "1781080794", underOther, BODY)).isTrue();
        assertThat(rotating.verify("9876543210", "1781080794", "v1,b2xkc2lnbmF0dXJl " + underOther, BODY)).isTrue();
        assertThat(verifier.verify("9876543210", "1781080794", underOther, BODY)).isFalse();
    }

    @Test
    void neverPrintsAnySecret() {
        StandardWebhookVerifier rotating = new StandardWebhookVerifier(List.of(OTHER_SECRET, SECRET),
                Duration.ofMinutes(5), AT_VECTOR);

        assertThat(rotating.toString()).doesNotContain(SECRET.substring(6)).doesNotContain(OTHER_SECRET.substring(6));
        assertThat(rotating.secretCount()).isEqualTo(2);
    }
}
