package io.klingrelay.klingclient.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.klingrelay.common.error.AccountException;
import io.klingrelay.klingclient.config.KlingAccount;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signs the {@code Authorization: Bearer <jwt>} token exactly as kling-api.md §3.2 says: header
 * {@code {"alg":"HS256","typ":"JWT"}}, claims {@code iss} = AccessKey, {@code exp} = now + 1800 s,
 * {@code nbf} = now − 5 s (NumericDate, seconds), no other claims, HMAC-SHA256 keyed with the
 * SecretKey's raw UTF-8 bytes, via Nimbus JOSE+JWT. Tokens are cached per account and re-signed
 * once fewer than {@code refreshMargin} remain before {@code exp}. Thread-safe.
 */
public final class KlingJwtSigner {

    /** Token lifetime, as in every official sample. */
    public static final Duration LIFETIME = Duration.ofSeconds(1800);
    /** How far {@code nbf} lies in the past, as in every official sample. */
    public static final Duration NOT_BEFORE_SKEW = Duration.ofSeconds(5);

    private final Clock clock;
    private final Duration refreshMargin;
    private final Map<KlingAccount, CachedToken> cache = new ConcurrentHashMap<>();

    /**
     * @param clock         time source (seconds resolution is what matters)
     * @param refreshMargin re-sign when less than this remains before {@code exp}
     */
    public KlingJwtSigner(Clock clock, Duration refreshMargin) {
        this.clock = clock;
        this.refreshMargin = refreshMargin;
    }

    /**
     * @param account the account to sign for
     * @return a valid token, from the cache when it has more than the refresh margin left
     * @throws AccountException when the account has no AccessKey/SecretKey, or the SecretKey cannot be
     *         used as an HS256 key (e.g. shorter than 32 bytes)
     */
    public String token(KlingAccount account) {
        Instant now = clock.instant();
        CachedToken cached = cache.get(account);
        if (cached != null && cached.isFreshAt(now, refreshMargin)) {
            return cached.token();
        }
        CachedToken fresh = sign(account, now);
        cache.put(account, fresh);
        return fresh.token();
    }

    /**
     * Drops the cached token so the next call re-signs (after a 1000–1004 answer).
     *
     * @param account the account
     */
    public void invalidate(KlingAccount account) {
        cache.remove(account);
    }

    private static CachedToken sign(KlingAccount account, Instant now) {
        if (!account.hasAccessKeys()) {
            throw new AccountException("account " + account.id() + " has no AccessKey/SecretKey to sign a JWT with");
        }
        Instant expiresAt = now.plus(LIFETIME);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(account.accessKey())
                .expirationTime(Date.from(expiresAt))
                .notBeforeTime(Date.from(now.minus(NOT_BEFORE_SKEW)))
                .build();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(new MACSigner(account.secretKey().getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            // the message names the key length problem, never the key
            throw new AccountException("cannot sign a JWT for account " + account.id() + ": " + e.getMessage());
        }
        return new CachedToken(jwt.serialize(), expiresAt);
    }

    private record CachedToken(String token, Instant expiresAt) {

        boolean isFreshAt(Instant now, Duration margin) {
            return now.plus(margin).isBefore(expiresAt);
        }

        @Override
        public String toString() {
            return "CachedToken[expiresAt=" + expiresAt + "]";
        }
    }
}
