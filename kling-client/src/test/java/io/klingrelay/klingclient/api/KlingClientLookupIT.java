package io.klingrelay.klingclient.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.klingrelay.common.error.TransientException;
import io.klingrelay.common.event.Product;
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
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * "Unknown" is never read as "absent" (kling-api.md §12, ARCHITECTURE.md "A paid generation is never
 * submitted twice"): a lookup reports a missing task only when Kling's own envelope says so; a
 * proxy's 404 page, a JSON 404 from a gateway or a 5xx leave the answer unknown. Runs the client
 * against a local HTTP server that answers one canned reply.
 */
class KlingClientLookupIT {

    private static final KlingAccount ACCOUNT = new KlingAccount("lookup", "lookup-access-key",
            "lookup-secret-key-0123456789abcdef012345", 2);

    private final AtomicReference<Reply> reply = new AtomicReference<>();
    private HttpServer server;
    private KlingClient client;

    private record Reply(int status, String contentType, String body) {
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Reply canned = reply.get();
            byte[] body = canned.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", canned.contentType());
            exchange.sendResponseHeaders(canned.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        client = KlingClient.create(new KlingProperties(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(60), List.of(ACCOUNT)),
                EventJson.mapper());
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @ParameterizedTest(name = "HTTP {0} {2} means absent")
    @CsvSource(delimiter = '|', value = {
            "404|application/json|{\"code\":1203,\"message\":\"resource does not exist\",\"request_id\":\"r-1\"}",
            "400|application/json|{\"code\":1201,\"message\":\"task not found\",\"request_id\":\"r-2\"}"})
    void readsAbsentOnlyFromKlingsOwnEnvelope(int status, String contentType, String body) {
        reply.set(new Reply(status, contentType, body));

        assertThat(client.findByExternalTaskId(ACCOUNT, Product.TEXT_TO_VIDEO, "req-1")).isEmpty();
        assertThatThrownBy(() -> client.queryByTaskId(ACCOUNT, Product.TEXT_TO_VIDEO, "866889456698785798"))
                .isInstanceOf(TaskNotFoundException.class);
    }

    @ParameterizedTest(name = "HTTP {0} {2} leaves the task unknown")
    @CsvSource(delimiter = '|', value = {
            "404|text/html|<html><body><h1>404 Not Found</h1>nginx</body></html>",
            "404|application/json|{\"error\":\"not found\"}",
            "404|application/json|{\"code\":1203,\"message\":\"no request_id: not Kling\"}",
            "404|application/json|{\"code\":5000,\"message\":\"odd\",\"request_id\":\"r-3\"}",
            "502|text/html|<html>Bad Gateway</html>",
            "503|application/json|{\"code\":5001,\"message\":\"maintenance\",\"request_id\":\"r-4\"}",
            "200|text/plain|not json at all"})
    void treatsEveryOtherAnswerToALookupAsUnknown(int status, String contentType, String body) {
        reply.set(new Reply(status, contentType, body));

        assertThatThrownBy(() -> client.findByExternalTaskId(ACCOUNT, Product.TEXT_TO_VIDEO, "req-1"))
                .isInstanceOf(TransientException.class);
        assertThatThrownBy(() -> client.queryByTaskId(ACCOUNT, Product.TEXT_TO_VIDEO, "866889456698785798"))
                .isInstanceOf(TransientException.class);
    }

    @ParameterizedTest(name = "a lookup that cannot connect is unknown")
    @CsvSource("0")
    void treatsAConnectionFailureAsUnknown(int ignored) {
        server.stop(0);

        assertThatThrownBy(() -> client.findByExternalTaskId(ACCOUNT, Product.TEXT_TO_VIDEO, "req-1"))
                .isInstanceOf(TransientException.class);
    }
}
