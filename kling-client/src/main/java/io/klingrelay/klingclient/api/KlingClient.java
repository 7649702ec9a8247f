package io.klingrelay.klingclient.api;

import io.klingrelay.common.error.KlingRelayException;
import io.klingrelay.common.error.PermanentException;
import io.klingrelay.common.error.TransientException;
import io.klingrelay.common.event.Product;
import io.klingrelay.klingclient.auth.KlingJwtSigner;
import io.klingrelay.klingclient.config.KlingAccount;
import io.klingrelay.klingclient.config.KlingProperties;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Typed client for the legacy /v1 Kling API: create a task and query it by {@code task_id} or
 * {@code external_task_id} for text-to-video, image-to-video and image generation
 * (kling-api.md §5–§10). Every call sends {@code Authorization: Bearer <jwt>} signed by
 * {@link KlingJwtSigner} and {@code Content-Type: application/json}; every answer is read as
 * the {@code {code, message, request_id, data}} envelope (§4.1), and errors are classified by
 * {@link KlingErrors}. On an authentication code (1000–1004) the token is re-signed and the call
 * repeated once; a second one is an {@code AccountException}. Thread-safe; uses the JDK
 * {@link HttpClient} (HTTP/1.1, connection pooling, no extra dependency).
 */
public final class KlingClient {

    private static final Logger log = LoggerFactory.getLogger(KlingClient.class);

    private final KlingProperties properties;
    private final JsonMapper jsonMapper;
    private final HttpClient httpClient;
    private final KlingJwtSigner signer;

    /**
     * @param properties base URL and timeouts
     * @param jsonMapper the JSON mapper
     * @param httpClient the HTTP client
     * @param signer     the JWT signer
     */
    public KlingClient(KlingProperties properties, JsonMapper jsonMapper, HttpClient httpClient, KlingJwtSigner signer) {
        this.properties = properties;
        this.jsonMapper = jsonMapper;
        this.httpClient = httpClient;
        this.signer = signer;
    }

    /**
     * @param properties base URL, timeouts and token refresh margin
     * @param jsonMapper the JSON mapper
     * @return a client with a JDK HTTP client (HTTP/1.1, no redirects) and a system-clock signer
     */
    public static KlingClient create(KlingProperties properties, JsonMapper jsonMapper) {
        HttpClient httpClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return new KlingClient(properties, jsonMapper, httpClient,
                new KlingJwtSigner(Clock.systemUTC(), properties.tokenRefreshMargin()));
    }

    /**
     * Creates a task: {@code POST <base><path(product)>}.
     *
     * @param account the account to bill
     * @param product the product
     * @param body    the create body with Kling's snake_case fields, {@code external_task_id} and
     *                {@code callback_url} included by the caller
     * @return the created task ({@code task_status} {@code submitted})
     * @throws PermanentException on 1200–1203, 1300, 1301 or another 4xx
     * @throws io.klingrelay.common.error.CapacityException on 1303
     * @throws io.klingrelay.common.error.AccountException on 1000–1004 (after one re-sign), 1100–1103, 1304
     * @throws TransientException on 1302, 5000–5002, other 5xx, timeouts and connection errors;
     *         the task MAY exist then: query by {@code external_task_id} before creating again
     */
    public KlingTask create(KlingAccount account, Product product, Map<String, Object> body) {
        String json = jsonMapper.writeValueAsString(body);
        URI uri = uri(KlingEndpoints.path(product));
        return exchange(account, () -> HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(json)),
                "create " + product.wireName(), null);
    }

    /**
     * Queries one task by {@code task_id}: {@code GET <base><path>/{task_id}} (§10.2).
     *
     * @param account the account that created it
     * @param product the product it was created under
     * @param taskId  Kling's {@code task_id}
     * @return the task; {@code task_result} may be absent until {@code succeed}
     * @throws PermanentException when the task does not exist (1203/404) or the answer is unusable
     * @throws TransientException on 1302, 5000–5002, timeouts and connection errors
     * @throws io.klingrelay.common.error.AccountException on account-level codes
     */
    public KlingTask queryByTaskId(KlingAccount account, Product product, String taskId) {
        URI uri = uri(KlingEndpoints.path(product) + "/" + encode(taskId));
        return exchange(account, () -> HttpRequest.newBuilder(uri).GET(), "query task", taskId);
    }

    /**
     * Looks a task up by {@code external_task_id} in the documented path form
     * {@code GET <base><path>/{external_task_id}} (§10.3). This is the check made before any
     * re-submission that might already have reached Kling.
     *
     * @param account        the account that would have created it
     * @param product        the product
     * @param externalTaskId our request id
     * @return the task, or empty when Kling knows no such task (1203/404, or 1201/400, which some
     *         deployments answer for an unknown id, §17 item 3)
     * @throws TransientException on 1302, 5000–5002, timeouts and connection errors (the answer is unknown)
     * @throws io.klingrelay.common.error.AccountException on account-level codes
     */
    public Optional<KlingTask> findByExternalTaskId(KlingAccount account, Product product, String externalTaskId) {
        URI uri = uri(KlingEndpoints.path(product) + "/" + encode(externalTaskId));
        try {
            KlingTask task = exchange(account, () -> HttpRequest.newBuilder(uri).GET(), "query external_task_id", null);
            return Optional.of(task);
        } catch (PermanentException e) {
            if (isUnknownTask(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static boolean isUnknownTask(PermanentException e) {
        Integer code = e.klingCode();
        return (code != null && (code == 1203 || code == 1201)) || e.httpStatus() == 404;
    }

    private URI uri(String path) {
        return URI.create(properties.baseUrl() + path);
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private KlingTask exchange(KlingAccount account, RequestFactory factory, String operation, @Nullable String taskId) {
        try {
            return exchangeOnce(account, factory, operation, taskId);
        } catch (io.klingrelay.common.error.AccountException e) {
            if (e.klingCode() == null || !KlingErrors.isAuthentication(e.klingCode())) {
                throw e;
            }
            log.warn("{} for account {} answered auth code {}; re-signing the token once", operation, account.id(),
                    e.klingCode());
            signer.invalidate(account);
            return exchangeOnce(account, factory, operation, taskId);
        }
    }

    private KlingTask exchangeOnce(KlingAccount account, RequestFactory factory, String operation,
            @Nullable String taskId) {
        HttpRequest request = factory.builder()
                .timeout(properties.requestTimeout())
                .header("Authorization", "Bearer " + signer.token(account))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .build();
        HttpResponse<String> response = send(request, operation, taskId);
        return readTask(response, operation, taskId);
    }

    private HttpResponse<String> send(HttpRequest request, String operation, @Nullable String taskId) {
        try {
            return httpClient.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new TransientException(operation + " timed out after " + properties.requestTimeout(), null, 0, taskId, e);
        } catch (IOException e) {
            throw new TransientException(operation + " failed: " + e.getClass().getSimpleName(), null, 0, taskId, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException(operation + " interrupted", null, 0, taskId, e);
        }
    }

    private KlingTask readTask(HttpResponse<String> response, String operation, @Nullable String taskId) {
        int status = response.statusCode();
        JsonNode envelope = parse(response.body(), status, operation, taskId);
        Integer code = envelope.hasNonNull("code") ? envelope.get("code").asInt() : null;
        String message = envelope.hasNonNull("message") ? envelope.get("message").asString() : null;
        if (status != 200 || code == null || code != 0) {
            throw KlingErrors.classify(status, code, message, taskId);
        }
        JsonNode data = envelope.get("data");
        if (data == null || !data.isObject()) {
            throw unusable(operation + ": envelope without a data object", status, taskId);
        }
        try {
            KlingTask task = jsonMapper.treeToValue(data, KlingTask.class);
            if (task.taskId() == null || task.taskStatus() == null) {
                throw unusable(operation + ": data without task_id or task_status", status, taskId);
            }
            return task;
        } catch (JacksonException e) {
            throw unusable(operation + ": data is not a task object", status, taskId);
        }
    }

    private JsonNode parse(String body, int status, String operation, @Nullable String taskId) {
        try {
            JsonNode node = jsonMapper.readTree(body);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (JacksonException e) {
            // fall through: not JSON (e.g. a gateway's HTML error page)
        }
        if (status >= 500 || status == 429 || status == 200) {
            // a 200 that does not parse may still mean the task was created: transient, query first
            throw new TransientException(operation + ": answer is not a JSON envelope", null, status, taskId, null);
        }
        throw new PermanentException(operation + ": answer is not a JSON envelope", null, status, taskId, null);
    }

    private static KlingRelayException unusable(String detail, int status, @Nullable String taskId) {
        return new TransientException(detail, null, status, taskId, null);
    }

    @FunctionalInterface
    private interface RequestFactory {
        HttpRequest.Builder builder();
    }
}
