package io.klingrelay.submitter.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.klingrelay.common.json.EventJson;
import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.coordination.RecordedTasks;
import io.klingrelay.coordination.RedisTestSupport;
import io.klingrelay.coordination.admission.AdmissionPolicy;
import io.klingrelay.coordination.dispatch.Dispatches;
import io.klingrelay.coordination.dispatch.RequestQueue;
import io.klingrelay.coordination.permit.Permits;
import io.klingrelay.coordination.task.TaskLedger;
import io.klingrelay.klingclient.api.KlingClient;
import io.klingrelay.klingclient.config.KlingAccount;
import io.klingrelay.klingclient.config.KlingProperties;
import io.klingrelay.submitter.config.SubmitterProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.unit.DataSize;

/**
 * Two submitter instances' {@link PermitReconciler}s on one real Redis against a stub Kling that
 * reports every task still processing: when their sweeps overlap, each expired permit lease is
 * reconciled (queried on Kling) once, not once per instance.
 */
class PermitReconcilerIT {

    private static final KlingAccount ACCOUNT = new KlingAccount("reconcile-it", "ak-reconcile-it",
            "sk-reconcile-it-0123456789abcdef0123", 5);
    private static final AdmissionPolicy POLICY = new AdmissionPolicy(0.5, Duration.ofSeconds(2), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofMinutes(2));
    private static final SubmitterProperties PROPERTIES = new SubmitterProperties(Duration.ofHours(2),
            Duration.ofSeconds(60), Duration.ofSeconds(1), 16, 6, Duration.ofSeconds(1), Duration.ofSeconds(60),
            Duration.ofSeconds(2), 20, null, DataSize.ofMegabytes(32), Duration.ofMinutes(5), 3);

    private final StringRedisTemplate redis = RedisTestSupport.template();
    private final RedisKeys keys = RedisTestSupport.randomKeys();
    private final Clock now = Clock.systemUTC();
    /** the reconcilers run an hour later: every 1-minute permit lease recorded now has expired */
    private final Clock anHourLater = Clock.offset(now, Duration.ofHours(1));
    private final RequestQueue queue = new RequestQueue(redis, keys, now, Duration.ofDays(1));
    private final Dispatches dispatches = new Dispatches(redis, keys, now, POLICY);
    private final TaskLedger ledger = new TaskLedger(redis, keys, now, Duration.ofSeconds(30), Duration.ofDays(1));
    private final Permits permits = new Permits(redis, keys, anHourLater);
    private final Map<String, Integer> queries = new ConcurrentHashMap<>();
    private final HttpServer kling = startKling();
    private Runnable onFirstQuery = () -> { };

    @AfterEach
    void stopKling() {
        kling.stop(0);
    }

    private HttpServer startKling() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            AtomicBoolean first = new AtomicBoolean(true);
            server.createContext("/v1/videos/text2video", exchange -> {
                if (first.getAndSet(false)) {
                    onFirstQuery.run();
                }
                answerProcessing(exchange);
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void answerProcessing(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String taskId = path.substring(path.lastIndexOf('/') + 1);
            queries.merge(taskId, 1, Integer::sum);
            long at = System.currentTimeMillis();
            byte[] body = ("{\"code\":0,\"message\":\"SUCCEED\",\"request_id\":\"r\",\"data\":{\"task_id\":\"" + taskId
                    + "\",\"task_status\":\"processing\",\"created_at\":" + at + ",\"updated_at\":" + at + "}}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private PermitReconciler reconciler() {
        KlingClient client = KlingClient.create(new KlingProperties(
                URI.create("http://127.0.0.1:" + kling.getAddress().getPort()), Duration.ofSeconds(2),
                Duration.ofSeconds(5), Duration.ofSeconds(60), List.of(ACCOUNT)), EventJson.mapper());
        return new PermitReconciler(permits, dispatches, ledger, client, PROPERTIES, anHourLater);
    }

    @Test
    void twoInstancesWhoseSweepsOverlapQueryKlingOncePerExpiredPermit() {
        // GIVEN three running tasks whose 1-minute permit leases expired (every poller was down)
        for (int i = 0; i < 3; i++) {
            RecordedTasks.record(queue, dispatches, ACCOUNT.id(), "req-" + i, "86630000000000" + i, null,
                    Instant.now(), Duration.ofMinutes(1));
        }

        // WHEN the second instance's sweep runs while the first one's first Kling query is in flight
        PermitReconciler first = reconciler();
        PermitReconciler second = reconciler();
        onFirstQuery = () -> second.reconcile(ACCOUNT);
        first.reconcile(ACCOUNT);

        // THEN each task was queried once, and each lease was extended by the permit lease
        assertThat(queries).containsOnlyKeys("866300000000000", "866300000000001", "866300000000002")
                .allSatisfy((taskId, count) -> assertThat(count).as(taskId).isEqualTo(1));
        assertThat(permits.claimExpired(ACCOUNT.id(), Duration.ofMinutes(1), 10)).isEmpty();
        assertThat(permits.inUse(ACCOUNT.id())).isEqualTo(3);
    }
}
