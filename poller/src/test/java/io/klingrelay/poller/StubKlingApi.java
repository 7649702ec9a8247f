package io.klingrelay.poller;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.klingrelay.common.json.EventJson;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal Kling API for the poller's tests: {@code GET /v1/videos/text2video/{task_id}} answers
 * the §4.1 envelope around a §10.2 task object, after checking that a Bearer JWT (three dot-separated
 * parts) was sent; unknown tasks get 404/1203, a missing token 401/1001.
 */
final class StubKlingApi implements AutoCloseable {

    private static final String PATH = "/v1/videos/text2video/";

    private final HttpServer server;
    private final Map<String, String> statusByTaskId = new ConcurrentHashMap<>();
    private final Map<String, String> requestByTaskId = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> queries = new ConcurrentHashMap<>();
    private final Set<String> tokensSeen = ConcurrentHashMap.newKeySet();
    private final List<String> refusals = new CopyOnWriteArrayList<>();

    StubKlingApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(PATH, this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void task(String taskId, String requestId, String status) {
        requestByTaskId.put(taskId, requestId);
        statusByTaskId.put(taskId, status);
    }

    void status(String taskId, String status) {
        statusByTaskId.put(taskId, status);
    }

    int queries(String taskId) {
        AtomicInteger count = queries.get(taskId);
        return count == null ? 0 : count.get();
    }

    Set<String> tokensSeen() {
        return Set.copyOf(tokensSeen);
    }

    List<String> refusals() {
        return List.copyOf(refusals);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (!isBearerJwt(authorization)) {
                refusals.add("no bearer jwt");
                reply(exchange, 401, envelope(1001, "Authorization is empty", null));
                return;
            }
            tokensSeen.add(authorization.substring("Bearer ".length()));
            String taskId = exchange.getRequestURI().getPath().substring(PATH.length());
            String status = statusByTaskId.get(taskId);
            if (!"GET".equals(exchange.getRequestMethod()) || status == null) {
                reply(exchange, 404, envelope(1203, "task not found", null));
                return;
            }
            queries.computeIfAbsent(taskId, id -> new AtomicInteger()).incrementAndGet();
            reply(exchange, 200, envelope(0, "SUCCEED", data(taskId, status)));
        }
    }

    private static boolean isBearerJwt(String authorization) {
        return authorization != null && authorization.startsWith("Bearer ")
                && authorization.substring("Bearer ".length()).split("\\.").length == 3;
    }

    private Map<String, Object> data(String taskId, String status) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("task_id", taskId);
        data.put("task_status", status);
        data.put("task_status_msg", "failed".equals(status) ? "content risk control" : "");
        data.put("task_info", Map.of("external_task_id", requestByTaskId.get(taskId)));
        if ("succeed".equals(status)) {
            data.put("task_result", Map.of("images", List.of(), "videos", List.of(Map.of("id", "v-" + taskId,
                    "url", "http://127.0.0.1:9/assets/" + taskId + ".mp4?Expires=1768112080&Signature=sig",
                    "duration", "5.1"))));
        }
        data.put("created_at", 1765519848595L);
        data.put("updated_at", 1765520080995L);
        return data;
    }

    private static Map<String, Object> envelope(int code, String message, Object data) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("code", code);
        envelope.put("message", message);
        envelope.put("request_id", UUID.randomUUID().toString());
        if (data != null) {
            envelope.put("data", data);
        }
        return envelope;
    }

    private static void reply(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
        byte[] bytes = EventJson.mapper().writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
