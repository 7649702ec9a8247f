package io.klingrelay.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.common.event.Priority;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.event.TaskStatus;
import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.coordination.dispatch.AdmissionPolicy;
import io.klingrelay.coordination.dispatch.RequestQueue;
import io.klingrelay.coordination.dispatch.RetryKind;
import io.klingrelay.coordination.dispatch.TakeResult;
import io.klingrelay.coordination.task.Proposal;
import io.klingrelay.coordination.task.TaskLedger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

class RequestQueueIT {

    private static final Duration LEASE = Duration.ofMinutes(30);
    private static final Duration DISPATCH_LEASE = Duration.ofSeconds(30);
    private static final AdmissionPolicy POLICY = new AdmissionPolicy(0.5, Duration.ofSeconds(2), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofMinutes(2));

    private final AtomicLong nowMs = new AtomicLong(1_800_000_000_000L);
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(nowMs.get());
        }
    };
    private final StringRedisTemplate redis = RedisTestSupport.template();
    private final RedisKeys keys = RedisTestSupport.randomKeys();
    private final RequestQueue queue = new RequestQueue(redis, keys, clock, Duration.ofDays(1), POLICY);
    private final TaskLedger ledger = new TaskLedger(redis, keys, clock, Duration.ofSeconds(30), Duration.ofDays(1));

    @Test
    void dispatchesInteractiveBeforeCampaignThenByArrival() {
        // GIVEN
        queue.park("a", "c-1", Priority.CAMPAIGN, 1, "{}", 1, null);
        queue.park("a", "c-2", Priority.CAMPAIGN, 2, "{}", 1, null);
        queue.park("a", "i-1", Priority.INTERACTIVE, 3, "{}", 1, null);

        // WHEN
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            order.add(((TakeResult.Taken) queue.take("a", 10, LEASE, DISPATCH_LEASE)).requestId());
        }

        // THEN
        assertThat(order).containsExactly("i-1", "c-1", "c-2");
        assertThat(queue.take("a", 10, LEASE, DISPATCH_LEASE)).isInstanceOf(TakeResult.Empty.class);
    }

    @Test
    void neverHandsOutMorePermitsThanTheLimitCountingImageWeights() {
        queue.park("a", "img-3", Priority.CAMPAIGN, 1, "{}", 3, null);
        queue.park("a", "vid-1", Priority.CAMPAIGN, 2, "{}", 1, null);
        queue.park("a", "vid-2", Priority.CAMPAIGN, 3, "{}", 1, null);

        assertThat(queue.take("a", 4, LEASE, DISPATCH_LEASE)).isInstanceOf(TakeResult.Taken.class);
        assertThat(queue.take("a", 4, LEASE, DISPATCH_LEASE)).isInstanceOf(TakeResult.Taken.class);
        assertThat(queue.take("a", 4, LEASE, DISPATCH_LEASE)).isEqualTo(new TakeResult.Blocked(4, 4));
        assertThat(queue.permitsInUse("a")).isEqualTo(4);
    }

    @Test
    void skipsAReplayedRequestId() {
        assertThat(queue.park("a", "r-1", Priority.CAMPAIGN, 1, "{}", 1, null)).isTrue();
        assertThat(queue.park("a", "r-1", Priority.CAMPAIGN, 2, "{}", 1, null)).isFalse();
        assertThat(queue.queueDepth("a")).isEqualTo(1);
    }

    @Test
    void releasesPermitsOnlyWhenTheTerminalEventIsPublished() {
        // GIVEN a dispatched request with a recorded task
        queue.park("a", "r-1", Priority.CAMPAIGN, 1, "{}", 1, null);
        queue.park("a", "r-2", Priority.CAMPAIGN, 2, "{}", 1, null);
        queue.take("a", 1, LEASE, DISPATCH_LEASE);
        queue.recordTask("a", "r-1", "t-1", Product.TEXT_TO_VIDEO, null, clock.instant(), 1);
        assertThat(queue.take("a", 1, LEASE, DISPATCH_LEASE)).isInstanceOf(TakeResult.Blocked.class);

        // WHEN the terminal status is won and published
        assertThat(ledger.propose("a", "r-1", "t-1", TaskStatus.PROCESSING, "webhook")).isEqualTo(Proposal.UPDATED);
        assertThat(ledger.propose("a", "r-1", "t-1", TaskStatus.SUCCEED, "webhook")).isEqualTo(Proposal.WON);
        assertThat(ledger.propose("a", "r-1", "t-1", TaskStatus.SUCCEED, "poller")).isEqualTo(Proposal.IN_FLIGHT);
        assertThat(ledger.markPublished("a", "r-1")).isTrue();

        // THEN the next request gets the permit and the task is no longer pending
        assertThat(ledger.propose("a", "r-1", "t-1", TaskStatus.SUCCEED, "poller")).isEqualTo(Proposal.DUPLICATE);
        assertThat(queue.take("a", 1, LEASE, DISPATCH_LEASE)).isInstanceOf(TakeResult.Taken.class);
        assertThat(ledger.dueForPoll("a", clock.instant().plusSeconds(3600), 10)).isEmpty();
    }

    @Test
    void letsAStaleUnpublishedClaimBeTakenAgainAndRefusesAForeignTaskId() {
        dispatchAndRecordR1("camp");

        assertThat(ledger.propose("a", "r-1", "t-9", TaskStatus.SUCCEED, "webhook")).isEqualTo(Proposal.MISMATCH);
        assertThat(ledger.propose("a", "r-1", "t-1", TaskStatus.FAILED, "webhook")).isEqualTo(Proposal.WON);
        nowMs.addAndGet(31_000);
        assertThat(ledger.propose("a", "r-1", "t-1", TaskStatus.FAILED, "poller")).isEqualTo(Proposal.WON);
        assertThat(ledger.find("a", "r-1")).hasValueSatisfying(record -> {
            assertThat(record.campaignId()).isEqualTo("camp");
            assertThat(record.status()).isEqualTo(TaskStatus.FAILED);
        });
        assertThat(ledger.propose("a", "r-unknown", "t-1", TaskStatus.FAILED, "webhook")).isEqualTo(Proposal.UNKNOWN);
    }

    @Test
    void publishesANonTerminalStatusAgainWhenItsEventWasNotAcknowledged() {
        // GIVEN a recorded task whose processing status was accepted
        dispatchAndRecordR1(null);
        assertThat(ledger.propose("a", "r-1", "t-1", TaskStatus.PROCESSING, "webhook")).isEqualTo(Proposal.UPDATED);

        // WHEN its event is not acknowledged: another observer is held off while the claim is fresh
        assertThat(ledger.propose("a", "r-1", "t-1", TaskStatus.PROCESSING, "poller")).isEqualTo(Proposal.IN_FLIGHT);
        assertThat(ledger.releaseClaim("a", "r-1", TaskStatus.PROCESSING)).isTrue();

        // THEN the next observation publishes it; once acknowledged it is a duplicate
        assertThat(ledger.propose("a", "r-1", "t-1", TaskStatus.PROCESSING, "poller")).isEqualTo(Proposal.UPDATED);
        assertThat(ledger.statusPublished("a", "r-1", TaskStatus.PROCESSING)).isTrue();
        assertThat(ledger.propose("a", "r-1", "t-1", TaskStatus.PROCESSING, "webhook")).isEqualTo(Proposal.DUPLICATE);
        assertThat(ledger.propose("a", "r-1", "t-1", TaskStatus.SUBMITTED, "webhook")).isEqualTo(Proposal.DUPLICATE);
    }

    @Test
    void letsACrashedObserversStatusClaimGoStaleAndReleasesAFailedTerminalClaimAtOnce() {
        dispatchAndRecordR1(null);

        // an observer accepted processing and died before publishing
        assertThat(ledger.propose("a", "r-1", "t-1", TaskStatus.PROCESSING, "webhook")).isEqualTo(Proposal.UPDATED);
        nowMs.addAndGet(31_000);
        assertThat(ledger.propose("a", "r-1", "t-1", TaskStatus.PROCESSING, "poller")).isEqualTo(Proposal.UPDATED);

        // a terminal publish that failed gives the claim back without waiting for the stale age
        assertThat(ledger.propose("a", "r-1", "t-1", TaskStatus.SUCCEED, "webhook")).isEqualTo(Proposal.WON);
        assertThat(ledger.statusPublished("a", "r-1", TaskStatus.PROCESSING)).as("superseded").isFalse();
        assertThat(ledger.releaseClaim("a", "r-1", TaskStatus.SUCCEED)).isTrue();
        assertThat(ledger.propose("a", "r-1", "t-1", TaskStatus.SUCCEED, "poller")).isEqualTo(Proposal.WON);
        assertThat(ledger.markPublished("a", "r-1")).isTrue();
        assertThat(ledger.releaseClaim("a", "r-1", TaskStatus.SUCCEED)).as("already published").isFalse();
        assertThat(ledger.propose("a", "r-1", "t-1", TaskStatus.SUCCEED, "webhook")).isEqualTo(Proposal.DUPLICATE);
    }

    @Test
    void returnsAnExpiredDispatchToItsPlaceMarkedAsPossiblyCreated() {
        queue.park("a", "r-1", Priority.CAMPAIGN, 1, "{\"x\":1}", 1, null);
        queue.park("a", "r-2", Priority.CAMPAIGN, 2, "{}", 1, null);
        queue.take("a", 1, LEASE, DISPATCH_LEASE);

        nowMs.addAndGet(DISPATCH_LEASE.toMillis() + 1);
        assertThat(queue.sweep("a", 100)).isEqualTo(new RequestQueue.SweepResult(0, 1));

        TakeResult again = queue.take("a", 1, LEASE, DISPATCH_LEASE);
        assertThat(again).isEqualTo(new TakeResult.Taken("r-1", "{\"x\":1}", 1, 0, true, 1, false));
    }

    @Test
    void retriesLaterWithoutPermitsAndCountsOnlyTransientAttempts() {
        queue.park("a", "r-1", Priority.CAMPAIGN, 1, "{}", 1, null);
        queue.park("a", "r-2", Priority.CAMPAIGN, 2, "{}", 1, null);
        queue.take("a", 1, LEASE, DISPATCH_LEASE);

        assertThat(queue.retryLater("a", "r-1", clock.instant().plusSeconds(5), RetryKind.CAPACITY, false, "", 1)).isZero();
        assertThat(queue.permitsInUse("a")).isZero();
        assertThat(((TakeResult.Taken) queue.take("a", 1, LEASE, DISPATCH_LEASE)).requestId()).isEqualTo("r-2");
        queue.endDispatch("a", "r-2");

        nowMs.addAndGet(5_000);
        queue.sweep("a", 100);
        TakeResult.Taken retried = (TakeResult.Taken) queue.take("a", 1, LEASE, DISPATCH_LEASE);
        assertThat(retried.requestId()).isEqualTo("r-1");
        assertThat(queue.retryLater("a", "r-1", clock.instant(), RetryKind.TRANSIENT, true, "", 1)).isEqualTo(1);
    }

    @Test
    void lowersTheEffectiveLimitOnCapacityErrorsAndClimbsBackOnePerInterval() {
        // GIVEN an account of limit 8 running 6 tasks when Kling refuses a 7th
        queue.setConfiguredLimit("a", 8);
        for (int i = 1; i <= 9; i++) {
            queue.park("a", "r-" + i, Priority.CAMPAIGN, i, "{}", 1, null);
        }
        for (int i = 1; i <= 7; i++) {
            TakeResult.Taken taken = (TakeResult.Taken) queue.take("a", 8, LEASE, DISPATCH_LEASE);
            if (i < 7) {
                queue.recordTask("a", taken.requestId(), "t-" + i, Product.TEXT_TO_VIDEO, null, clock.instant(), 1);
            }
        }

        // WHEN the 7th is refused with 1303
        queue.retryLater("a", "r-7", clock.instant(), RetryKind.CAPACITY, false, "", 8);

        // THEN the limit drops to floor(min(8, 6 + 1 - 1) * 0.5) = 3, a second refusal within the hold-off changes nothing
        assertThat(queue.state("a").effectiveLimit()).isEqualTo(3);
        assertThat(queue.take("a", 8, LEASE, DISPATCH_LEASE)).isInstanceOf(TakeResult.Blocked.class);

        // and it climbs back by one per successful create once the interval has passed
        for (int i = 1; i <= 5; i++) {
            ledger.propose("a", "r-" + i, "t-" + i, TaskStatus.SUCCEED, "test");
            ledger.markPublished("a", "r-" + i);
        }
        nowMs.addAndGet(10_000);
        queue.sweep("a", 100);
        TakeResult.Taken next = (TakeResult.Taken) queue.take("a", 8, LEASE, DISPATCH_LEASE);
        queue.recordTask("a", next.requestId(), "t-next", Product.TEXT_TO_VIDEO, null, clock.instant(), 1);
        assertThat(queue.state("a").effectiveLimit()).isEqualTo(4);
    }

    @Test
    void pausesAnAccountOnAnAccountErrorAndLetsOneProbeThroughWhenThePauseEnds() {
        queue.park("a", "r-1", Priority.CAMPAIGN, 1, "{}", 1, null);
        queue.park("a", "r-2", Priority.CAMPAIGN, 2, "{}", 1, null);
        queue.take("a", 5, LEASE, DISPATCH_LEASE);

        queue.retryLater("a", "r-1", clock.instant(), RetryKind.ACCOUNT, false, "kling code 1102", 5);
        queue.sweep("a", 100);
        assertThat(queue.take("a", 5, LEASE, DISPATCH_LEASE)).isEqualTo(new TakeResult.Paused("kling code 1102"));
        assertThat(queue.queueDepth("a")).isEqualTo(2);

        nowMs.addAndGet(30_000);
        TakeResult.Taken probe = (TakeResult.Taken) queue.take("a", 5, LEASE, DISPATCH_LEASE);
        assertThat(probe.probe()).isTrue();
        assertThat(queue.take("a", 5, LEASE, DISPATCH_LEASE)).isEqualTo(new TakeResult.Paused("probing"));

        queue.recordTask("a", probe.requestId(), "t-1", Product.TEXT_TO_VIDEO, null, clock.instant(), 1);
        assertThat(queue.take("a", 5, LEASE, DISPATCH_LEASE)).isInstanceOf(TakeResult.Taken.class);
        assertThat(queue.state("a").pausedUntil()).isNull();
    }

    @Test
    void holdsAPausedCampaignAsideWhileOtherRequestsRunAndCancelsItOnDemand() {
        queue.park("a", "camp-1", Priority.CAMPAIGN, 1, "{}", 1, "spring");
        queue.pauseCampaign("a", "spring");
        queue.park("a", "camp-2", Priority.CAMPAIGN, 2, "{}", 1, "spring");
        queue.park("a", "other", Priority.CAMPAIGN, 3, "{}", 1, null);

        assertThat(((TakeResult.Taken) queue.take("a", 5, LEASE, DISPATCH_LEASE)).requestId()).isEqualTo("other");
        assertThat(queue.take("a", 5, LEASE, DISPATCH_LEASE)).isInstanceOf(TakeResult.Empty.class);
        assertThat(queue.state("a").held()).isEqualTo(2);

        assertThat(queue.resumeCampaign("a", "spring")).isEqualTo(2);
        assertThat(((TakeResult.Taken) queue.take("a", 5, LEASE, DISPATCH_LEASE)).requestId()).isEqualTo("camp-1");

        assertThat(queue.cancel("a", "spring")).containsExactly(new RequestQueue.Cancelled("camp-2", "spring"));
        assertThat(queue.take("a", 5, LEASE, DISPATCH_LEASE)).isInstanceOf(TakeResult.Empty.class);
    }

    @Test
    void anOperatorPauseHoldsEverythingUntilResumed() {
        queue.park("a", "r-1", Priority.CAMPAIGN, 1, "{}", 1, null);
        queue.setOperatorPaused("a", true);
        assertThat(queue.take("a", 5, LEASE, DISPATCH_LEASE)).isEqualTo(new TakeResult.Paused("operator"));
        queue.setOperatorPaused("a", false);
        assertThat(queue.take("a", 5, LEASE, DISPATCH_LEASE)).isInstanceOf(TakeResult.Taken.class);
    }

    /** Parks, takes and records request {@code r-1} of account {@code a} as task {@code t-1}. */
    private void dispatchAndRecordR1(@Nullable String campaignId) {
        queue.park("a", "r-1", Priority.CAMPAIGN, 1, "{}", 1, null);
        queue.take("a", 1, LEASE, DISPATCH_LEASE);
        queue.recordTask("a", "r-1", "t-1", Product.TEXT_TO_VIDEO, campaignId, clock.instant(), 1);
    }
}
