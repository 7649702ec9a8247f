package io.klingrelay.submitter.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.BDDMockito.any;
import static org.mockito.BDDMockito.anyInt;
import static org.mockito.BDDMockito.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.mock;

import io.klingrelay.coordination.admission.AccountAdmission;
import io.klingrelay.coordination.dispatch.RequestQueue;
import io.klingrelay.coordination.dispatch.TakeResult;
import io.klingrelay.coordination.outcome.OutboxSweeper;
import io.klingrelay.coordination.trace.RequestTraces;
import io.klingrelay.klingclient.config.KlingAccount;
import io.klingrelay.klingclient.config.KlingProperties;
import io.klingrelay.submitter.config.SubmitterProperties;
import io.klingrelay.submitter.metrics.SubmitterMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** The dispatcher loop with every collaborator mocked: how its takes are scheduled. */
class DispatcherTest {

    private static final SubmitterProperties PROPERTIES = new SubmitterProperties(Duration.ofHours(2),
            Duration.ofSeconds(60), Duration.ofSeconds(1), 16, 6, Duration.ofSeconds(1), Duration.ofSeconds(60),
            Duration.ofSeconds(2), 20, null, DataSize.ofMegabytes(32), Duration.ofMinutes(5), 3);

    @Test
    void takesFromEveryAccountOfARoundAtOnceSoARoundCostsOneRedisRoundTripNotOnePerAccount() {
        // GIVEN two accounts whose takes each wait (up to 2 s) until the other account's take has started
        RequestQueue queue = mock(RequestQueue.class);
        KlingProperties kling = mock(KlingProperties.class);
        List<KlingAccount> accounts = List.of(account("brand-a"), account("brand-b"));
        given(kling.accounts()).willReturn(accounts);
        given(queue.sweep(anyString(), anyInt())).willReturn(new RequestQueue.SweepResult(0, 0));
        CountDownLatch bothStarted = new CountDownLatch(2);
        AtomicInteger takes = new AtomicInteger();
        AtomicInteger alone = new AtomicInteger();
        given(queue.take(anyString(), anyInt(), any())).willAnswer(invocation -> {
            bothStarted.countDown();
            if (!bothStarted.await(2, TimeUnit.SECONDS)) {
                alone.incrementAndGet();
            }
            takes.incrementAndGet();
            return new TakeResult.Empty();
        });
        Dispatcher dispatcher = new Dispatcher(queue, mock(AccountAdmission.class), mock(OutboxSweeper.class), kling,
                mock(TaskDispatch.class), mock(PermitReconciler.class), mock(SubmitterMetrics.class), PROPERTIES,
                mock(RequestTraces.class));

        // WHEN the loop runs its first round
        dispatcher.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> takes.get() >= 2);

            // THEN neither take waited alone: they ran at the same time
            assertThat(alone).hasValue(0);
        } finally {
            dispatcher.stop();
        }
    }

    private static KlingAccount account(String id) {
        KlingAccount account = mock(KlingAccount.class);
        given(account.id()).willReturn(id);
        given(account.concurrencyLimit()).willReturn(5);
        return account;
    }
}
