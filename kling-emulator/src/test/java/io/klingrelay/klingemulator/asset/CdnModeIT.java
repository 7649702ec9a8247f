package io.klingrelay.klingemulator.asset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * CDN mode: asset URLs are {@code https://cdn.kling-emulator.test:<port>/assets/...}, served by a second connector
 * with a certificate made at start-up. The client resolves the name to 127.0.0.1 (as an {@code /etc/hosts} line
 * would) and trusts exactly the PEM the emulator wrote; host name verification stays on.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "klingrelay.emulator.time-scale=0.005",
        "klingrelay.emulator.assets.cdn.enabled=true",
        "klingrelay.emulator.assets.cdn.host=" + CdnModeIT.HOST,
        "klingrelay.emulator.assets.cdn.certificate-file=target/cdn-mode-it/cdn.pem",
        "klingrelay.emulator.accounts[0].id=cdn",
        "klingrelay.emulator.accounts[0].access-key=ak-cdn",
        "klingrelay.emulator.accounts[0].secret-key=" + CdnModeIT.SK,
})
class CdnModeIT {

    static final String HOST = "cdn.kling-emulator.test";
    static final String SK = "sk-cdn-0123456789abcdef0123456789ab";
    private static final Path PEM = Path.of("target", "cdn-mode-it", "cdn.pem");
    private static final String T2V = "/v1/videos/text2video";
    private static final DnsResolver CDN_TO_LOOPBACK = new DnsResolver() {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            if (!HOST.equals(host)) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName("127.0.0.1")};
        }

        @Override
        public String resolveCanonicalHostname(String host) {
            return host;
        }
    };

    @LocalServerPort
    int port;

    @Autowired
    CdnConnector cdn;

    @Test
    void assetUrlsAreHttpsUnderTheCdnHostAndDownloadWithAClientThatTrustsTheWrittenCertificate() throws Exception {
        // GIVEN
        EmulatorCalls kling = new EmulatorCalls(port, "ak-cdn", SK);
        String taskId = kling.create(T2V, "{\"prompt\":\"over the cdn\"}");

        // WHEN
        String url = kling.awaitSucceed(T2V, taskId).get("task_result").get("videos").get(0).get("url").stringValue();

        // THEN
        assertThat(cdn.localPort()).isPositive().isNotEqualTo(port);
        assertThat(url).startsWith("https://" + HOST + ":" + cdn.localPort() + "/assets/" + taskId + "/0.mp4?Expires=");
        byte[] mp4;
        try (CloseableHttpClient client = client(trusting(PEM))) {
            mp4 = client.execute(new HttpGet(url), response -> {
                assertThat(response.getCode()).isEqualTo(200);
                assertThat(response.getFirstHeader("Content-Type").getValue()).isEqualTo("video/mp4");
                return EntityUtils.toByteArray(response.getEntity());
            });
        }
        assertThat(new String(mp4, 4, 4, StandardCharsets.US_ASCII)).isEqualTo("ftyp");
        JsonNode admin = EmulatorCalls.MAPPER.readTree(EmulatorCalls.download(
                "http://127.0.0.1:" + port + "/admin/tasks/" + taskId));
        assertThat(admin.get("assets").get(0).get("sha256").stringValue())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(mp4)));
        assertThat(new String(EmulatorCalls.download("http://127.0.0.1:" + port + "/admin/cdn/certificate"),
                StandardCharsets.US_ASCII)).isEqualTo(Files.readString(PEM));
    }

    @Test
    void theCdnHostServesOnlyAssetsAndAClientThatDoesNotTrustItsCertificateIsRefused() throws Exception {
        String api = "https://" + HOST + ":" + cdn.localPort() + T2V;

        try (CloseableHttpClient client = client(trusting(PEM))) {
            int status = client.execute(new HttpGet(api), response -> response.getCode());
            assertThat(status).isEqualTo(404);
        }
        try (CloseableHttpClient client = client(SSLContext.getDefault())) {
            assertThatThrownBy(() -> client.execute(new HttpGet(api), response -> Integer.valueOf(response.getCode())))
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    private static CloseableHttpClient client(SSLContext tls) {
        return HttpClients.custom().setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(CDN_TO_LOOPBACK)
                .setTlsSocketStrategy(ClientTlsStrategyBuilder.create().setSslContext(tls).buildClassic())
                .build()).build();
    }

    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("cdn", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem))));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
