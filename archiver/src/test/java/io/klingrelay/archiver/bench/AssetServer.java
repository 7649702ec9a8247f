package io.klingrelay.archiver.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The bench's asset host: {@code GET /asset/<bytes>/<name>.mp4} answers a {@link BenchBody} of that
 * size at full speed, with {@code Content-Length}.
 */
final class AssetServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    private AssetServer(HttpServer server) {
        this.server = server;
    }

    /** @return a started server on a free 127.0.0.1 port */
    static AssetServer start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        AssetServer assets = new AssetServer(server);
        server.createContext("/asset/", AssetServer::serve);
        server.setExecutor(assets.threads);
        server.start();
        return assets;
    }

    /**
     * @param size the body's size
     * @param name a unique name
     * @return its URL
     */
    String url(long size, String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/asset/" + size + "/" + name + ".mp4";
    }

    private static void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            long size = Long.parseLong(exchange.getRequestURI().getPath().split("/")[2]);
            exchange.getResponseHeaders().add("Content-Type", "video/mp4");
            exchange.sendResponseHeaders(200, size);
            try (InputStream body = new BenchBody(size); OutputStream out = exchange.getResponseBody()) {
                byte[] buffer = new byte[256 * 1024];
                for (int n = body.read(buffer); n > 0; n = body.read(buffer)) {
                    out.write(buffer, 0, n);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
