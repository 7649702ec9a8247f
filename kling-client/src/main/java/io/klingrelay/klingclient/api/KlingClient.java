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
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Typed client for the Kling API: create a task and query it by {@code task_id} or
 * {@code external_task_id} (kling-api.md §5–§10), on the legacy {@code /v1} surface or, for the
 * 2026 model names ({@link KlingSurface}), the path-per-model create of §15. Every call goes to
 * the account's own base URL ({@link KlingAccount#baseUrl()}, its region or proxy; never another
 * account's host) and sends {@code Authorization: Bearer <token>}: the account's static API key
 * (§3.3; the only credential of the 2026 surface, and used on {@code /v1} when the account has no
 * AccessKey/SecretKey), otherwise a JWT signed by {@link KlingJwtSigner} (§3.2); and
 * {@code Content-Type: application/json}. Every answer is read as the
 * {@code {code, message, request_id, data}} envelope (§4.1), and errors are classified by
 * {@link KlingErrors}. On an authentication code (1000–1004) a JWT is re-signed and the call
 * repeated once; a second one (or any with an API key) is an {@code AccountException}. Every exchange is timed by
 * {@link KlingCallMetrics} (account, operation, product, error class). Thread-safe; uses the JDK
 * {@link HttpClient} (HTTP/1.1, connection pooling, no extra dependency).
 */
public final class KlingClient {

    private static final Logger log = LoggerFactory.getLogger(KlingClient.class);

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
     */
    public KlingClient(KlingProperties properties, JsonMapper jsonMapper, HttpClient httpClient, KlingJwtSigner signer) {
        this(properties, jsonMapper, httpClient, signer, KlingCallMetrics.none());
    }

    /**
     * @param properties base URL and timeouts
     * @param jsonMapper the JSON mapper
     * @param httpClient the HTTP client
     * @param signer     the JWT signer
     * @param metrics    times every exchange ({@value KlingCallMetrics#CALLS})
     */
    public KlingClient(KlingProperties properties, JsonMapper jsonMapper, HttpClient httpClient, KlingJwtSigner signer,
            KlingCallMetrics metrics) {
        this.properties = properties;
        this.jsonMapper = jsonMapper;
        this.httpClient = httpClient;
        this.signer = signer;
        this.metrics = metrics;
    }

    /**
     * @param properties base URL, timeouts and token refresh margin
     * @param jsonMapper the JSON mapper
     * @return a client with a JDK HTTP client (HTTP/1.1, no redirects) and a system-clock signer,
     *         recording no metrics
     */
    public static KlingClient create(KlingProperties properties, JsonMapper jsonMapper) {
        return create(properties, jsonMapper, KlingCallMetrics.none(), UnaryOperator.identity());
    }

    /**
     * @param properties base URL, timeouts and token refresh margin
     * @param jsonMapper the JSON mapper
     * @param metrics    times every exchange ({@value KlingCallMetrics#CALLS}); build it on the service's
     *                   {@code MeterRegistry}
     * @return a client with a JDK HTTP client (HTTP/1.1, no redirects) and a system-clock signer
     */
    public static KlingClient create(KlingProperties properties, JsonMapper jsonMapper, KlingCallMetrics metrics) {
        return create(properties, jsonMapper, metrics, UnaryOperator.identity());
    }

    /**
     * @param properties base URL, timeouts and token refresh margin
     * @param jsonMapper the JSON mapper
     * @param decorate   wraps the JDK HTTP client, e.g. to observe each call (a span per create or query)
     * @return a client with the decorated JDK HTTP client (HTTP/1.1, no redirects) and a system-clock
     *         signer, recording no metrics
     */
    public static KlingClient create(KlingProperties properties, JsonMapper jsonMapper,
            UnaryOperator<HttpClient> decorate) {
        return create(properties, jsonMapper, KlingCallMetrics.none(), decorate);
    }

    /**
     * @param properties base URL, timeouts and token refresh margin
     * @param jsonMapper the JSON mapper
     * @param metrics    times every exchange ({@value KlingCallMetrics#CALLS})
     * @param decorate   wraps the JDK HTTP client, e.g. to observe each call (a span per create or query)
     * @return a client with the decorated JDK HTTP client (HTTP/1.1, no redirects) and a system-clock signer
     */
    public static KlingClient create(KlingProperties properties, JsonMapper jsonMapper, KlingCallMetrics metrics,
            UnaryOperator<HttpClient> decorate) {
        HttpClient httpClient = decorate.apply(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
        return new KlingClient(properties, jsonMapper, httpClient,
                new KlingJwtSigner(Clock.systemUTC(), properties.tokenRefreshMargin()), metrics);
    }

    /**
     * Creates a task: {@code POST <base><path(product)>} for legacy model names, or
     * {@code POST <base>/<product>/{model}} with the 2026 body for the 2026 names
     * ({@link KlingSurface#ofModel} of {@code model_name}; kling-api.md §15).
     *
     * @param account the account to bill
     * @param product the product
     * @param body    the create body with Kling's snake_case fields, {@code external_task_id} and
     *                {@code callback_url} included by the caller (moved into {@code options} on
     *                the 2026 surface)
     * @return the created task ({@code task_status} {@code submitted})
     * @throws PermanentException on 1200–1203, 1300, 1301 or another 4xx; for a 2026 model on a
     *         product without a 2026 endpoint or an account without an API key (nothing is sent)
     * @throws io.klingrelay.common.error.CapacityException on 1303
     * @throws io.klingrelay.common.error.AccountException on 1000–1004 (after one re-sign), 1100–1103, 1304
     * @throws TransientException on 1302, 5000–5002, other 5xx, timeouts and connection errors;
     *         the task MAY exist then: query by {@code external_task_id} before creating again
     */
    public KlingTask create(KlingAccount account, Product product, Map<String, Object> body) {
        String model = body.get("model_name") instanceof String name ? name : null;
        if (KlingSurface.ofModel(model) == KlingSurface.NEW_API) {
            return createOnNewApi(account, product, model, body);
        }
        String json = jsonMapper.writeValueAsString(body);
        URI uri = uri(account, KlingEndpoints.path(product));
        return exchange(account, () -> HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(json)),
                Operation.create("create " + product.wireName(), product, KlingSurface.LEGACY), null);
    }

    /**
     * The 2026 create (kling-api.md §15): {@code POST <base>/<product>/{model}} with the
     * {@code contents}/{@code settings}/{@code options} body of {@link NewApiBody#of}, the account's
     * API key as the bearer token; the answer's {@code data} is read by {@link KlingTask#fromNewApi}.
     */
    private KlingTask createOnNewApi(KlingAccount account, Product product, String model, Map<String, Object> body) {
        String path = KlingEndpoints.newApiPath(product).orElseThrow(() -> new PermanentException(
                "product " + product.wireName() + " has no 2026 endpoint for model " + model, null, 0, null, null));
        if (!account.hasApiKey()) {
            throw new PermanentException("model " + model + " needs the 2026 API, which accepts an API key only; account "
                    + account.id() + " has none (kling-api.md §3.3)", null, 0, null, null);
        }
        String json = jsonMapper.writeValueAsString(NewApiBody.of(body));
        URI uri = uri(account, path + "/" + encode(model));
        return exchange(account, () -> HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(json)),
                Operation.create("create " + product.wireName() + " " + model, product, KlingSurface.NEW_API), null);
    }

    /**
     * Queries one task by {@code task_id}: {@code GET <base><path>/{task_id}} (§10.2).
     *
     * @param account the account that created it
     * @param product the product it was created under
     * @param taskId  Kling's {@code task_id}
     * @return the task; {@code task_result} may be absent until {@code succeed}
     * @throws TaskNotFoundException only when Kling's own envelope says the task does not exist
     *         ({@link KlingErrors#isTaskAbsent})
     * @throws PermanentException when Kling refused the query for another reason (1200–1202, 1300, 1301)
     * @throws TransientException on 1302, 5000–5002, timeouts, connection errors and any answer that
     *         is not Kling's envelope (a proxy's 404 page included): the task's existence is unknown
     * @throws io.klingrelay.common.error.AccountException on account-level codes
     */
    public KlingTask queryByTaskId(KlingAccount account, Product product, String taskId) {
        URI uri = uri(account, KlingEndpoints.path(product) + "/" + encode(taskId));
        return exchange(account, () -> HttpRequest.newBuilder(uri).GET(),
                Operation.lookup("query task", KlingCallMetrics.QUERY, product), taskId);
    }

    /**
     * Looks a task up by {@code external_task_id} in the documented path form
     * {@code GET <base><path>/{external_task_id}} (§10.3). This is the check made before any
     * re-submission that might already have reached Kling, so "absent" is answered only on
     * Kling's own word ({@link KlingErrors#isTaskAbsent}); nothing may be created on "unknown".
     *
     * @param account        the account that would have created it
     * @param product        the product
     * @param externalTaskId our request id
     * @return the task, or empty when Kling's envelope says no such task exists
     * @throws TransientException on 1302, 5000–5002, timeouts, connection errors and any answer that
     *         is not Kling's envelope (a gateway's HTML or JSON 404 page): the answer is unknown
     * @throws PermanentException when Kling refused the query for another reason
     * @throws io.klingrelay.common.error.AccountException on account-level codes
     */
    public Optional<KlingTask> findByExternalTaskId(KlingAccount account, Product product, String externalTaskId) {
        URI uri = uri(account, KlingEndpoints.path(product) + "/" + encode(externalTaskId));
        try {
            return Optional.of(exchange(account, () -> HttpRequest.newBuilder(uri).GET(),
                    Operation.lookup("query external_task_id", KlingCallMetrics.QUERY_EXTERNAL, product), null));
        } catch (TaskNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Always the account's own host: a key is never sent to another account's base URL. */
    private URI uri(KlingAccount account, String path) {
        return URI.create(account.baseUrlOr(properties.baseUrl()) + path);
    }

    /**
     * The bearer token: the API key on the 2026 surface and for accounts without AK/SK, else a JWT.
     * Never logged.
     */
    private String bearer(KlingAccount account, KlingSurface surface) {
        boolean apiKey = account.hasApiKey() && (surface == KlingSurface.NEW_API || !account.hasAccessKeys());
        return apiKey ? account.apiKey() : signer.token(account);
    }

    private static boolean signsJwt(KlingAccount account, KlingSurface surface) {
        return surface == KlingSurface.LEGACY && account.hasAccessKeys();
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private KlingTask exchange(KlingAccount account, RequestFactory factory, Operation operation, @Nullable String taskId) {
        try {
            return exchangeOnce(account, factory, operation, taskId);
        } catch (io.klingrelay.common.error.AccountException e) {
            if (e.klingCode() == null || !KlingErrors.isAuthentication(e.klingCode())
                    || !signsJwt(account, operation.surface())) {
                throw e;
            }
            log.warn("{} for account {} answered auth code {}; re-signing the token once", operation.name(), account.id(),
                    e.klingCode());
            signer.invalidate(account);
            return exchangeOnce(account, factory, operation, taskId);
        }
    }

    private KlingTask exchangeOnce(KlingAccount account, RequestFactory factory, Operation operation,
            @Nullable String taskId) {
        HttpRequest request = factory.builder()
                .timeout(properties.requestTimeout())
                .header("Authorization", "Bearer " + bearer(account, operation.surface()))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .build();
        long started = System.nanoTime();
        try {
            KlingTask task = readTask(send(request, operation.name(), taskId), operation, taskId);
            record(account, operation, started, null);
            return task;
        } catch (RuntimeException e) {
            record(account, operation, started, e);
            throw e;
        }
    }

    private void record(KlingAccount account, Operation operation, long startedNanos, @Nullable Throwable error) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startedNanos);
        metrics.record(account.id(), operation.tag(), operation.product(), elapsed, error);
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

    private KlingTask readTask(HttpResponse<String> response, Operation operation, @Nullable String taskId) {
        int status = response.statusCode();
        String name = operation.name();
        JsonNode envelope = parse(response.body(), status, operation, taskId);
        Integer code = envelope.hasNonNull("code") ? envelope.get("code").asInt() : null;
        String message = envelope.hasNonNull("message") ? envelope.get("message").asString() : null;
        if (status != 200 || code == null || code != 0) {
            throw classify(operation, status, code, message, envelope, taskId);
        }
        JsonNode data = envelope.get("data");
        if (data == null || !data.isObject()) {
            throw unusable(name + ": envelope without a data object", status, taskId);
        }
        try {
            KlingTask task = operation.surface() == KlingSurface.NEW_API ? KlingTask.fromNewApi(data)
                    : jsonMapper.treeToValue(data, KlingTask.class);
            if (task.taskId() == null || task.taskStatus() == null) {
                throw unusable(name + ": data without task_id or task_status", status, taskId);
            }
            return task;
        } catch (JacksonException e) {
            throw unusable(name + ": data is not a task object", status, taskId);
        }
    }

    /**
     * A lookup reads "absent" only from Kling's own envelope; any other refusal of a lookup that is
     * not from Kling (no {@code code}/{@code request_id}: a proxy, a gateway) leaves the answer unknown.
     */
    private static KlingRelayException classify(Operation operation, int status, @Nullable Integer code,
            @Nullable String message, JsonNode envelope, @Nullable String taskId) {
        boolean fromKling = KlingErrors.isKlingEnvelope(envelope);
        if (operation.lookup() && fromKling && KlingErrors.isTaskAbsent(status, code)) {
            return new TaskNotFoundException(operation.name() + ": Kling knows no such task (kling code " + code
                    + ", HTTP " + status + ")", code, status, taskId);
        }
        if (operation.lookup() && !fromKling) {
            return new TransientException(operation.name() + ": HTTP " + status
                    + " without Kling's envelope; the task's existence is unknown", code, status, taskId, null);
        }
        return KlingErrors.classify(status, code, message, taskId);
    }

    private JsonNode parse(String body, int status, Operation operation, @Nullable String taskId) {
        try {
            JsonNode node = jsonMapper.readTree(body);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (JacksonException e) {
            // fall through: not JSON (e.g. a gateway's HTML error page)
        }
        if (status >= 500 || status == 429 || status == 200 || operation.lookup()) {
            // a 200 that does not parse may still mean the task was created: transient, query first;
            // a lookup answered by something other than Kling (a proxy's 404 page) is "unknown", never "absent"
            throw new TransientException(operation.name() + ": answer is not a JSON envelope", null, status, taskId,
                    null);
        }
        throw new PermanentException(operation.name() + ": answer is not a JSON envelope", null, status, taskId, null);
    }

    private static KlingRelayException unusable(String detail, int status, @Nullable String taskId) {
        return new TransientException(detail, null, status, taskId, null);
    }

    /**
     * @param name    what is done, for messages
     * @param lookup  whether it asks whether a task exists (query by id), where only Kling's own
     *                envelope may answer "absent"
     * @param tag     the {@code operation} tag of {@value KlingCallMetrics#CALLS}
     * @param product the product, for the {@code product} tag
     * @param surface the API surface it speaks (credential and answer shape)
     */
    private record Operation(String name, boolean lookup, String tag, Product product, KlingSurface surface) {
        static Operation lookup(String name, String tag, Product product) {
            return new Operation(name, true, tag, product, KlingSurface.LEGACY);
        }

        static Operation create(String name, Product product, KlingSurface surface) {
            return new Operation(name, false, KlingCallMetrics.CREATE, product, surface);
        }
    }

    @FunctionalInterface
    private interface RequestFactory {
        HttpRequest.Builder builder();
    }
}
