package io.klingrelay.klingemulator.callback;

import io.klingrelay.klingemulator.config.EmulatorProperties;
import io.klingrelay.klingemulator.config.EmulatorProperties.Callbacks;
import io.klingrelay.klingemulator.config.EmulatorSettings;
import io.klingrelay.klingemulator.fault.FaultInjector;
import io.klingrelay.klingemulator.fault.FaultPlan.CallbackFault;
import io.klingrelay.klingemulator.stats.EmulatorStats;
import io.klingrelay.klingemulator.task.Task;
import io.klingrelay.klingemulator.task.TaskEventListener;
import io.klingrelay.klingemulator.task.TaskEvents;
import io.klingrelay.klingemulator.task.TaskIds;
import io.klingrelay.klingemulator.task.TaskRenderer;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers callbacks (kling-api.md §11): {@code POST callback_url} with the bare task object and the
 * headers of Kling's Java client as captured in the real callback R2 (§18, §19 item 45): {@code User-Agent}
 * {@value #USER_AGENT}, {@code Accept-Encoding: gzip,deflate} and {@code Connection: Keep-Alive}.
 * HTTP 200 = delivered (body ignored, never decompressed); anything else or an I/O error is retried
 * {@code retries} times, waiting {@code backoff}, doubled per retry. Deliveries of one task are sent in
 * order. Signed with Standard Webhooks headers only when a {@code whsec_} secret is configured. These retry
 * rules are the emulator's own: Kling documents none.
 *
 * <p>Requests go through Apache HttpClient 5, not {@code java.net.http.HttpClient}: the JDK client refuses to
 * send {@code Connection} unless {@code jdk.httpclient.allowRestrictedHeaders} was set before its first use in
 * the JVM, which an emulator started inside another application's JVM (kling-client's tests) cannot ensure.
 * Each attempt blocks one virtual thread; connections are pooled and kept alive per callback host.
 */
@Component
@Order(TaskEvents.CALLBACKS)
public class CallbackSender implements DisposableBean, TaskEventListener {

    static final long TEST_CALLBACK_INTERVAL_MILLIS = 6_000;
    static final String USER_AGENT = "Apache-HttpClient/4.5.13 (Java/11.0.14-internal)";
    /** Most connections kept open to one callback host (one delivery in flight uses one). */
    static final int MAX_CONNECTIONS_PER_HOST = 256;
    private static final Logger log = LoggerFactory.getLogger(CallbackSender.class);

    private final CloseableHttpClient http;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final JsonMapper mapper;
    private final TaskRenderer renderer;
    private final EmulatorSettings settings;
    private final EmulatorStats stats;
    private final TaskIds ids;
    private final Clock clock;
    private final Callbacks config;
    private final @Nullable WebhookSigner signer;
    private final @Nullable WebhookSigner previousSigner;
    private final FaultInjector faults;
    private final AtomicLong lastTestCallback = new AtomicLong();
    private final Map<String, CompletableFuture<Void>> chains = new ConcurrentHashMap<>();

    public CallbackSender(JsonMapper mapper, TaskRenderer renderer, EmulatorSettings settings, EmulatorStats stats,
            TaskIds ids, Clock clock, EmulatorProperties properties, FaultInjector faults) {
        this.faults = faults;
        this.mapper = mapper;
        this.renderer = renderer;
        this.settings = settings;
        this.stats = stats;
        this.ids = ids;
        this.clock = clock;
        this.config = properties.callbacks();
        this.signer = config.webhookSecret().isBlank() ? null : new WebhookSigner(config.webhookSecret());
        this.previousSigner = config.previousWebhookSecret().isBlank() ? null
                : new WebhookSigner(config.previousWebhookSecret());
        this.http = httpClient(config);
    }

    /**
     * HTTP/1.1 client with Kling's header set and none of HttpClient's own behaviour that would change what a
     * receiver sees or how often it is called: no automatic retries (the emulator retries itself), no redirects,
     * cookies or response decompression. {@code timeout} bounds the connect, the wait for a pooled connection and
     * each read of the response.
     */
    private static CloseableHttpClient httpClient(Callbacks config) {
        Timeout timeout = Timeout.of(config.timeout());
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
                        .setMaxConnPerRoute(MAX_CONNECTIONS_PER_HOST)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(timeout)
                                .setSocketTimeout(timeout).setValidateAfterInactivity(TimeValue.ofSeconds(1)).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setConnectionRequestTimeout(timeout)
                        .setResponseTimeout(timeout).build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableContentCompression()
                .disableAuthCaching()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .build();
    }

    /** Queues the delivery of {@code task}'s current state, if it has a callback and callbacks are on. */
    @Override
    public void statusChanged(Task task) {
        String url = task.spec().callbackUrl();
        if (url == null || !settings.callbacksEnabled() || skipIntermediate(task)) {
            return;
        }
        byte[] body = mapper.writeValueAsBytes(renderer.callbackBody(task));
        Delivery delivery = new Delivery(task.taskId(), task.status().wire(), URI.create(url), body);
        CallbackFault fault = faults.callbacks(task.accountId());
        if (fault != null) {
            deliverWithFault(delivery, fault);
            return;
        }
        CompletableFuture<Void> chain = chains.compute(task.taskId(), (id, previous) ->
                (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous)
                        .thenCompose(ignored -> attempt(delivery, 0)));
        if (task.status().isTerminal()) {
            chain.whenComplete((ok, error) -> chains.remove(task.taskId(), chain));
        }
    }

    private void deliverWithFault(Delivery delivery, CallbackFault fault) {
        if (FaultInjector.hit(fault.dropRate())) {
            stats.callbackDropped();
            log.debug("callback {} of task {} dropped (fault)", delivery.status(), delivery.taskId());
            return;
        }
        int copies = FaultInjector.hit(fault.duplicateRate()) ? 2 : 1;
        long maxDelay = fault.delay() == null ? 0 : fault.delay().toMillis();
        for (int i = 0; i < copies; i++) {
            long delay = fault.reorder() ? ThreadLocalRandom.current().nextLong(maxDelay + 1) : maxDelay;
            Executor delayed = CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS);
            if (fault.reorder()) {
                CompletableFuture.runAsync(() -> attempt(delivery, 0), delayed);
            } else {
                chains.compute(delivery.taskId(), (id, previous) ->
                        (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous)
                                .thenComposeAsync(ignored -> attempt(delivery, 0), delayed));
            }
        }
    }

    /**
     * The console's "send test callback" (kling-api.md §11.3): a new-style body
     * {@code {id, status:"submitted", outputs:[], message:"", create_time, update_time}}, at most once per 6 s.
     *
     * @return false when refused because the last test callback was less than 6 s ago
     */
    public boolean sendTestCallback(URI url) {
        long now = clock.millis();
        long last = lastTestCallback.get();
        // now < last: the emulator clock was reset backwards since; do not refuse until it catches up
        boolean tooSoon = now >= last && now - last < TEST_CALLBACK_INTERVAL_MILLIS;
        if (tooSoon || !lastTestCallback.compareAndSet(last, now)) {
            return false;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", ids.next());
        body.put("status", "submitted");
        body.put("outputs", List.of());
        body.put("message", "");
        body.put("create_time", now);
        body.put("update_time", now);
        attempt(new Delivery("test", "submitted", url, mapper.writeValueAsBytes(body)), 0);
        return true;
    }

    private boolean skipIntermediate(Task task) {
        return !task.status().isTerminal() && !settings.intermediateCallbacks();
    }

    private CompletableFuture<Void> attempt(Delivery delivery, int attempt) {
        CompletableFuture<Outcome> sent;
        try {
            sent = CompletableFuture.supplyAsync(() -> post(delivery), executor);
        } catch (RejectedExecutionException e) {
            log.debug("callback {} of task {} not sent: the emulator is stopping", delivery.status(), delivery.taskId());
            return CompletableFuture.completedFuture(null);
        }
        return sent.thenCompose(outcome -> {
            if (outcome.delivered()) {
                return done(delivery);
            }
            log.debug("callback {} of task {} attempt {} not delivered: {}", delivery.status(), delivery.taskId(),
                    attempt + 1, outcome);
            return retryOrGiveUp(delivery, attempt);
        });
    }

    /** One blocking POST on the calling (virtual) thread; the response body is read and discarded. */
    private Outcome post(Delivery delivery) {
        try {
            return new Outcome(http.execute(request(delivery), ClassicHttpResponse::getCode), null);
        } catch (IOException | RuntimeException e) {
            return new Outcome(0, e);
        }
    }

    private CompletableFuture<Void> done(Delivery delivery) {
        stats.callbackSent();
        log.debug("callback {} of task {} delivered", delivery.status(), delivery.taskId());
        return CompletableFuture.completedFuture(null);
    }

    private CompletableFuture<Void> retryOrGiveUp(Delivery delivery, int attempt) {
        if (attempt >= config.retries() || !settings.callbacksEnabled()) {
            stats.callbackFailed();
            log.info("callback {} of task {} given up after {} attempt(s)", delivery.status(), delivery.taskId(), attempt + 1);
            return CompletableFuture.completedFuture(null);
        }
        long delayMillis = config.backoff().toMillis() << Math.min(attempt, 16);
        Executor delayed = CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS);
        return CompletableFuture.supplyAsync(() -> null, delayed).thenCompose(ignored -> attempt(delivery, attempt + 1));
    }

    private ClassicHttpRequest request(Delivery delivery) {
        // the entity has no content type of its own, so HttpClient keeps our exact Content-Type spelling
        ClassicRequestBuilder builder = ClassicRequestBuilder.post(delivery.url())
                .setHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                .setHeader(HttpHeaders.USER_AGENT, USER_AGENT)
                .setHeader(HttpHeaders.ACCEPT_ENCODING, "gzip,deflate")
                .setHeader(HttpHeaders.CONNECTION, "Keep-Alive")
                .setEntity(new ByteArrayEntity(delivery.body(), null));
        if (signer != null) {
            String webhookId = ids.next();
            long timestamp = clock.millis() / 1000;
            String signature = signer.sign(webhookId, timestamp, delivery.body());
            if (previousSigner != null) {
                signature = signature + " " + previousSigner.sign(webhookId, timestamp, delivery.body());
            }
            builder.setHeader("webhook-id", webhookId)
                    .setHeader("webhook-timestamp", Long.toString(timestamp))
                    .setHeader("webhook-signature", signature);
        }
        return builder.build();
    }

    /** Forgets pending chains (admin reset); deliveries already in flight still finish. */
    public void reset() {
        chains.clear();
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
        http.close(CloseMode.IMMEDIATE);
    }

    /** What one attempt got: an HTTP status, or 0 and the exception that prevented one. */
    private record Outcome(int status, @Nullable Exception error) {

        boolean delivered() {
            return status == 200;
        }

        @Override
        public String toString() {
            return error == null ? "HTTP " + status : String.valueOf(error);
        }
    }

    private record Delivery(String taskId, String status, URI url, byte[] body) {
        @Override
        public String toString() {
            return "Delivery[taskId=" + taskId + ", status=" + status + "]";
        }
    }
}
