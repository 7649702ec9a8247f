package io.klingrelay.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.klingrelay.common.event.Priority;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.coordination.admission.AdmissionPolicy;
import io.klingrelay.coordination.dispatch.CreatedTask;
import io.klingrelay.coordination.dispatch.Dispatches;
import io.klingrelay.coordination.dispatch.ParkedRequest;
import io.klingrelay.coordination.dispatch.RecordResult;
import io.klingrelay.coordination.dispatch.RequestQueue;
import io.klingrelay.coordination.dispatch.TakeResult;
import io.klingrelay.coordination.task.QueryRateLimit;
import io.klingrelay.coordination.task.TaskLedger;
import io.klingrelay.coordination.task.TaskRecord;
import io.klingrelay.coordination.task.TaskShape;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * What the poller's schedule and query budget keep in Redis (issue 9), on a real Redis: the task's shape
 * copied from the parked request by {@code record-task.lua}, and {@code query-rate.lua}'s per-account
 * one-second window shared by several limiters (several poller instances).
 */
class PollerLedgerIT {

    private static final AdmissionPolicy POLICY = new AdmissionPolicy(0.5, Duration.ofSeconds(2), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofMinutes(2));

    private final StringRedisTemplate redis = RedisTestSupport.template();
    private final RedisKeys keys = RedisTestSupport.randomKeys();
    private final Clock clock = Clock.systemUTC();
    private final RequestQueue queue = new RequestQueue(redis, keys, clock, Duration.ofDays(1));
    private final Dispatches dispatches = new Dispatches(redis, keys, clock, POLICY);
    private final TaskLedger ledger = new TaskLedger(redis, keys, clock, Duration.ofSeconds(30), Duration.ofDays(1));

    private TaskRecord record(String payload) {
        String requestId = "req-" + UUID.randomUUID();
        Instant now = Instant.now();
        assertThat(queue.park(new ParkedRequest("acct", requestId, Priority.INTERACTIVE, now.toEpochMilli(), payload, 1,
                null))).isTrue();
        TakeResult taken = queue.take("acct", 1000, new RequestQueue.Leases(Duration.ofHours(1), Duration.ofMinutes(1)));
        assertThat(dispatches.recordTask(((TakeResult.Taken) taken).dispatch(),
                new CreatedTask("task-" + requestId, Product.TEXT_TO_VIDEO, null, now, 1), Duration.ofHours(1)))
                .isEqualTo(RecordResult.RECORDED);
        return ledger.find("acct", requestId).orElseThrow();
    }

    @Test
    void keepsTheModelModeAndDurationOfTheRequestWithItsTask() {
        TaskRecord record = record("""
                {"requestId":"r","product":"text-to-video","input":{"model_name":"kling-v2-6","mode":"pro",\
                "duration":10,"prompt":"A boat"}}""");

        assertThat(ledger.shape(record)).isEqualTo(new TaskShape(Product.TEXT_TO_VIDEO, "kling-v2-6", "pro", "10"));
        assertThat(ledger.shape(record).key()).isEqualTo("text-to-video/kling-v2-6/pro/10");
    }

    @Test
    void leavesTheShapeEmptyWhenTheRequestCarriesNoneOrIsNotJson() {
        assertThat(ledger.shape(record("{\"input\":{\"prompt\":\"A boat\",\"mode\":null}}")))
                .isEqualTo(new TaskShape(Product.TEXT_TO_VIDEO, null, null, null));
        assertThat(ledger.shape(record("not json"))).isEqualTo(new TaskShape(Product.TEXT_TO_VIDEO, null, null, null));
    }

    @Test
    void sharesOneWindowOfQueriesPerSecondBetweenPollerInstances() {
        // GIVEN two pollers limited to 3 queries per second per account, together
        QueryRateLimit first = new QueryRateLimit(redis, keys, 3);
        QueryRateLimit second = new QueryRateLimit(redis, keys, 3);
        awaitFreshWindow();

        // WHEN they take tokens of the same account within one second
        Duration a = first.tryAcquire("acct");
        Duration b = second.tryAcquire("acct");
        Duration c = first.tryAcquire("acct");
        Duration refused = second.tryAcquire("acct");
        Duration otherAccount = second.tryAcquire("other");

        // THEN the fourth is refused until the next window, another account is not affected, and a waiting
        // acquire gets the next window's token
        assertThat(a).isZero();
        assertThat(b).isZero();
        assertThat(c).isZero();
        assertThat(refused).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(otherAccount).isZero();
        assertThat(second.acquire("acct", Duration.ofMillis(1_500))).isTrue();
    }

    /** Starts the test early in a one-second window, so the window does not turn mid-test. */
    private static void awaitFreshWindow() {
        await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(2))
                .until(() -> Instant.now().toEpochMilli() % 1000 < 300);
    }
}
