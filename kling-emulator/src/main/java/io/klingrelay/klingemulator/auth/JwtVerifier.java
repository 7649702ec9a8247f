package io.klingrelay.klingemulator.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeyLengthException;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.klingrelay.klingemulator.config.EmulatorProperties;
import io.klingrelay.klingemulator.config.EmulatorProperties.Account;
import io.klingrelay.klingemulator.wire.KlingApiException;
import io.klingrelay.klingemulator.wire.KlingCode;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Verifies {@code Authorization: Bearer <jwt>} the way Kling does (kling-api.md §3.2, §19 items 1–5):
 * HS256 signed with the account SecretKey's raw UTF-8 bytes, {@code iss} = AccessKey, {@code nbf} /
 * {@code exp} in seconds checked with a configurable skew ({@code jwt-skew}), and optionally a maximum
 * lifetime ({@code jwt-max-lifetime}: {@code exp − nbf}, or {@code exp − now} without {@code nbf}). Kling
 * documents neither the skew nor a maximum lifetime (§3.2, §17 question 1); a token over the maximum is
 * answered 401 / 1002 "invalid", our guess, since it is neither not-yet-valid (1003) nor expired (1004).
 * Tokens whose signature verified are cached by their string until they expire, so a hot client costs one
 * map lookup per request.
 */
@Component
public class JwtVerifier {

    private static final String BEARER = "Bearer ";
    private static final int MAX_CACHED_TOKENS = 100_000;

    private final Map<String, String> accountIdsByAccessKey;
    private final Map<String, JWSVerifier> verifiersByAccessKey;
    private final Map<String, String> accountIdsByApiKey;
    private final Map<String, VerifiedToken> cache = new ConcurrentHashMap<>();
    private final Clock clock;
    private final long skewMillis;
    private final long maxLifetimeMillis;

    /**
     * @param properties the accounts' keys, {@code jwt-skew} and {@code jwt-max-lifetime} (zero = unlimited)
     * @param clock the emulator's clock; {@code nbf} and {@code exp} are compared with it
     */
    @Autowired
    public JwtVerifier(EmulatorProperties properties, Clock clock) {
        this(properties.accounts(), clock, properties.jwtSkew(), properties.jwtMaxLifetime());
    }

    JwtVerifier(Map<String, Account> accountsByAccessKey, Clock clock, Duration skew) {
        this(accountsByAccessKey.values(), clock, skew, Duration.ZERO);
    }

    JwtVerifier(Collection<Account> accounts, Clock clock, Duration skew, Duration maxLifetime) {
        this.accountIdsByAccessKey = accessKeys(accounts);
        this.verifiersByAccessKey = verifiers(accounts);
        this.accountIdsByApiKey = apiKeys(accounts);
        this.clock = clock;
        this.skewMillis = skew.toMillis();
        this.maxLifetimeMillis = maxLifetime.toMillis();
    }

    /**
     * @param authorization the raw header value, null when absent: {@code Bearer <jwt>} or, when the
     *     account has one, {@code Bearer <static API key>} (2026, kling-api.md §3.3)
     * @return the id of the account the token belongs to
     * @throws KlingApiException 1001 no header, 1002 invalid (also: longer-lived than {@code jwt-max-lifetime}),
     *     1003 not yet valid, 1004 expired
     */
    public String authenticate(@Nullable String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new KlingApiException(KlingCode.AUTH_EMPTY, "Authorization is empty");
        }
        if (!authorization.startsWith(BEARER)) {
            throw invalid();
        }
        String token = authorization.substring(BEARER.length());
        String apiKeyAccount = accountIdsByApiKey.get(token);
        if (apiKeyAccount != null) {
            return apiKeyAccount;
        }
        VerifiedToken verified = cache.get(token);
        if (verified == null) {
            verified = verify(token);
            remember(token, verified);
        }
        checkTimes(verified, clock.millis());
        return verified.accountId();
    }

    /**
     * Authentication of the 2026 path-per-model API, which accepts static API keys only (kling-api.md §3.3, §15:
     * "AK/SK only applicable to the legacy design standard"). An AK/SK JWT, even a valid one, is refused like any
     * other unknown credential with 401 / 1002 [I: Kling documents no dedicated code].
     *
     * @param authorization the raw header value, null when absent: {@code Bearer <API key>}
     * @return the id of the account the key belongs to
     * @throws KlingApiException 1001 no header, 1002 not {@code Bearer}, unknown key or a JWT
     */
    public String authenticateApiKey(@Nullable String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new KlingApiException(KlingCode.AUTH_EMPTY, "Authorization is empty");
        }
        if (!authorization.startsWith(BEARER)) {
            throw invalid();
        }
        String accountId = accountIdsByApiKey.get(authorization.substring(BEARER.length()));
        if (accountId == null) {
            throw new KlingApiException(KlingCode.AUTH_INVALID,
                    "Authorization is invalid: this API accepts API keys only");
        }
        return accountId;
    }

    private VerifiedToken verify(String token) {
        SignedJWT jwt = parse(token);
        JWTClaimsSet claims = claims(jwt);
        String accountId = claims.getIssuer() == null ? null : accountIdsByAccessKey.get(claims.getIssuer());
        if (accountId == null || !JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            throw invalid();
        }
        if (!signatureValid(jwt, verifiersByAccessKey.get(claims.getIssuer()))) {
            throw invalid();
        }
        return new VerifiedToken(accountId, millis(claims.getNotBeforeTime()), millis(claims.getExpirationTime()));
    }

    private void checkTimes(VerifiedToken token, long now) {
        if (token.notBeforeMillis() != null && token.notBeforeMillis() > now + skewMillis) {
            throw new KlingApiException(KlingCode.AUTH_NOT_YET_VALID, "Authorization is not yet valid", token.accountId());
        }
        if (token.expiresMillis() == null) {
            throw invalid();
        }
        if (livesTooLong(token, now)) {
            throw new KlingApiException(KlingCode.AUTH_INVALID, "Authorization is invalid: lifetime over "
                    + maxLifetimeMillis / 1000 + " s", token.accountId());
        }
        if (token.expiresMillis() <= now - skewMillis) {
            throw new KlingApiException(KlingCode.AUTH_EXPIRED, "Authorization has expired", token.accountId());
        }
    }

    /** Lifetime = {@code exp − nbf}, or {@code exp − now} when the token has no {@code nbf}; 0 = no limit. */
    private boolean livesTooLong(VerifiedToken token, long now) {
        if (maxLifetimeMillis <= 0) {
            return false;
        }
        long start = token.notBeforeMillis() != null ? token.notBeforeMillis() : now;
        return Objects.requireNonNull(token.expiresMillis()) - start > maxLifetimeMillis;
    }

    private void remember(String token, VerifiedToken verified) {
        if (cache.size() >= MAX_CACHED_TOKENS) {
            evictExpired(clock.millis());
        }
        if (cache.size() < MAX_CACHED_TOKENS) {
            cache.put(token, verified);
        }
    }

    /** Drops cached tokens that expired (called on overflow and by the housekeeping sweep). */
    public void evictExpired(long nowMillis) {
        cache.values().removeIf(token -> token.expiresMillis() != null && token.expiresMillis() <= nowMillis - skewMillis);
    }

    private static Map<String, String> accessKeys(Collection<Account> accounts) {
        Map<String, String> result = new HashMap<>();
        accounts.forEach(account -> account.keys().forEach(key -> result.put(key.accessKey(), account.id())));
        return Map.copyOf(result);
    }

    private static Map<String, JWSVerifier> verifiers(Collection<Account> accounts) {
        Map<String, JWSVerifier> result = new HashMap<>();
        accounts.forEach(account -> account.keys().forEach(key -> result.put(key.accessKey(), verifierFor(account.id(),
                key.secretKey()))));
        return Map.copyOf(result);
    }

    private static Map<String, String> apiKeys(Collection<Account> accounts) {
        Map<String, String> result = new HashMap<>();
        accounts.forEach(account -> account.apiKeys().forEach(key -> {
            if (result.putIfAbsent(key, account.id()) != null) {
                throw new IllegalStateException("klingrelay.emulator.accounts: an API key of account " + account.id()
                        + " belongs to another account too");
            }
        }));
        return Map.copyOf(result);
    }

    private static SignedJWT parse(String token) {
        try {
            return SignedJWT.parse(token);
        } catch (ParseException e) {
            throw invalid();
        }
    }

    private static JWTClaimsSet claims(SignedJWT jwt) {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw invalid();
        }
    }

    private static boolean signatureValid(SignedJWT jwt, JWSVerifier verifier) {
        try {
            return jwt.verify(verifier);
        } catch (JOSEException e) {
            return false;
        }
    }

    private static JWSVerifier verifierFor(String accountId, String secretKey) {
        byte[] key = secretKey.getBytes(StandardCharsets.UTF_8);
        try {
            return new MACVerifier(key);
        } catch (KeyLengthException e) {
            // Nimbus insists on >= 256-bit HMAC keys; real SecretKeys are 32 chars, short demo keys still work.
            return new ShortKeyMacVerifier(key);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot build HS256 verifier for account " + accountId, e);
        }
    }

    private static @Nullable Long millis(@Nullable Date date) {
        return date == null ? null : date.getTime();
    }

    private static KlingApiException invalid() {
        return new KlingApiException(KlingCode.AUTH_INVALID, "Authorization is invalid");
    }

    /** A token whose signature and issuer checked out; times are re-checked on every use. */
    record VerifiedToken(String accountId, @Nullable Long notBeforeMillis, @Nullable Long expiresMillis) {
    }
}
