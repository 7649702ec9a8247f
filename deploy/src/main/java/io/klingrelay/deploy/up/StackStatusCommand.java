package io.klingrelay.deploy.up;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * {@code klingrelay status}: which recorded processes of the {@code up} stack are alive, and what
 * each service's {@code /actuator/health} answers. Exit 0 when everything runs and is healthy,
 * 1 when something is down, 3 when no stack is up.
 */
@Command(name = "status", mixinStandardHelpOptions = true, description = "What the stack 'up' started is doing: processes alive, health URLs.")
public final class StackStatusCommand implements Callable<Integer> {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "up-data", description = "the stack's data folder (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of("up-data");

    // a CLI's console: user-facing output, deliberately not logging
    private final PrintStream out = System.out;

    @Override
    public Integer call() {
        UpFiles files = new UpFiles(dataDir);
        List<UpFiles.RecordedProcess> processes = files.readProcesses();
        if (processes.isEmpty()) {
            out.printf("not up: no %s (start it with ./klingrelay up)%n", files.processes());
            return 3;
        }
        boolean ok = true;
        out.println("processes:");
        for (UpFiles.RecordedProcess process : processes) {
            boolean alive = process.live().isPresent();
            ok &= alive;
            out.printf("  %-8s pid %-8d %s%n", alive ? "running" : "GONE", process.pid(), process.name());
        }
        JsonNode endpoints = files.readEndpoints().orElse(null);
        if (endpoints == null) {
            out.println("endpoints.json is missing: the stack is starting or failed (see logs/up.log)");
            return 1;
        }
        out.println("health:");
        for (var service : endpoints.path("services").properties()) {
            String url = service.getValue().asString() + "/actuator/health";
            String answer = health(url);
            ok &= answer.startsWith("200");
            out.printf("  %-18s %-40s %s%n", service.getKey(), url, answer);
        }
        out.printf("kafka %s, redis %s, s3 %s%n", endpoints.path("bootstrapServers").asString(),
                endpoints.path("redisUri").asString(), endpoints.path("s3Endpoint").asString());
        return ok ? 0 : 1;
    }

    private static String health(String url) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            String body = response.body().strip();
            return response.statusCode() + " " + (body.length() > 60 ? body.substring(0, 60) + "..." : body);
        } catch (IOException e) {
            return "unreachable (" + e.getClass().getSimpleName() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
