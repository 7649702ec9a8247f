package io.klingrelay.common.health;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A container healthcheck for images without a shell or curl (the services' Jib images):
 * {@code java -cp @/app/jib-classpath-file io.klingrelay.common.health.HealthCheck URL}
 * exits 0 when {@code URL} (e.g. {@code http://localhost:8081/actuator/health/readiness}) answers
 * 200 within 5 s, 1 otherwise. Used by {@code deploy/compose/compose.yaml}; Kubernetes probes call
 * the endpoints directly.
 */
public final class HealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private HealthCheck() {
    }

    /**
     * @param args the URL to check
     * @throws InterruptedException when interrupted while waiting for the answer
     */
    public static void main(String[] args) throws InterruptedException {
        System.exit(isUp(URI.create(args[0])) ? 0 : 1);
    }

    private static boolean isUp(URI url) throws InterruptedException {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT).build();
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }
}
