package io.klingrelay.deploy.chaos;

import io.klingrelay.common.json.EventJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A small JSON-over-HTTP client for the admin APIs the chaos run reads and drives: the emulator's
 * {@code /admin/*}, the submitter's {@code /admin/accounts}, the webhook receiver's
 * {@code /actuator/metrics}. Thread-safe.
 */
final class JsonHttp {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;

    /** @param baseUrl e.g. {@code http://127.0.0.1:8090} */
    JsonHttp(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /**
     * @param path e.g. {@code /admin/stats}
     * @return the 2xx answer's JSON
     * @throws IllegalStateException on any other status
     * @throws UncheckedIOException when the call fails
     */
    JsonNode get(String path) {
        return EventJson.mapper().readTree(send("GET", path, null));
    }

    /**
     * @param method the HTTP method
     * @param path   the path
     * @param json   the JSON body, or null
     * @return the 2xx answer's body
     * @throws IllegalStateException on any other status
     * @throws UncheckedIOException when the call fails
     */
    String send(String method, String path, @Nullable String json) {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json);
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Content-Type", "application/json")
                .method(method, body).timeout(Duration.ofSeconds(30)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + baseUrl + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
