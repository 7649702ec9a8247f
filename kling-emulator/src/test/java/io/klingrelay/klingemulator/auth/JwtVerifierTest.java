package io.klingrelay.klingemulator.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import io.klingrelay.klingemulator.config.EmulatorProperties.Account;
import io.klingrelay.klingemulator.wire.KlingApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JwtVerifierTest {

    private static final String AK = "ak-test";
    private static final String SK = "sk-test-0123456789abcdef0123456789";
    private static final long NOW = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();

    private final JwtVerifier verifier = new JwtVerifier(Map.of(AK, Account.of("acct", AK, SK, 5)),
            Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), Duration.ofSeconds(5));

    @Test
    void acceptsATokenBuiltLikeTheOfficialSample() {
        assertThat(verifier.authenticate("Bearer " + Jwts.official(AK, SK, NOW))).isEqualTo("acct");
    }

    @Test
    void acceptsATokenWhoseHeaderCarriesOnlyTheAlgorithm() {
        String token = Jwts.sign(new JWSHeader(JWSAlgorithm.HS256), AK, SK, NOW + 1_800_000, NOW - 5_000);

        assertThat(verifier.authenticate("Bearer " + token)).isEqualTo("acct");
    }

    @Test
    void answers1001WhenTheHeaderIsMissing() {
        assertCode(null, 1001);
        assertCode("", 1001);
    }

    @Test
    void answers1002ForAWrongSchemeMalformedTokenBadSignatureOrUnknownIssuer() {
        String good = Jwts.official(AK, SK, NOW);
        assertCode("Basic " + good, 1002);
        assertCode("Bearer not-a-jwt", 1002);
        assertCode("Bearer " + Jwts.official(AK, "another-secret-0123456789abcdef0123", NOW), 1002);
        assertCode("Bearer " + Jwts.official("unknown-ak", SK, NOW), 1002);
    }

    @Test
    void answers1003WhenNotBeforeIsInTheFutureBeyondTheSkew() {
        String token = Jwts.sign(new JWSHeader(JWSAlgorithm.HS256), AK, SK, NOW + 1_800_000, NOW + 10_000);

        assertCode("Bearer " + token, 1003);
    }

    @Test
    void toleratesNotBeforeWithinTheSkew() {
        String token = Jwts.sign(new JWSHeader(JWSAlgorithm.HS256), AK, SK, NOW + 1_800_000, NOW + 4_000);

        assertThat(verifier.authenticate("Bearer " + token)).isEqualTo("acct");
    }

    @Test
    void answers1004WhenExpiredBeyondTheSkew() {
        String token = Jwts.sign(new JWSHeader(JWSAlgorithm.HS256), AK, SK, NOW - 10_000, NOW - 1_000_000);

        assertCode("Bearer " + token, 1004);
    }

    @Test
    void rechecksTimesOfACachedTokenOnEveryUse() {
        String token = "Bearer " + Jwts.official(AK, SK, NOW);
        verifier.authenticate(token);
        JwtVerifier later = new JwtVerifier(Map.of(AK, Account.of("acct", AK, SK, 5)),
                Clock.fixed(Instant.ofEpochMilli(NOW + 3_600_000), ZoneOffset.UTC), Duration.ofSeconds(5));

        assertThatThrownBy(() -> later.authenticate(token)).isInstanceOfSatisfying(KlingApiException.class,
                e -> assertThat(e.klingCode().code()).isEqualTo(1004));
    }

    @Test
    void acceptsAnyLifetimeByDefault() {
        String tenYears = Jwts.sign(new JWSHeader(JWSAlgorithm.HS256), AK, SK, NOW + 315_360_000_000L, NOW - 5_000);

        assertThat(verifier.authenticate("Bearer " + tenYears)).isEqualTo("acct");
    }

    @Test
    void answers1002WhenExpMinusNbfExceedsTheMaximumLifetime() {
        // GIVEN at most one hour between nbf and exp
        JwtVerifier limited = new JwtVerifier(List.of(Account.of("acct", AK, SK, 5)),
                Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), Duration.ofSeconds(5), Duration.ofHours(1));
        String official = Jwts.official(AK, SK, NOW);
        String exactlyOneHour = Jwts.sign(new JWSHeader(JWSAlgorithm.HS256), AK, SK, NOW + 3_000_000, NOW - 600_000);
        String oneHourAndASecond = Jwts.sign(new JWSHeader(JWSAlgorithm.HS256), AK, SK, NOW + 3_001_000, NOW - 600_000);

        // WHEN / THEN the official 1805 s token and exactly one hour pass, one second more is invalid
        assertThat(limited.authenticate("Bearer " + official)).isEqualTo("acct");
        assertThat(limited.authenticate("Bearer " + exactlyOneHour)).isEqualTo("acct");
        assertThatThrownBy(() -> limited.authenticate("Bearer " + oneHourAndASecond))
                .isInstanceOfSatisfying(KlingApiException.class, e -> assertThat(e.klingCode().code()).isEqualTo(1002));
    }

    @Test
    void measuresTheLifetimeFromNowWhenTheTokenHasNoNotBefore() {
        // GIVEN at most one hour, and tokens without nbf
        JwtVerifier limited = new JwtVerifier(List.of(Account.of("acct", AK, SK, 5)),
                Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), Duration.ofSeconds(5), Duration.ofHours(1));

        // WHEN / THEN exp − now decides
        assertThat(limited.authenticate("Bearer " + Jwts.withoutNotBefore(AK, SK, NOW + 3_600_000))).isEqualTo("acct");
        assertThatThrownBy(() -> limited.authenticate("Bearer " + Jwts.withoutNotBefore(AK, SK, NOW + 3_601_000)))
                .isInstanceOfSatisfying(KlingApiException.class, e -> assertThat(e.klingCode().code()).isEqualTo(1002));
    }

    @Test
    void verifiesSecretKeysShorterThanNimbusMinimum() {
        String shortSecret = "short";
        JwtVerifier shortKeyVerifier = new JwtVerifier(Map.of(AK, Account.of("acct", AK, shortSecret, 5)),
                Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), Duration.ofSeconds(5));

        assertThatThrownBy(() -> shortKeyVerifier.authenticate("Bearer " + Jwts.official(AK, SK, NOW)))
                .isInstanceOfSatisfying(KlingApiException.class, e -> assertThat(e.klingCode().code()).isEqualTo(1002));
    }

    private void assertCode(String header, int code) {
        assertThatThrownBy(() -> verifier.authenticate(header)).isInstanceOfSatisfying(KlingApiException.class,
                e -> assertThat(e.klingCode().code()).isEqualTo(code));
    }
}
