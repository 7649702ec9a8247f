package io.klingrelay.klingemulator.asset;

import io.klingrelay.klingemulator.config.EmulatorProperties;
import io.klingrelay.klingemulator.config.EmulatorProperties.Cdn;
import io.klingrelay.klingemulator.task.AssetBaseUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * CDN mode ({@code klingrelay.emulator.assets.cdn.enabled=true}): a second Tomcat connector speaking HTTPS on
 * {@code assets.cdn.port} with a {@link CdnCertificate} made at start-up for {@code assets.cdn.host}, so asset URLs
 * look like Kling's ({@code https://<host>/...}, kling-api.md §7 example, §4.2). It serves only {@code /assets/**}
 * ({@link CdnOnlyAssetsFilter}); the API stays on {@code server.port}. The certificate is written as PEM to
 * {@code assets.cdn.certificate-file} (when set) and served at {@code GET /admin/cdn/certificate}.
 */
@Component
@ConditionalOnBooleanProperty("klingrelay.emulator.assets.cdn.enabled")
public class CdnConnector implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, AssetBaseUrl {

    private static final Logger log = LoggerFactory.getLogger(CdnConnector.class);

    private final Cdn settings;
    private final CdnCertificate certificate;
    private final Connector connector;

    public CdnConnector(EmulatorProperties properties) {
        this.settings = properties.assets().cdn();
        this.certificate = CdnCertificate.generate(settings.host());
        this.connector = httpsConnector(settings.port(), certificate);
        writeCertificateFile();
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addAdditionalConnectors(connector);
    }

    /** @return {@code https://<host>:<port>} (no port for 443): the base of asset URLs in CDN mode */
    @Override
    public String baseUrl() {
        int port = localPort();
        return "https://" + settings.host() + (port == 443 ? "" : ":" + port);
    }

    /** @return the TCP port the connector listens on (the chosen one when {@code port} is 0); -1 before start */
    public int localPort() {
        return connector.getLocalPort();
    }

    /** @return the certificate clients must trust */
    public CdnCertificate certificate() {
        return certificate;
    }

    private static Connector httpsConnector(int port, CdnCertificate certificate) {
        Connector connector = new Connector(Http11NioProtocol.class.getName());
        connector.setPort(port);
        connector.setScheme("https");
        connector.setSecure(true);
        Http11NioProtocol protocol = (Http11NioProtocol) connector.getProtocolHandler();
        protocol.setSSLEnabled(true);
        SSLHostConfig ssl = new SSLHostConfig();
        SSLHostConfigCertificate entry = new SSLHostConfigCertificate(ssl, SSLHostConfigCertificate.Type.EC);
        entry.setCertificateKeystore(certificate.keyStore());
        entry.setCertificateKeystorePassword(certificate.password());
        entry.setCertificateKeyAlias(CdnCertificate.ALIAS);
        ssl.addCertificate(entry);
        protocol.addSslHostConfig(ssl);
        return connector;
    }

    private void writeCertificateFile() {
        if (settings.certificateFile().isBlank()) {
            return;
        }
        Path file = Path.of(settings.certificateFile()).toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, certificate.pem(), StandardCharsets.US_ASCII);
            log.info("CDN mode: certificate for {} written to {}", settings.host(), file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write klingrelay.emulator.assets.cdn.certificate-file " + file, e);
        }
    }
}
