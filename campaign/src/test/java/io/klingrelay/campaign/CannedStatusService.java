package io.klingrelay.campaign;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A status service answering the contract's JSON for one campaign with fixed content: {@code a-1}
 * archived (one video asset), {@code a-2} failed in generation, {@code a-3} failed in generation but
 * already retried as {@code a-3.r1} (queued). A second campaign, {@code settled}, has ended: {@code a-1}
 * archived and {@code a-2} failed in generation, and stays so (the service never reads a retry).
 * Records every request path it served.
 */
final class CannedStatusService implements AutoCloseable {

    static final String CAMPAIGN = "canned";
    static final String CAMPAIGN_VIEW = """
            {"campaignId":"canned","total":4,"counts":{"queued":1,"archived":1,"failed":2},
             "accounts":{"brand-aurora":{"queued":1,"archived":1,"failed":2}},"units":"3.5",
             "oldestWaiting":{"requestId":"a-3.r1","accountId":"brand-aurora","since":"2026-11-30T07:00:00Z"},
             "failuresByReason":[{"stage":"generation","reason":"1301: risk control","count":2}],
             "firstSeenAt":"2026-11-30T06:59:00Z","lastUpdateAt":"2026-11-30T07:01:00Z"}""";
    static final String ARCHIVED = """
            {"requestId":"a-1","accountId":"brand-aurora","campaignId":"canned","product":"text-to-video","state":"archived",
             "taskId":"t-1","retryOf":null,"units":"1.5","history":[],"failure":null,
             "assets":[{"kind":"video","index":0,"bucket":"klingrelay-assets","objectKey":"brand-aurora/a-1/0.mp4","size":1234,
             "sha256":"ab12","contentType":"video/mp4","presignedUrl":"%s","presignedUrlExpiresAt":"2026-11-30T08:00:00Z"}]}""";
    static final String FAILED = """
            {"requestId":"%s","accountId":"brand-aurora","campaignId":"canned","product":"text-to-video","state":"failed",
             "taskId":"t-2","units":null,"assets":[],"failure":{"stage":"generation","reason":"1301: risk control"}}""";
    static final String QUEUED = """
            {"requestId":"a-3.r1","accountId":"brand-aurora","campaignId":"canned","product":"text-to-video","state":"queued",
             "retryOf":"a-3","assets":[],"failure":null}""";

    static final String SETTLED = "settled";
    static final String SETTLED_VIEW = """
            {"campaignId":"settled","total":2,"counts":{"archived":1,"failed":1},
             "accounts":{"brand-aurora":{"archived":1,"failed":1}},"units":"1.5","oldestWaiting":null,
             "failuresByReason":[{"stage":"generation","reason":"1301: risk control","count":1}],
             "firstSeenAt":"2026-11-30T06:59:00Z","lastUpdateAt":"2026-11-30T07:01:00Z"}""";

    private final HttpServer server;
    private final List<String> served = new CopyOnWriteArrayList<>();

    CannedStatusService() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<String> served() {
        return served;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getQuery();
        served.add(path + (query == null ? "" : "?" + query));
        String body = switch (path) {
            case "/campaigns" -> "{\"campaigns\":[]}";
            case "/campaigns/canned" -> CAMPAIGN_VIEW;
            case "/campaigns/canned/requests" -> "{\"requests\":[" + ARCHIVED.formatted("https://s3/old") + ","
                    + FAILED.formatted("a-2") + "," + FAILED.formatted("a-3") + "," + QUEUED + "],\"next\":null}";
            case "/campaigns/settled" -> SETTLED_VIEW;
            case "/campaigns/settled/requests" -> ("{\"requests\":[" + ARCHIVED.formatted("https://s3/old") + ","
                    + FAILED.formatted("a-2") + "],\"next\":null}").replace("\"canned\"", "\"settled\"");
            case "/requests/brand-aurora/a-1" -> ARCHIVED.formatted("query".equals(query) ? "" : "https://s3/fresh?X-Amz-Signature=1");
            default -> null;
        };
        byte[] bytes = (body == null ? "{\"error\":\"unknown\"}" : body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
