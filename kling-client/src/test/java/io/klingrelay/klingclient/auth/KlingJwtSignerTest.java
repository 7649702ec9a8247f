package io.klingrelay.klingclient.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.klingrelay.klingclient.config.KlingAccount;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class KlingJwtSignerTest {

    private static final String SECRET = "sk-test-0123456789abcdef0123456789abcdef";
    private static final KlingAccount ACCOUNT = new KlingAccount("brand-a", "ak-test-123456", SECRET, 2);

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-21T08:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final KlingJwtSigner signer = new KlingJwtSigner(clock, Duration.ofSeconds(60));

    @Test
    void signsExactlyLikeTheOfficialSample() throws Exception {
        SignedJWT jwt = SignedJWT.parse(signer.token(ACCOUNT));

        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("HS256");
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("JWT");
        assertThat(jwt.verify(new MACVerifier(SECRET.getBytes(StandardCharsets.UTF_8)))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("ak-test-123456");
        assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant()).isEqualTo(now.get().plusSeconds(1800));
        assertThat(jwt.getJWTClaimsSet().getNotBeforeTime().toInstant()).isEqualTo(now.get().minusSeconds(5));
        assertThat(jwt.getJWTClaimsSet().getClaims().keySet()).containsExactlyInAnyOrder("iss", "exp", "nbf");
    }

    @Test
    void reusesTheCachedTokenUntilTheRefreshMarginAndThenReSigns() {
        String first = signer.token(ACCOUNT);
        now.set(now.get().plusSeconds(1800 - 61));
        assertThat(signer.token(ACCOUNT)).isEqualTo(first);

        now.set(now.get().plusSeconds(2));
        assertThat(signer.token(ACCOUNT)).isNotEqualTo(first);
    }

    @Test
    void reSignsAfterInvalidation() {
        String first = signer.token(ACCOUNT);
        now.set(now.get().plusSeconds(1));
        signer.invalidate(ACCOUNT);

        assertThat(signer.token(ACCOUNT)).isNotEqualTo(first);
    }

    @Test
    void accountToStringShowsNoSecret() {
        assertThat(ACCOUNT.toString()).doesNotContain(SECRET).doesNotContain("ak-test-123456");
    }
}
