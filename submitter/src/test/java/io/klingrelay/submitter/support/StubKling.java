package io.klingrelay.submitter.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.klingrelay.common.json.EventJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scripted stand-in for Kling's text-to-video create and query, for the submitter's own
 * integration test (the end-to-end test runs against the real emulator). Prompts steer it:
 * {@code [1303-once]} answers 1303 to the first create; {@code [1102-once]} answers 1102 (account
 * balance) to the first create; {@code [5000-after-create]} creates the
 * task but answers 5000 to the first create (the "answer lost" case); {@code [slow-create]} makes
 * the first create take {@link #SLOW_CREATE} before the task exists and is answered (a create
 * slower than the dispatch lease).
 */
public final class StubKling implements AutoCloseable {

    /** How long a {@code [slow-create]} create takes. */
    public static final Duration SLOW_CREATE = Duration.ofSeconds(5);

    private final HttpServer server;
    private final AtomicLong nextTaskId = new AtomicLong(866889456698785000L);
    private final Map<String, String> taskIdByExternalId = new ConcurrentHashMap<>();
    private final Map<String, Integer> createsByExternalId = new ConcurrentHashMap<>();
    private final List<Map<String, Object>> createdBodies = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    public StubKling() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/videos/text2video", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** @return successful creates (tasks that exist) */
    public List<Map<String, Object>> createdBodies() {
        return createdBodies;
    }

    /** @param externalTaskId a request id @return create calls received for it, answered or not */
    public int createCalls(String externalTaskId) {
        return createsByExternalId.getOrDefault(externalTaskId, 0);
    }

    public List<String> authorizations() {
        return authorizations;
    }

    @SuppressWarnings("unchecked")
    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            if ("POST".equals(exchange.getRequestMethod())) {
                Map<String, Object> body = EventJson.mapper().readValue(exchange.getRequestBody().readAllBytes(), Map.class);
                create(exchange, body);
            } else {
                String path = exchange.getRequestURI().getPath();
                query(exchange, path.substring(path.lastIndexOf('/') + 1));
            }
        }
    }

    private void create(HttpExchange exchange, Map<String, Object> body) throws IOException {
        String externalId = (String) body.get("external_task_id");
        String prompt = String.valueOf(body.get("prompt"));
        int call = createsByExternalId.merge(externalId, 1, Integer::sum);
        if (prompt.contains("[slow-create]") && call == 1) {
            takeTime(SLOW_CREATE);
        }
        if (prompt.contains("[1102-once]") && call == 1) {
            reply(exchange, 429, "{\"code\":1102,\"message\":\"Account balance not enough\",\"request_id\":\"" + UUID.randomUUID() + "\"}");
            return;
        }
        if (prompt.contains("[1303-once]") && call == 1) {
            reply(exchange, 429, "{\"code\":1303,\"message\":\"parallel task over resource pack limit\",\"request_id\":\"" + UUID.randomUUID() + "\"}");
            return;
        }
        String taskId = Long.toString(nextTaskId.incrementAndGet());
        taskIdByExternalId.put(externalId, taskId);
        createdBodies.add(body);
        if (prompt.contains("[5000-after-create]") && call == 1) {
            reply(exchange, 500, "{\"code\":5000,\"message\":\"server internal error\",\"request_id\":\"" + UUID.randomUUID() + "\"}");
            return;
        }
        reply(exchange, 200, envelope(taskId, externalId));
    }

    private void query(HttpExchange exchange, String id) throws IOException {
        String taskId = taskIdByExternalId.get(id);
        if (taskId == null) {
            reply(exchange, 404, "{\"code\":1203,\"message\":\"task not found\",\"request_id\":\"" + UUID.randomUUID() + "\"}");
            return;
        }
        reply(exchange, 200, envelope(taskId, id));
    }

    private static String envelope(String taskId, String externalId) {
        long now = System.currentTimeMillis();
        return "{\"code\":0,\"message\":\"SUCCEED\",\"request_id\":\"" + UUID.randomUUID() + "\",\"data\":{\"task_id\":\""
                + taskId + "\",\"task_status\":\"submitted\",\"task_info\":{\"external_task_id\":\"" + externalId
                + "\"},\"created_at\":" + now + ",\"updated_at\":" + now + "}}";
    }

    /** Simulates Kling's own latency: the create is processed only after this. */
    private static void takeTime(Duration duration) {
        try {
            boolean ignored = new CountDownLatch(1).await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
