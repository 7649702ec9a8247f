package io.klingrelay.klingemulator.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.util.Date;

/** Builds tokens exactly like Kling's official samples (kling-api.md §3.2). */
public final class Jwts {

    private Jwts() {
    }

    /** Header {@code {"alg":"HS256","typ":"JWT"}}, iss, exp = now + 1800 s, nbf = now − 5 s. */
    public static String official(String accessKey, String secretKey, long nowMillis) {
        return sign(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                accessKey, secretKey, nowMillis + 1_800_000, nowMillis - 5_000);
    }

    /** Header {@code {"alg":"HS256"}}, iss, exp and nbf as given (epoch ms, truncated to seconds on the wire). */
    public static String sign(JWSHeader header, String issuer, String secretKey, long expMillis, long nbfMillis) {
        return sign(header, new JWTClaimsSet.Builder().issuer(issuer)
                .expirationTime(new Date(expMillis)).notBeforeTime(new Date(nbfMillis)).build(), secretKey);
    }

    /** Header {@code {"alg":"HS256"}}, iss and exp only: no {@code nbf} claim. */
    public static String withoutNotBefore(String issuer, String secretKey, long expMillis) {
        return sign(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().issuer(issuer)
                .expirationTime(new Date(expMillis)).build(), secretKey);
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, String secretKey) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(new MACSigner(secretKey.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
