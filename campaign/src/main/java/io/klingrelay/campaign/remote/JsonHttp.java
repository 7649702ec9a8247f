package io.klingrelay.campaign.remote;

import io.klingrelay.common.json.EventJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** A small JSON-over-HTTP helper for the status service and the submitter's admin API. */
final class JsonHttp {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private JsonHttp() {
    }

    /**
     * @param url the URL
     * @return the JSON body of a 200, or empty on 404
     * @throws RemoteException on any other status, a body that is not JSON, or a connection error
     */
    static Optional<JsonNode> get(String url) {
        return call(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build(), url);
    }

    /**
     * @param url         the URL
     * @param bearerToken the token for {@code Authorization: Bearer}, or null
     * @return the JSON body of a 2xx, or empty on 404
     * @throws RemoteException on any other status or a connection error
     */
    static Optional<JsonNode> post(String url, @Nullable String bearerToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.noBody());
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        return call(request.build(), url);
    }

    private static Optional<JsonNode> call(HttpRequest request, String url) {
        HttpResponse<String> response;
        try {
            response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RemoteException(request.method() + " " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteException("interrupted: " + request.method() + " " + url, e);
        }
        int status = response.statusCode();
        if (status == 404) {
            return Optional.empty();
        }
        if (status / 100 != 2) {
            throw new RemoteException(request.method() + " " + url + " answered " + status + ": " + brief(response.body()));
        }
        try {
            return Optional.of(EventJson.mapper().readTree(response.body()));
        } catch (JacksonException e) {
            throw new RemoteException(request.method() + " " + url + " answered " + status + " with a body that is not JSON", e);
        }
    }

    private static String brief(String body) {
        String text = body.strip();
        return text.length() > 200 ? text.substring(0, 197) + "..." : text;
    }
}
