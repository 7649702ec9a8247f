package io.klingrelay.status.query;

import io.klingrelay.common.json.EventJson;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;
import tools.jackson.core.JacksonException;

/**
 * Forwards a query to the instance that owns its key, with {@link #LOCAL_HEADER} so that instance
 * answers from its own stores and never forwards again.
 */
public final class RemoteStatusClient {

    /** Marks a forwarded query: answer locally (404 when the key is not here). */
    public static final String LOCAL_HEADER = "X-Klingrelay-Status-Local";

    private final RestClient client;

    /** @param timeout connect and read timeout of a forwarded call */
    public RemoteStatusClient(Duration timeout) {
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().connectTimeout(timeout).build());
        factory.setReadTimeout(timeout);
        this.client = RestClient.builder().requestFactory(factory).build();
    }

    /**
     * @param baseUrl      the owner's {@code http://host:port}
     * @param pathAndQuery e.g. {@code /requests/brand-a/r-1?presign=true} (already encoded)
     * @param type         the JSON body's record type
     * @param <T>          the type
     * @return the body, or empty on 404
     * @throws StatusUnavailableException when the owner does not answer or answers with another error
     */
    public <T> Optional<T> get(String baseUrl, String pathAndQuery, Class<T> type) {
        try {
            String body = client.get().uri(java.net.URI.create(baseUrl + pathAndQuery)).header(LOCAL_HEADER, "true")
                    .header("Accept", "application/json").retrieve().body(String.class);
            return Optional.ofNullable(body).map(json -> EventJson.mapper().readValue(json, type));
        } catch (RestClientResponseException e) {
            if (e.getStatusCode().isSameCodeAs(HttpStatus.NOT_FOUND)) {
                return Optional.empty();
            }
            throw new StatusUnavailableException("instance " + baseUrl + " answered " + e.getStatusCode().value(), e);
        } catch (RestClientException | JacksonException e) {
            throw new StatusUnavailableException("instance " + baseUrl + " did not answer", e);
        }
    }
}
