package io.klingrelay.archiver.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.klingrelay.common.error.KlingRelayException;
import io.klingrelay.common.error.PermanentException;
import io.klingrelay.common.error.TransientException;
import io.klingrelay.common.event.AssetKind;
import io.klingrelay.common.event.TaskAsset;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The downloader against a JDK HTTP server on 127.0.0.1: the download deadline and the content
 * check, on real sockets.
 */
class AssetDownloaderIT {

    private static final Duration DEADLINE = Duration.ofSeconds(3);
    private static final Duration SLACK = Duration.ofSeconds(2);
    private static final byte[] MP4_START = {0, 0, 0, 0x20, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'};
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0x0d, 'I', 'H'};

    private static @Nullable HttpServer server;
    private static @Nullable ExecutorService serverThreads;
    private static @Nullable ScheduledExecutorService drippers;
    private static final Map<String, ScheduledFuture<?>> drips = new ConcurrentHashMap<>();

    private final AssetDownloader downloader = new AssetDownloader(new HostPolicy(List.of("127.0.0.1"), true),
            1024 * 1024, Duration.ofSeconds(1), Duration.ofSeconds(2));

    @BeforeAll
    static void startServer() throws IOException {
        serverThreads = Executors.newFixedThreadPool(2);
        drippers = Executors.newSingleThreadScheduledExecutor();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/drip.mp4", AssetDownloaderIT::drip);
        server.createContext("/page.mp4", exchange -> respond(exchange, "text/html; charset=utf-8",
                "<!DOCTYPE html><html><body>Not here</body></html>".getBytes(StandardCharsets.UTF_8)));
        server.createContext("/image.png", exchange -> respond(exchange, "image/png", PNG));
        server.setExecutor(serverThreads);
        server.start();
    }

    @AfterEach
    void closeDownloader() {
        downloader.close();
    }

    @AfterAll
    static void stopServer() {
        drips.values().forEach(drip -> drip.cancel(true));
        if (server != null) {
            server.stop(0);
        }
        if (drippers != null) {
            drippers.shutdownNow();
        }
        if (serverThreads != null) {
            serverThreads.shutdownNow();
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // without a deadline the drip never ends
    void abortsASlowDripAtTheDeadlineAsATransientError() {
        // GIVEN a host that sends one byte every 500 ms for ever: the 2 s read timeout never fires
        TaskAsset asset = asset(AssetKind.VIDEO, "/drip.mp4?Expires=1768112080&Signature=s3cr3t");

        // WHEN the body is read to the end
        long started = System.nanoTime();
        Throwable failure = catchDownloadFailure(asset);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // THEN the download ended at the deadline, as a transient failure naming the setting
        assertThat(took).isGreaterThanOrEqualTo(DEADLINE.minusMillis(100)).isLessThan(DEADLINE.plus(SLACK));
        assertThat(failure).isInstanceOf(TransientException.class)
                .hasMessageContaining("asset 0")
                .hasMessageContaining("klingrelay.archiver.download-deadline")
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void refusesAnHtmlPageForAVideoBeforeHandingOnAnyByte() {
        TaskAsset asset = asset(AssetKind.VIDEO, "/page.mp4");

        assertThatThrownBy(() -> downloader.open(asset, DEADLINE))
                .isInstanceOf(PermanentException.class)
                .hasMessage("asset 0 is text/html, not a video");
    }

    @Test
    void handsOnEveryByteOfAnImageItChecked() throws IOException {
        TaskAsset asset = asset(AssetKind.IMAGE, "/image.png");

        try (AssetDownload download = downloader.open(asset, DEADLINE)) {
            assertThat(download.contentType()).isEqualTo("image/png");
            assertThat(download.body().readAllBytes()).isEqualTo(PNG);
        }
    }

    private Throwable catchDownloadFailure(TaskAsset asset) {
        try (AssetDownload download = downloader.open(asset, DEADLINE)) {
            download.body().transferTo(OutputStream.nullOutputStream());
        } catch (AssetReadException e) {
            return e.failure();
        } catch (KlingRelayException | IOException e) {
            return e;
        }
        throw new AssertionError("the drip ended without a failure");
    }

    private static TaskAsset asset(AssetKind kind, String pathAndQuery) {
        return new TaskAsset(kind, 0, null, "http://127.0.0.1:" + server().getAddress().getPort() + pathAndQuery,
                null);
    }

    private static void respond(HttpExchange exchange, String contentType, byte[] body) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** Sends the start of an MP4 at once, then one zero byte every 500 ms until the client goes away. */
    private static void drip(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "video/mp4");
        exchange.sendResponseHeaders(200, 0); // chunked, length unknown
        OutputStream out = exchange.getResponseBody();
        out.write(MP4_START);
        out.flush();
        String id = String.valueOf(System.identityHashCode(exchange));
        drips.put(id, Objects.requireNonNull(drippers).scheduleAtFixedRate(() -> {
            try {
                out.write(0);
                out.flush();
            } catch (IOException e) {
                exchange.close();
                ScheduledFuture<?> self = drips.remove(id);
                if (self != null) {
                    self.cancel(false);
                }
            }
        }, 0, 500, TimeUnit.MILLISECONDS));
    }

    private static HttpServer server() {
        return Objects.requireNonNull(server, "server not started");
    }
}
