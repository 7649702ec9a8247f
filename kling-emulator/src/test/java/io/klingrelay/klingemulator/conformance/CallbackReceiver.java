package io.klingrelay.klingemulator.conformance;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real HTTP endpoint recording every callback; can answer 500 a given number of times first. */
final class CallbackReceiver implements AutoCloseable {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();

    CallbackReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, List<String>> headers = Map.copyOf(exchange.getRequestHeaders());
            boolean fail = failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            received.add(new Received(exchange.getRequestMethod(), headers, body, MAPPER.readTree(body), fail));
            exchange.sendResponseHeaders(fail ? 500 : 200, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    void failNext(int times) {
        failuresLeft.set(times);
    }

    List<Received> forTask(String taskId) {
        return received.stream().filter(r -> taskId.equals(r.body().path("task_id").asString(""))).toList();
    }

    /** @return the callbacks of a 2026 task (body {@code id}, not {@code task_id}) */
    List<Received> forNewApiTask(String id) {
        return received.stream().filter(r -> id.equals(r.body().path("id").asString(""))).toList();
    }

    List<Received> all() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    record Received(String method, Map<String, List<String>> headers, byte[] raw, JsonNode body, boolean answered500) {

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        /** @return every value of the header, whatever the case of its name (empty when absent) */
        List<String> headerValues(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).toList();
        }

        String status() {
            return body.path("task_status").asString("");
        }
    }
}
