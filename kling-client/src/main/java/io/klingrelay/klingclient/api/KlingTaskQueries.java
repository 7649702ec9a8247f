package io.klingrelay.klingclient.api;

import io.klingrelay.common.error.AccountException;
import io.klingrelay.common.error.KlingRelayException;
import io.klingrelay.common.error.TransientException;
import io.klingrelay.common.event.Product;
import io.klingrelay.klingclient.auth.KlingJwtSigner;
import io.klingrelay.klingclient.config.KlingAccount;
import io.klingrelay.klingclient.config.KlingProperties;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Batch queries of many tasks in one Kling call (issue 9, "Completion at scale"): the legacy list
 * {@code GET <base><path>?pageNum=&pageSize=} (kling-api.md §10.4: {@code pageNum} 1–1000,
 * {@code pageSize} 1–500, {@code data} a bare array of single-query objects, newest first in practice,
 * no total or cursor). Kept apart from {@link KlingClient} (single creates and queries). Every call
 * sends {@code Authorization: Bearer <jwt>} signed by {@link KlingJwtSigner}, reads the
 * {@code {code, message, request_id, data}} envelope (§4.1), classifies errors with {@link KlingErrors}
 * and is timed by {@link KlingCallMetrics} with the operation tag {@value #LIST}. Thread-safe.
 */
public final class KlingTaskQueries {

    /** Operation tag of {@value KlingCallMetrics#CALLS} for one list page (§10.4). */
    public static final String LIST = "list";
    /** The largest {@code pageSize} Kling accepts (§10.4). */
    public static final int MAX_PAGE_SIZE = 500;
    /** The largest {@code pageNum} Kling accepts (§10.4). */
    public static final int MAX_PAGE_NUM = 1000;

    private final KlingProperties properties;
    private final JsonMapper jsonMapper;
    private final HttpClient httpClient;
    private final KlingJwtSigner signer;
    private final KlingCallMetrics metrics;

    /**
     * @param properties base URL and timeouts
     * @param jsonMapper the JSON mapper
     * @param httpClient the HTTP client
     * @param signer     the JWT signer
     * @param metrics    times every call ({@value KlingCallMetrics#CALLS}, operation {@value #LIST})
     */
    public KlingTaskQueries(KlingProperties properties, JsonMapper jsonMapper, HttpClient httpClient,
            KlingJwtSigner signer, KlingCallMetrics metrics) {
        this.properties = properties;
        this.jsonMapper = jsonMapper;
        this.httpClient = httpClient;
        this.signer = signer;
        this.metrics = metrics;
    }

    /**
     * @param properties base URL, timeouts and token refresh margin
     * @param jsonMapper the JSON mapper
     * @param metrics    times every call
     * @param decorate   wraps the JDK HTTP client, e.g. to observe each call
     * @return queries over a JDK HTTP client (HTTP/1.1, no redirects) with a system-clock signer
     */
    public static KlingTaskQueries create(KlingProperties properties, JsonMapper jsonMapper, KlingCallMetrics metrics,
            UnaryOperator<HttpClient> decorate) {
        HttpClient httpClient = decorate.apply(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
        return new KlingTaskQueries(properties, jsonMapper, httpClient,
                new KlingJwtSigner(Clock.systemUTC(), properties.tokenRefreshMargin()), metrics);
    }

    /**
     * Lists one page of an account's tasks of one product: {@code GET <base><path>?pageNum=&pageSize=}
     * (§10.4). On an authentication code (1000–1004) the token is re-signed and the call repeated once.
     *
     * @param account  the account whose tasks are listed
     * @param product  the product (each product has its own list)
     * @param pageNum  the page, 1–{@value #MAX_PAGE_NUM}
     * @param pageSize tasks per page, 1–{@value #MAX_PAGE_SIZE}
     * @return the page's tasks in Kling's order (newest first); fewer than {@code pageSize} on the last page,
     *         empty past it. Entries without {@code task_id} or {@code task_status} are left out.
     * @throws IllegalArgumentException when {@code pageNum} or {@code pageSize} is out of range
     * @throws TransientException on 1302, 5000–5002, other 5xx, timeouts, connection errors and answers that
     *         are not Kling's envelope with a {@code data} array
     * @throws io.klingrelay.common.error.PermanentException when Kling refused the list (1200–1203, other 4xx)
     * @throws io.klingrelay.common.error.AccountException on account-level codes
     */
    public List<KlingTask> listPage(KlingAccount account, Product product, int pageNum, int pageSize) {
        if (pageNum < 1 || pageNum > MAX_PAGE_NUM || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("pageNum must be 1-" + MAX_PAGE_NUM + " and pageSize 1-" + MAX_PAGE_SIZE
                    + ", got " + pageNum + " and " + pageSize);
        }
        URI uri = URI.create(properties.baseUrl() + KlingEndpoints.path(product) + "?pageNum=" + pageNum
                + "&pageSize=" + pageSize);
        try {
            return listOnce(account, product, uri);
        } catch (AccountException e) {
            if (e.klingCode() == null || !KlingErrors.isAuthentication(e.klingCode())) {
                throw e;
            }
            signer.invalidate(account);
            return listOnce(account, product, uri);
        }
    }

    private List<KlingTask> listOnce(KlingAccount account, Product product, URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).GET()
                .timeout(properties.requestTimeout())
                .header("Authorization", "Bearer " + signer.token(account))
                .header("Accept", "application/json")
                .build();
        long started = System.nanoTime();
        try {
            List<KlingTask> tasks = readPage(send(request));
            metrics.record(account.id(), LIST, product, Duration.ofNanos(System.nanoTime() - started), null);
            return tasks;
        } catch (RuntimeException e) {
            metrics.record(account.id(), LIST, product, Duration.ofNanos(System.nanoTime() - started), e);
            throw e;
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return httpClient.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new TransientException("list tasks timed out after " + properties.requestTimeout(), null, 0, null, e);
        } catch (IOException e) {
            throw new TransientException("list tasks failed: " + e.getClass().getSimpleName(), null, 0, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException("list tasks interrupted", null, 0, null, e);
        }
    }

    private List<KlingTask> readPage(HttpResponse<String> response) {
        int status = response.statusCode();
        JsonNode envelope = parse(response.body(), status);
        Integer code = envelope.hasNonNull("code") ? envelope.get("code").asInt() : null;
        if (status != 200 || code == null || code != 0) {
            throw refused(status, code, envelope);
        }
        JsonNode data = envelope.get("data");
        if (data == null || !data.isArray()) {
            throw new TransientException("list tasks: envelope without a data array", null, status, null, null);
        }
        List<KlingTask> tasks = new ArrayList<>(data.size());
        for (JsonNode entry : data) {
            readTask(entry).ifPresent(tasks::add);
        }
        return tasks;
    }

    private Optional<KlingTask> readTask(JsonNode entry) {
        try {
            KlingTask task = jsonMapper.treeToValue(entry, KlingTask.class);
            return task.taskId() == null || task.taskStatus() == null ? Optional.empty()
                    : Optional.of(task);
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    private static KlingRelayException refused(int status, @Nullable Integer code, JsonNode envelope) {
        if (!KlingErrors.isKlingEnvelope(envelope)) {
            return new TransientException("list tasks: HTTP " + status + " without Kling's envelope", code, status,
                    null, null);
        }
        String message = envelope.hasNonNull("message") ? envelope.get("message").asString() : null;
        return KlingErrors.classify(status, code, message, null);
    }

    private JsonNode parse(String body, int status) {
        try {
            JsonNode node = jsonMapper.readTree(body);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (JacksonException e) {
            // fall through: not JSON (a gateway's HTML error page)
        }
        throw new TransientException("list tasks: answer is not a JSON envelope", null, status, null, null);
    }
}
