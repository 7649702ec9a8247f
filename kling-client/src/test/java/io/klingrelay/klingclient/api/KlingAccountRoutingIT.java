package io.klingrelay.klingclient.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.klingrelay.common.error.AccountException;
import io.klingrelay.common.error.PermanentException;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.event.TaskStatus;
import io.klingrelay.common.json.EventJson;
import io.klingrelay.klingclient.config.KlingAccount;
import io.klingrelay.klingclient.config.KlingProperties;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * Accounts of two regions side by side (kling-api.md §3.1, §3.3, §15): each account's calls go to
 * its own base URL with its own credential, so a key never reaches another account's host; the
 * 2026 models are created through the path-per-model endpoint with the contents/settings/options
 * body. Two local HTTP servers stand in for the two regions and record what reached them.
 */
@ExtendWith(OutputCaptureExtension.class)
class KlingAccountRoutingIT {

    private static final String API_KEY = "beijing-api-key-0123456789-never-logged";
    private static final String SECRET_KEY = "singapore-secret-key-0123456789abcdef-never-logged";

    private final Region singapore = new Region();
    private final Region beijing = new Region();
    private KlingClient client;
    private KlingAccount legacyAccount;
    private KlingAccount newApiAccount;

    /** One region: a server that answers a canned reply and records each request's path, auth and body. */
    private static final class Region {
        final List<Seen> seen = new CopyOnWriteArrayList<>();
        final AtomicReference<String> reply = new AtomicReference<>();
        final AtomicReference<Integer> status = new AtomicReference<>(200);
        HttpServer server;

        void start() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                byte[] body = reply.get().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status.get(), body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }
    }

    private record Seen(String method, String path, String authorization, String body) {
    }

    @BeforeEach
    void start() throws IOException {
        singapore.start();
        beijing.start();
        legacyAccount = new KlingAccount("sg-legacy", "ak-singapore-0001", SECRET_KEY, 2, null, null, null,
                singapore.url());
        newApiAccount = KlingAccount.withApiKey("cn-2026", API_KEY, 2, beijing.url());
        // the default base URL is a third host nobody listens on: no call may fall back to it
        client = KlingClient.create(new KlingProperties(URI.create("http://127.0.0.1:1"), Duration.ofSeconds(2),
                Duration.ofSeconds(5), Duration.ofSeconds(60), List.of(legacyAccount, newApiAccount)), EventJson.mapper());
        singapore.reply.set("""
                {"code":0,"message":"SUCCEED","request_id":"r-1","data":{"task_id":"111","task_status":"submitted",
                 "task_info":{"external_task_id":"req-sg"},"created_at":1,"updated_at":1}}
                """);
        beijing.reply.set("""
                {"code":0,"message":"SUCCEED","request_id":"r-2","data":{"id":"901930004609634393","status":"submitted",
                 "message":"","external_id":"req-cn","create_time":1,"update_time":1}}
                """);
    }

    @AfterEach
    void stop() {
        singapore.server.stop(0);
        beijing.server.stop(0);
    }

    @Test
    void sendsEachAccountsCredentialOnlyToItsOwnHost() {
        // WHEN each account creates a task, the 2026 one with a 2026 model
        KlingTask legacy = client.create(legacyAccount, Product.TEXT_TO_VIDEO,
                Map.of("model_name", "kling-v2-6", "prompt", "a boat", "external_task_id", "req-sg"));
        KlingTask newApi = client.create(newApiAccount, Product.TEXT_TO_VIDEO, Map.of("model_name", "kling-3.0",
                "prompt", "a boat", "duration", "5", "mode", "pro", "aspect_ratio", "16:9",
                "external_task_id", "req-cn", "callback_url", "https://hooks.example/cb"));

        // THEN Singapore saw only the JWT, Beijing only the API key
        assertThat(singapore.seen).singleElement().satisfies(seen -> {
            assertThat(seen.path()).isEqualTo("/v1/videos/text2video");
            assertThat(seen.authorization()).startsWith("Bearer ey").doesNotContain(API_KEY);
        });
        assertThat(beijing.seen).singleElement().satisfies(seen -> {
            assertThat(seen.path()).isEqualTo("/text-to-video/kling-3.0");
            assertThat(seen.authorization()).isEqualTo("Bearer " + API_KEY);
        });
        assertThat(legacy.taskId()).isEqualTo("111");
        assertThat(newApi.taskId()).isEqualTo("901930004609634393");
        assertThat(newApi.status()).isEqualTo(TaskStatus.SUBMITTED);
        assertThat(newApi.externalTaskId()).contains("req-cn");
    }

    @Test
    void createsA2026ModelWithTheContentsSettingsOptionsBody() {
        client.create(newApiAccount, Product.IMAGE_TO_VIDEO, Map.of("model_name", "kling-3.0-turbo",
                "prompt", "waves", "image", "https://img.example/a.png", "duration", "10", "mode", "std",
                "external_task_id", "req-cn", "callback_url", "https://hooks.example/cb"));

        Seen seen = beijing.seen.getFirst();
        JsonNode body = EventJson.mapper().readTree(seen.body());
        assertThat(seen.path()).isEqualTo("/image-to-video/kling-3.0-turbo");
        assertThat(body.has("model_name")).isFalse();
        assertThat(body.get("contents")).isEqualTo(EventJson.mapper().readTree(
                "[{\"type\":\"prompt\",\"text\":\"waves\"},{\"type\":\"first_frame\",\"url\":\"https://img.example/a.png\"}]"));
        assertThat(body.get("settings").get("duration").asInt()).isEqualTo(10);
        assertThat(body.get("settings").get("resolution").asString()).isEqualTo("720p");
        assertThat(body.get("options").get("external_task_id").asString()).isEqualTo("req-cn");
        assertThat(body.get("options").get("callback_url").asString()).isEqualTo("https://hooks.example/cb");
        assertThat(body.has("external_task_id")).isFalse();
    }

    @Test
    void refusesA2026ModelForAnAccountWithoutAnApiKeyWithoutSendingAnything() {
        assertThatThrownBy(() -> client.create(legacyAccount, Product.TEXT_TO_VIDEO,
                Map.of("model_name", "kling-3.0", "prompt", "p")))
                .isInstanceOf(PermanentException.class).hasMessageContaining("API key");

        assertThat(singapore.seen).isEmpty();
        assertThat(beijing.seen).isEmpty();
    }

    @Test
    void keepsKeysOutOfLogsAndExceptionsWhenKlingRefusesThem(CapturedOutput output) {
        // GIVEN both regions refuse the credential (1004 expired / 1000 invalid)
        singapore.status.set(401);
        singapore.reply.set("{\"code\":1004,\"message\":\"Authorization is expired\",\"request_id\":\"r\"}");
        beijing.status.set(401);
        beijing.reply.set("{\"code\":1000,\"message\":\"Authorization failed\",\"request_id\":\"r\"}");

        // WHEN / THEN
        assertThatThrownBy(() -> client.create(legacyAccount, Product.TEXT_TO_VIDEO, Map.of("prompt", "p")))
                .isInstanceOf(AccountException.class)
                .satisfies(e -> assertThat(e.toString()).doesNotContain(SECRET_KEY, API_KEY));
        assertThatThrownBy(() -> client.create(newApiAccount, Product.OMNI_VIDEO,
                Map.of("model_name", "kling-3.0-omni", "prompt", "p")))
                .isInstanceOf(AccountException.class)
                .satisfies(e -> assertThat(e.toString()).doesNotContain(SECRET_KEY, API_KEY));
        // a JWT is re-signed once; an API key is not retried
        assertThat(singapore.seen).hasSize(2);
        assertThat(beijing.seen).singleElement().satisfies(seen -> assertThat(seen.path()).isEqualTo("/omni-video/kling-3.0-omni"));
        assertThat(output.getAll()).doesNotContain(SECRET_KEY).doesNotContain(API_KEY)
                .doesNotContain(singapore.seen.getFirst().authorization().substring(7));
    }
}
