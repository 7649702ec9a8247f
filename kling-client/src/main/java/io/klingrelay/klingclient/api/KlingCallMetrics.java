package io.klingrelay.klingclient.api;

import io.klingrelay.common.error.AccountException;
import io.klingrelay.common.error.CapacityException;
import io.klingrelay.common.error.KlingRelayException;
import io.klingrelay.common.error.PermanentException;
import io.klingrelay.common.error.TransientException;
import io.klingrelay.common.event.Product;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Times every HTTP exchange with Kling: the timer {@value #CALLS} ({@code klingrelay_kling_calls_seconds}
 * in Prometheus) with the tags {@code account} (the configured account id, never a key or token),
 * {@code operation} ({@link #CREATE}, {@link #QUERY}, {@link #QUERY_EXTERNAL}), {@code product}
 * ({@link Product#wireName()}) and {@code outcome}, the error class of kling-api.md §12.1 as
 * {@code KlingErrors} classifies it: {@link #SUCCESS}, {@link #NOT_FOUND}, {@link #TRANSIENT},
 * {@link #PERMANENT}, {@link #CAPACITY} (1303) or {@link #ACCOUNT}. A call that re-signs its token
 * after an authentication code is two exchanges, so two samples. Thread-safe.
 */
public final class KlingCallMetrics {

    /** The timer's name. */
    public static final String CALLS = "klingrelay.kling.calls";
    /** Operation tag: {@code POST} create (§10.1). */
    public static final String CREATE = "create";
    /** Operation tag: query by {@code task_id} (§10.2). */
    public static final String QUERY = "query";
    /** Operation tag: query by {@code external_task_id} (§10.3), the look-up before a re-create. */
    public static final String QUERY_EXTERNAL = "query_external";
    /** Outcome tag: Kling answered code 0 with a task. */
    public static final String SUCCESS = "success";
    /** Outcome tag: Kling's own envelope says the task does not exist (1203/404, 1201/400). */
    public static final String NOT_FOUND = "not_found";
    /** Outcome tag: retry later (1302, 5000–5002, 5xx, timeouts, connection errors, unreadable answers). */
    public static final String TRANSIENT = "transient";
    /** Outcome tag: refused for good (1200–1203, 1300, 1301, other 4xx). */
    public static final String PERMANENT = "permanent";
    /** Outcome tag: 1303, the account's concurrency is exhausted. */
    public static final String CAPACITY = "capacity";
    /** Outcome tag: an account-level code (1000–1004, 1100–1103, 1304, 401, 403). */
    public static final String ACCOUNT = "account";

    private static final String DESCRIPTION = "Kling API calls (one HTTP exchange each): latency by account, "
            + "operation, product and outcome (error class)";

    private final MeterRegistry registry;

    /** @param registry where the timer is registered */
    public KlingCallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** @return metrics that record nothing (an empty composite registry), for clients built without a registry */
    public static KlingCallMetrics none() {
        return new KlingCallMetrics(new CompositeMeterRegistry());
    }

    /**
     * Records one exchange.
     *
     * @param accountId the configured account id
     * @param operation {@link #CREATE}, {@link #QUERY} or {@link #QUERY_EXTERNAL}
     * @param product   the product
     * @param elapsed   from sending the request to classifying the answer
     * @param error     what the exchange threw, null on success
     */
    public void record(String accountId, String operation, Product product, Duration elapsed,
            @Nullable Throwable error) {
        Timer.builder(CALLS).description(DESCRIPTION)
                .tag("account", accountId)
                .tag("operation", operation)
                .tag("product", product.wireName())
                .tag("outcome", outcome(error))
                .register(registry)
                .record(elapsed);
    }

    /**
     * @param error what an exchange threw, null on success
     * @return its outcome tag; an error outside the hierarchy (a bug) counts as {@link #PERMANENT}
     */
    public static String outcome(@Nullable Throwable error) {
        if (error == null) {
            return SUCCESS;
        }
        if (error instanceof TaskNotFoundException) {
            return NOT_FOUND;
        }
        if (!(error instanceof KlingRelayException kind)) {
            return PERMANENT;
        }
        return switch (kind) {
            case TransientException e -> TRANSIENT;
            case CapacityException e -> CAPACITY;
            case AccountException e -> ACCOUNT;
            case PermanentException e -> PERMANENT;
        };
    }
}
