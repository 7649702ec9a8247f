package io.klingrelay.klingclient.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.klingrelay.common.error.KlingRelayException;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.json.EventJson;
import io.klingrelay.klingclient.config.KlingAccount;
import io.klingrelay.klingclient.config.KlingProperties;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every Kling call is timed as {@value KlingCallMetrics#CALLS} with account, operation, product and
 * the error class of its answer (issue 8). Runs the client against a local HTTP server answering one
 * canned reply, and reads the timers from a {@link SimpleMeterRegistry}.
 */
class KlingCallMetricsIT {

    private static final String SECRET_KEY = "metrics-secret-key-0123456789abcdef012345";
    private static final KlingAccount ACCOUNT = new KlingAccount("acct-a", "metrics-access-key", SECRET_KEY, 2);
    private static final String TASK = "{\"code\":0,\"message\":\"SUCCEED\",\"request_id\":\"r-0\",\"data\":"
            + "{\"task_id\":\"866889456698785798\",\"task_status\":\"submitted\",\"created_at\":1,\"updated_at\":1}}";

    private final AtomicReference<Reply> reply = new AtomicReference<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private HttpServer server;
    private KlingClient client;

    private record Reply(int status, String body) {
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = reply.get().body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.get().status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        client = KlingClient.create(new KlingProperties(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(60), List.of(ACCOUNT)),
                EventJson.mapper(), new KlingCallMetrics(registry));
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void timesASuccessfulCreateAndQueryWithAccountOperationAndProduct() {
        reply.set(new Reply(200, TASK));

        client.create(ACCOUNT, Product.TEXT_TO_VIDEO, Map.of("prompt", "a cat", "external_task_id", "req-1"));
        client.queryByTaskId(ACCOUNT, Product.IMAGE_TO_VIDEO, "866889456698785798");
        client.findByExternalTaskId(ACCOUNT, Product.IMAGE_GENERATION, "req-1");

        assertThat(timer("create", "text-to-video", "success").count()).isEqualTo(1);
        assertThat(timer("create", "text-to-video", "success").totalTime(java.util.concurrent.TimeUnit.NANOSECONDS))
                .isPositive();
        assertThat(timer("query", "image-to-video", "success").count()).isEqualTo(1);
        assertThat(timer("query_external", "image-generation", "success").count()).isEqualTo(1);
    }

    @ParameterizedTest(name = "HTTP {0} code {1} is {2}")
    @CsvSource({
            "429, 1303, capacity",
            "429, 1302, transient",
            "500, 5000, transient",
            "400, 1301, permanent",
            "400, 1201, permanent",
            "403, 1102, account",
            "401, 1004, account"})
    void tagsAFailedCreateWithItsErrorClass(int status, int code, String outcome) {
        reply.set(new Reply(status, "{\"code\":" + code + ",\"message\":\"refused\",\"request_id\":\"r-1\"}"));

        assertThatThrownBy(() -> client.create(ACCOUNT, Product.TEXT_TO_VIDEO, Map.of("prompt", "a cat")))
                .isInstanceOf(KlingRelayException.class);

        // an authentication code is answered twice: the client re-signs once and tries again
        long exchanges = code >= 1000 && code <= 1004 ? 2 : 1;
        assertThat(timer("create", "text-to-video", outcome).count()).isEqualTo(exchanges);
        assertThat(registry.find(KlingCallMetrics.CALLS).timers()).hasSize(1);
    }

    @Test
    void tagsATaskKlingDoesNotKnowAsNotFound() {
        reply.set(new Reply(404, "{\"code\":1203,\"message\":\"resource does not exist\",\"request_id\":\"r-2\"}"));

        assertThat(client.findByExternalTaskId(ACCOUNT, Product.TEXT_TO_VIDEO, "req-9")).isEmpty();

        assertThat(timer("query_external", "text-to-video", "not_found").count()).isEqualTo(1);
    }

    @Test
    void tagsAConnectionFailureAsTransient() {
        server.stop(0);

        assertThatThrownBy(() -> client.queryByTaskId(ACCOUNT, Product.TEXT_TO_VIDEO, "866889456698785798"))
                .isInstanceOf(KlingRelayException.class);

        assertThat(timer("query", "text-to-video", "transient").count()).isEqualTo(1);
    }

    @Test
    void putsNoKeyTokenOrIdIntoATag() {
        reply.set(new Reply(200, TASK));
        client.create(ACCOUNT, Product.TEXT_TO_VIDEO, Map.of("prompt", "a cat", "external_task_id", "req-1"));
        reply.set(new Reply(401, "{\"code\":1000,\"message\":\"bad token\",\"request_id\":\"r-3\"}"));
        assertThatThrownBy(() -> client.queryByTaskId(ACCOUNT, Product.TEXT_TO_VIDEO, "866889456698785798"))
                .isInstanceOf(KlingRelayException.class);

        List<String> tagValues = registry.getMeters().stream().map(Meter::getId)
                .flatMap(id -> id.getTags().stream()).map(Tag::getValue).toList();
        assertThat(tagValues).isNotEmpty().allSatisfy(value -> assertThat(value)
                .doesNotContain(SECRET_KEY, "metrics-access-key", "ey", "866889456698785798", "req-1"));
    }

    private Timer timer(String operation, String product, String outcome) {
        Timer timer = registry.find(KlingCallMetrics.CALLS).tags("account", ACCOUNT.id(), "operation", operation,
                "product", product, "outcome", outcome).timer();
        assertThat(timer).as("timer %s %s %s", operation, product, outcome).isNotNull();
        return timer;
    }
}
