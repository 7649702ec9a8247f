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
import java.net.URLEncoder;
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
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Batch queries of many tasks in one Kling call (issue 9, "Completion at scale"): the legacy list
 * {@code GET <base><path>?pageNum=&pageSize=} (kling-api.md §10.4: {@code pageNum} 1–1000,
 * {@code pageSize} 1–500, {@code data} a bare array of single-query objects, newest first in practice,
 * no total or cursor) and the 2026 batch query {@code GET <base>/tasks?task_ids=a,b} (§15, up to 500
 * ids, {@code data[]} in the 2026 task shape, read by {@link KlingTask#fromNewApi}). Kept apart from
 * {@link KlingClient} (single creates and queries). Every call goes to the account's own base URL and
 * sends {@code Authorization: Bearer <token>}: the legacy list a JWT signed by {@link KlingJwtSigner}
 * (the API key for an account without AccessKey/SecretKey), the 2026 query the account's API key
 * (§3.3). Answers are read as the {@code {code, message, request_id, data}} envelope (§4.1), errors
 * classified with {@link KlingErrors}, and every call is timed by {@link KlingCallMetrics} with the
 * operation tag {@value #LIST} or {@value #BATCH}. Thread-safe.
 */
public final class KlingTaskQueries {

    /** Operation tag of {@value KlingCallMetrics#CALLS} for one list page (§10.4). */
    public static final String LIST = "list";
    /** Operation tag of {@value KlingCallMetrics#CALLS} for one 2026 batch query (§15). */
    public static final String BATCH = "batch_query";
    /** The most ids one 2026 batch query takes (§15). */
    public static final int MAX_BATCH_IDS = 500;
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
        URI uri = URI.create(account.baseUrlOr(properties.baseUrl()) + KlingEndpoints.path(product) + "?pageNum="
                + pageNum + "&pageSize=" + pageSize);
        try {
            return call(account, product, uri, LIST, false);
        } catch (AccountException e) {
            if (e.klingCode() == null || !KlingErrors.isAuthentication(e.klingCode()) || !account.hasAccessKeys()) {
                throw e;
            }
            signer.invalidate(account);
            return call(account, product, uri, LIST, false);
        }
    }

    /**
     * Queries 2026 tasks by id in one call: {@code GET <base>/tasks?task_ids=a,b,…} (§15), with the
     * account's API key. The answer holds the tasks Kling knows, each once; an id Kling does not know is
     * simply absent.
     *
     * @param account the account that created them (it needs an API key, §3.3)
     * @param product the product, for the {@code product} tag of the call's metric
     * @param taskIds 1–{@value #MAX_BATCH_IDS} {@code task_id}s
     * @return the known tasks in the relay's shape ({@code succeeded} read as {@code succeed})
     * @throws IllegalArgumentException when there are no ids or more than {@value #MAX_BATCH_IDS}
     * @throws TransientException on 1302, 5000–5002, other 5xx, timeouts, connection errors and answers that
     *         are not Kling's envelope with a {@code data} array
     * @throws io.klingrelay.common.error.PermanentException when Kling refused the query (1200–1203, other 4xx)
     * @throws AccountException on account-level codes (an account without an API key included)
     */
    public List<KlingTask> byTaskIds(KlingAccount account, Product product, List<String> taskIds) {
        if (taskIds.isEmpty() || taskIds.size() > MAX_BATCH_IDS) {
            throw new IllegalArgumentException("1-" + MAX_BATCH_IDS + " task ids per batch query, got " + taskIds.size());
        }
        String ids = taskIds.stream().map(id -> URLEncoder.encode(id, StandardCharsets.UTF_8))
                .collect(Collectors.joining(","));
        URI uri = URI.create(account.baseUrlOr(properties.baseUrl()) + KlingEndpoints.NEW_API_TASKS + "?task_ids="
                + ids);
        return call(account, product, uri, BATCH, true);
    }

    private List<KlingTask> call(KlingAccount account, Product product, URI uri, String operation, boolean newApi) {
        HttpRequest request = HttpRequest.newBuilder(uri).GET()
                .timeout(properties.requestTimeout())
                .header("Authorization", "Bearer " + bearer(account, newApi))
                .header("Accept", "application/json")
                .build();
        long started = System.nanoTime();
        try {
            List<KlingTask> tasks = readPage(send(request), newApi);
            metrics.record(account.id(), operation, product, Duration.ofNanos(System.nanoTime() - started), null);
            return tasks;
        } catch (RuntimeException e) {
            metrics.record(account.id(), operation, product, Duration.ofNanos(System.nanoTime() - started), e);
            throw e;
        }
    }

    /** The 2026 surface takes the API key only; the legacy one a JWT unless the account has only a key. */
    private String bearer(KlingAccount account, boolean newApi) {
        boolean apiKey = account.hasApiKey() && (newApi || !account.hasAccessKeys());
        return apiKey ? account.apiKey() : signer.token(account);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return httpClient.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new TransientException("query tasks timed out after " + properties.requestTimeout(), null, 0, null, e);
        } catch (IOException e) {
            throw new TransientException("query tasks failed: " + e.getClass().getSimpleName(), null, 0, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException("query tasks interrupted", null, 0, null, e);
        }
    }

    private List<KlingTask> readPage(HttpResponse<String> response, boolean newApi) {
        int status = response.statusCode();
        JsonNode envelope = parse(response.body(), status);
        Integer code = envelope.hasNonNull("code") ? envelope.get("code").asInt() : null;
        if (status != 200 || code == null || code != 0) {
            throw refused(status, code, envelope);
        }
        JsonNode data = envelope.get("data");
        if (data == null || !data.isArray()) {
            throw new TransientException("query tasks: envelope without a data array", null, status, null, null);
        }
        List<KlingTask> tasks = new ArrayList<>(data.size());
        for (JsonNode entry : data) {
            readTask(entry, newApi).ifPresent(tasks::add);
        }
        return tasks;
    }

    private Optional<KlingTask> readTask(JsonNode entry, boolean newApi) {
        try {
            KlingTask task = newApi ? KlingTask.fromNewApi(entry) : jsonMapper.treeToValue(entry, KlingTask.class);
            return task.taskId() == null || task.taskStatus() == null ? Optional.empty()
                    : Optional.of(task);
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            // one unreadable entry does not spoil the others
            return Optional.empty();
        }
    }

    private static KlingRelayException refused(int status, @Nullable Integer code, JsonNode envelope) {
        if (!KlingErrors.isKlingEnvelope(envelope)) {
            return new TransientException("query tasks: HTTP " + status + " without Kling's envelope", code, status,
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
        throw new TransientException("query tasks: answer is not a JSON envelope", null, status, null, null);
    }
}
