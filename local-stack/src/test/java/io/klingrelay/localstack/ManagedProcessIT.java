package io.klingrelay.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A port picked free may be taken by another process before the service binds it: that process's
 * answers must not pass for the service's. Here the "other process" is an HTTP server in the test JVM
 * on the port, and the started process ({@code sleep}) never answers.
 */
class ManagedProcessIT {

    @TempDir
    Path dir;

    private final AtomicLong answeredPid = new AtomicLong(1);
    private HttpServer impostor;
    private ManagedProcess process;

    @BeforeEach
    void startAnImpostorAndAProcessThatNeverAnswers() throws IOException {
        impostor = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        impostor.createContext("/actuator/info", exchange -> {
            byte[] body = ("{\"process\":{\"pid\":" + answeredPid.get() + "}}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        impostor.start();
        process = ManagedProcess.start("sleeper", List.of("sleep", "60"), Map.of(), dir, dir.resolve("sleeper.log"));
    }

    @AfterEach
    void stop() {
        impostor.stop(0);
        process.close();
    }

    @Test
    void anAnswerTheProcessDidNotGiveIsWaitedPastUntilTheTimeout() {
        String url = "http://127.0.0.1:" + impostor.getAddress().getPort() + "/actuator/info";

        assertThatThrownBy(() -> process.awaitHttpOk(url, Duration.ofSeconds(2),
                body -> body.contains("\"pid\":" + process.pid() + "}")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not ready after");
    }

    @Test
    void theProcesssOwnAnswerEndsTheWait() {
        String url = "http://127.0.0.1:" + impostor.getAddress().getPort() + "/actuator/info";
        answeredPid.set(process.pid());

        process.awaitHttpOk(url, Duration.ofSeconds(30), body -> body.contains("\"pid\":" + process.pid() + "}"));

        assertThat(process.isAlive()).isTrue();
    }
}
