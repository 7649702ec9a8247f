package io.klingrelay.klingemulator.asset;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away self-signed TLS certificate for one DNS name (subject {@code CN=<host>}, subject alternative name
 * {@code DNS:<host>}), EC P-256 / SHA256withECDSA, valid from one hour ago for 30 days. Made fresh at every start; the
 * private key never leaves the process.
 *
 * @param host the DNS name the certificate is for
 * @param certificate the certificate, which is its own issuer
 * @param keyStore an in-memory PKCS12 store holding the key under {@link #ALIAS}, password {@link #password()}
 */
public record CdnCertificate(String host, X509Certificate certificate, KeyStore keyStore) {

    /** Alias of the key entry in {@link #keyStore}. */
    public static final String ALIAS = "cdn";
    private static final char[] PASSWORD = "kling-emulator-cdn".toCharArray();

    /**
     * @param host DNS name, e.g. {@code cdn.kling-emulator.test}
     * @return a new key pair and certificate for {@code host}
     * @throws IllegalStateException when the JDK lacks EC or PKCS12 (it never does)
     */
    public static CdnCertificate generate(String host) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            X509Certificate certificate = selfSigned(host, keys);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, keys.getPrivate(), PASSWORD, new Certificate[] {certificate});
            return new CdnCertificate(host, certificate, store);
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot make the CDN certificate for " + host, e);
        }
    }

    /** @return the key store password (a constant: the store lives in memory only) */
    public String password() {
        return new String(PASSWORD);
    }

    /** @return the certificate as PEM ({@code -----BEGIN CERTIFICATE-----}), for clients to trust */
    public String pem() {
        try {
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate selfSigned(String host, KeyPair keys)
            throws GeneralSecurityException, OperatorCreationException, java.io.IOException {
        X500Name name = new X500Name("CN=" + host);
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), name,
                keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, host)));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    @Override
    public String toString() {
        return "CdnCertificate[host=" + host + ", subject=" + certificate.getSubjectX500Principal() + "]";
    }
}
