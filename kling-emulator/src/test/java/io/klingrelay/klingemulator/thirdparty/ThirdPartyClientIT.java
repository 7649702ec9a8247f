package io.klingrelay.klingemulator.thirdparty;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.klingemulator.KlingEmulatorApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An unmodified third-party Kling client, the npm package {@code kling-api@1.0.0}, against the emulator over
 * HTTPS: create a text-to-video task, poll it to {@code succeed} and download the MP4 with the client's own
 * {@code saveVideoResult}. The only change is the documented {@code baseUrl} constructor option. The client
 * insists on HTTPS and refuses to download from {@code 127.*}/{@code localhost} (SSRF guard), so the emulator
 * serves TLS with a throw-away certificate (trusted through {@code NODE_EXTRA_CA_CERTS}) and its public base URL
 * is {@code https://[::1]:<port>}, which the guard lets through. Skipped when node or npm are missing.
 */
class ThirdPartyClientIT {

    private static final Logger log = LoggerFactory.getLogger(ThirdPartyClientIT.class);
    private static final String PACKAGE = "kling-api@1.0.0";
    private static final String ACCESS_KEY = "ak-third-party";
    private static final String SECRET_KEY = "sk-third-party-0123456789abcdef0123";
    private static final Path WORK = Path.of("target", "third-party").toAbsolutePath();
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static ConfigurableApplicationContext emulator;
    private static int port;
    private static Path certificate;

    @BeforeAll
    static void installClientAndStartEmulatorOverHttps() throws Exception {
        Assumptions.assumeTrue(works("node", "--version") && works("npm", "--version"), "node and npm are needed");
        Files.createDirectories(WORK);
        if (!Files.exists(WORK.resolve("node_modules/kling-api/package.json"))) {
            int exit = run(List.of("npm", "install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund",
                    "--prefix", WORK.toString(), PACKAGE), Map.of(), Duration.ofMinutes(3), WORK.resolve("npm.log"));
            assertThat(exit).as("npm install %s, see %s", PACKAGE, WORK.resolve("npm.log")).isZero();
        }
        Path keystore = WORK.resolve("emulator-tls.p12");
        certificate = WORK.resolve("emulator-tls.pem");
        Files.deleteIfExists(keystore);
        Files.deleteIfExists(certificate);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        assertThat(run(List.of(keytool, "-genkeypair", "-alias", "emulator", "-keyalg", "RSA", "-keysize", "2048",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1,ip:::1"), Map.of(),
                Duration.ofMinutes(1), WORK.resolve("keytool.log"))).isZero();
        assertThat(run(List.of(keytool, "-exportcert", "-rfc", "-alias", "emulator", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-file", certificate.toString()), Map.of(), Duration.ofMinutes(1),
                WORK.resolve("keytool.log"))).isZero();
        port = freePort();
        emulator = SpringApplication.run(KlingEmulatorApplication.class,
                "--server.port=" + port,
                "--server.ssl.key-store=" + keystore,
                "--server.ssl.key-store-type=PKCS12",
                "--server.ssl.key-store-password=changeit",
                "--klingrelay.emulator.public-base-url=https://[::1]:" + port,
                "--klingrelay.emulator.time-scale=0.01",
                "--klingrelay.emulator.accounts[0].id=third-party",
                "--klingrelay.emulator.accounts[0].access-key=" + ACCESS_KEY,
                "--klingrelay.emulator.accounts[0].secret-key=" + SECRET_KEY);
    }

    @AfterAll
    static void stopEmulator() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void theUnmodifiedNpmClientCreatesPollsToSucceedAndDownloadsTheVideo() throws Exception {
        // GIVEN
        Path script = WORK.resolve("create-poll-download.mjs");
        try (var in = ThirdPartyClientIT.class.getResourceAsStream("/third-party/create-poll-download.mjs")) {
            Files.write(script, in.readAllBytes());
        }
        Path output = Files.createDirectories(WORK.resolve("downloads"));
        Path stdout = WORK.resolve("script.out");
        String externalTaskId = "npm-" + UUID.randomUUID();

        // WHEN
        int exit = run(List.of("node", script.toString()), Map.of(
                "KLING_ACCESS_KEY", ACCESS_KEY,
                "KLING_SECRET_KEY", SECRET_KEY,
                "KLING_BASE_URL", "https://127.0.0.1:" + port,
                "NODE_EXTRA_CA_CERTS", certificate.toString(),
                "EXTERNAL_TASK_ID", externalTaskId,
                "OUTPUT_DIR", output.toString()), Duration.ofMinutes(2), stdout);

        // THEN
        List<String> lines = Files.readAllLines(stdout, StandardCharsets.UTF_8);
        String last = lines.isEmpty() ? "{}" : lines.get(lines.size() - 1);
        assertThat(exit).as(String.join("\n", lines)).isZero();
        JsonNode result = MAPPER.readTree(last);
        assertThat(result.get("ok").booleanValue()).as(last).isTrue();
        assertThat(result.get("createCode").intValue()).isZero();
        assertThat(result.get("createdStatus").stringValue()).isEqualTo("submitted");
        assertThat(result.get("externalTaskId").stringValue()).isEqualTo(externalTaskId);
        assertThat(result.get("finalStatus").stringValue()).isEqualTo("succeed");
        assertThat(result.get("mp4Box").stringValue()).isEqualTo("ftyp");
        byte[] saved = Files.readAllBytes(Path.of(result.get("savedFile").stringValue()));
        assertThat(sha256(saved)).isEqualTo(adminSha256(result.get("taskId").stringValue()));
    }

    private static String adminSha256(String taskId) throws Exception {
        HttpClient insecureLocal = HttpClient.newBuilder().sslContext(TrustOnly.certificate(certificate)).build();
        HttpResponse<String> response = insecureLocal.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + port + "/admin/tasks/" + taskId)).build(),
                HttpResponse.BodyHandlers.ofString());
        return MAPPER.readTree(response.body()).get("assets").get(0).get("sha256").stringValue();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static boolean works(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs a child process with extra environment (secrets go there, never on the command line). */
    private static int run(List<String> command, Map<String, String> env, Duration timeout, Path output)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                log.warn("{} timed out after {}", command.get(0), timeout);
                return -1;
            }
            return process.exitValue();
        } finally {
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
