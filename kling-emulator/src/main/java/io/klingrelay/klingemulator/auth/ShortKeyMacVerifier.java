package io.klingrelay.klingemulator.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HS256 verification for SecretKeys shorter than the 32 bytes Nimbus' {@code MACVerifier} demands.
 * Kling itself signs with whatever SecretKey the console issued, so the emulator accepts short ones.
 */
final class ShortKeyMacVerifier implements JWSVerifier {

    private final SecretKeySpec key;
    private final JCAContext jcaContext = new JCAContext();

    ShortKeyMacVerifier(byte[] secret) {
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return MessageDigest.isEqual(mac.doFinal(signingInput), signature.decode());
        } catch (GeneralSecurityException e) {
            throw new JOSEException("HMAC failed", e);
        }
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return Set.of(JWSAlgorithm.HS256);
    }

    @Override
    public JCAContext getJCAContext() {
        return jcaContext;
    }

    @Override
    public String toString() {
        return "ShortKeyMacVerifier[key=****]";
    }
}
