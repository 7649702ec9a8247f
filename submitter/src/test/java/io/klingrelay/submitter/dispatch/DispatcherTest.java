package io.klingrelay.submitter.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import io.klingrelay.coordination.admission.AccountAdmission;
import io.klingrelay.coordination.admission.AccountState;
import io.klingrelay.coordination.dispatch.RequestQueue;
import io.klingrelay.coordination.dispatch.TakeResult;
import io.klingrelay.coordination.outcome.OutboxSweeper;
import io.klingrelay.coordination.trace.RequestTraces;
import io.klingrelay.klingclient.config.KlingAccount;
import io.klingrelay.klingclient.config.KlingProperties;
import io.klingrelay.submitter.config.SubmitterProperties;
import io.klingrelay.submitter.metrics.SubmitterMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * The dispatcher's loop keeps taking while a queue has work and permits are free (an account with a
 * high limit and a deep backlog). The sweep (due retries promoted, expired leases recovered, permits
 * reconciled, the outbox, the account gauges) must still run every {@code sweep-interval} meanwhile.
 */
class DispatcherTest {

    private static final String ACCOUNT = "brand-a";

    private final RequestQueue queue = mock(RequestQueue.class);
    private final AccountAdmission admission = mock(AccountAdmission.class);
    private final OutboxSweeper outbox = mock(OutboxSweeper.class);
    private final TaskDispatch taskDispatch = mock(TaskDispatch.class);
    private final PermitReconciler reconciler = mock(PermitReconciler.class);
    private final AtomicLong taken = new AtomicLong();
    private Dispatcher dispatcher;

    @AfterEach
    void stop() {
        if (dispatcher != null) {
            dispatcher.stop();
        }
    }

    @Test
    void theSweepStillRunsEverySweepIntervalWhileAnEndlessBacklogKeepsTheLoopTaking() {
        // GIVEN a queue that never runs dry and permits that never run out
        given(queue.take(anyString(), anyInt(), any())).willAnswer(invocation -> new TakeResult.Taken(ACCOUNT,
                "r-" + taken.incrementAndGet(), "{}", 1, 0, false, 0, false, taken.get(), null));
        given(queue.sweep(anyString(), anyInt())).willReturn(new RequestQueue.SweepResult(0, 0));
        given(admission.state(ACCOUNT)).willReturn(new AccountState(ACCOUNT, 2000, 2000, 10, 1700, 0, 0, 10, false,
                null, null, 0, 0, false));
        dispatcher = new Dispatcher(queue, admission, outbox, kling(), taskDispatch, reconciler,
                new SubmitterMetrics(new SimpleMeterRegistry()), properties(Duration.ofMillis(100)),
                RequestTraces.untraced());

        // WHEN
        dispatcher.start();

        // THEN the loop is taking, and sweeps keep coming (the first one runs before any take)
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(taken.get()).isGreaterThan(100);
            verify(queue, atLeast(3)).sweep(ACCOUNT, 500);
            verify(reconciler, atLeast(3)).reconcile(any());
        });
    }

    private static KlingProperties kling() {
        return new KlingProperties(URI.create("http://kling"), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(60),
                List.of(new KlingAccount(ACCOUNT, "ak-aaaaaaaa", "sk-0123456789abcdef0123456789abcdef", 2000)));
    }

    private static SubmitterProperties properties(Duration sweepInterval) {
        return new SubmitterProperties(Duration.ofHours(2), Duration.ofSeconds(60), sweepInterval, 16, 6,
                Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(2), 20, null, DataSize.ofMegabytes(32),
                Duration.ofMinutes(5), 3);
    }
}
