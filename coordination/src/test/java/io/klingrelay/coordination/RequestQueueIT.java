package io.klingrelay.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import io.klingrelay.common.event.AssetsArchived;
import io.klingrelay.common.event.FailureStage;
import io.klingrelay.common.event.KlingRelayEvent;
import io.klingrelay.common.event.Priority;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.event.RequestFailed;
import io.klingrelay.common.event.TaskStatus;
import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.coordination.admission.AccountAdmission;
import io.klingrelay.coordination.admission.AdmissionPolicy;
import io.klingrelay.coordination.dispatch.CreatedTask;
import io.klingrelay.coordination.dispatch.Dispatches;
import io.klingrelay.coordination.dispatch.ParkedRequest;
import io.klingrelay.coordination.dispatch.RecordResult;
import io.klingrelay.coordination.dispatch.RequestQueue;
import io.klingrelay.coordination.dispatch.Retry;
import io.klingrelay.coordination.dispatch.TakeResult;
import io.klingrelay.coordination.outcome.Claim;
import io.klingrelay.coordination.outcome.ClaimCondition;
import io.klingrelay.coordination.outcome.OutboxSweeper;
import io.klingrelay.coordination.outcome.OutcomeLedger;
import io.klingrelay.coordination.outcome.OutcomePublisher;
import io.klingrelay.coordination.permit.Permits;
import io.klingrelay.coordination.publish.PublishException;
import io.klingrelay.coordination.publish.RecordingPublisher;
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
import tools.jackson.databind.json.JsonMapper;

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
    private final RequestQueue queue = new RequestQueue(redis, keys, clock, Duration.ofDays(1));
    private final Dispatches dispatches = new Dispatches(redis, keys, clock, POLICY);
    private final Permits permits = new Permits(redis, keys, clock);
    private final AccountAdmission admission = new AccountAdmission(redis, keys, permits);
    private final TaskLedger ledger = new TaskLedger(redis, keys, clock, Duration.ofSeconds(30), Duration.ofDays(1));
    private final OutcomeLedger outcomes = new OutcomeLedger(redis, keys, JsonMapper.builder().build(), clock,
            Duration.ofDays(1));

    @Test
    void dispatchesInteractiveBeforeCampaignThenByArrival() {
        // GIVEN
        park("a", "c-1", Priority.CAMPAIGN, 1, "{}", 1, null);
        park("a", "c-2", Priority.CAMPAIGN, 2, "{}", 1, null);
        park("a", "i-1", Priority.INTERACTIVE, 3, "{}", 1, null);

        // WHEN
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            order.add(((TakeResult.Taken) take(10)).requestId());
        }

        // THEN
        assertThat(order).containsExactly("i-1", "c-1", "c-2");
        assertThat(take(10)).isInstanceOf(TakeResult.Empty.class);
    }

    @Test
    void neverHandsOutMorePermitsThanTheLimitCountingImageWeights() {
        park("a", "img-3", Priority.CAMPAIGN, 1, "{}", 3, null);
        park("a", "vid-1", Priority.CAMPAIGN, 2, "{}", 1, null);
        park("a", "vid-2", Priority.CAMPAIGN, 3, "{}", 1, null);

        assertThat(take(4)).isInstanceOf(TakeResult.Taken.class);
        assertThat(take(4)).isInstanceOf(TakeResult.Taken.class);
        assertThat(take(4)).isEqualTo(new TakeResult.Blocked(4, 4));
        assertThat(permits.inUse("a")).isEqualTo(4);
    }

    @Test
    void carriesTheParkedTraceparentToTheTaskRecordAndForgetsItInTheParkedHash() {
        // GIVEN a request parked with its trace context, and one parked without
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        assertThat(queue.park(new ParkedRequest("a", "r-1", Priority.CAMPAIGN, 1, "{}", 1, null, traceparent))).isTrue();
        park("a", "r-2", Priority.CAMPAIGN, 2, "{}", 1, null);
        assertThat(queue.traceparent("a", "r-1")).contains(traceparent);
        assertThat(queue.traceparent("a", "r-2")).isEmpty();

        // WHEN both are dispatched and their tasks recorded
        record(taken(2), "t-1", null);
        record(taken(2), "t-2", null);

        // THEN the task record has it (a callback or poll continues the trace) and the parked hash does not
        assertThat(ledger.traceparent("a", "r-1")).contains(traceparent);
        assertThat(ledger.traceparent("a", "r-2")).isEmpty();
        assertThat(queue.traceparent("a", "r-1")).isEmpty();
        assertThat(redis.opsForHash().keys(keys.parked("a"))).isEmpty();
    }

    @Test
    void skipsAReplayedRequestId() {
        assertThat(park("a", "r-1", Priority.CAMPAIGN, 1, "{}", 1, null)).isTrue();
        assertThat(park("a", "r-1", Priority.CAMPAIGN, 2, "{}", 1, null)).isFalse();
        assertThat(queue.queueDepth("a")).isEqualTo(1);
    }

    @Test
    void releasesPermitsOnlyWhenTheTerminalEventIsPublished() {
        // GIVEN a dispatched request with a recorded task
        park("a", "r-1", Priority.CAMPAIGN, 1, "{}", 1, null);
        park("a", "r-2", Priority.CAMPAIGN, 2, "{}", 1, null);
        record(taken(1), "t-1", null);
        assertThat(take(1)).isInstanceOf(TakeResult.Blocked.class);

        // WHEN the terminal status is won and published
        assertThat(ledger.propose("a", "r-1", "t-1", TaskStatus.PROCESSING, "webhook")).isEqualTo(Proposal.UPDATED);
        assertThat(ledger.propose("a", "r-1", "t-1", TaskStatus.SUCCEED, "webhook")).isEqualTo(Proposal.WON);
        assertThat(ledger.propose("a", "r-1", "t-1", TaskStatus.SUCCEED, "poller")).isEqualTo(Proposal.IN_FLIGHT);
        assertThat(ledger.markPublished("a", "r-1")).isTrue();

        // THEN the next request gets the permit and the task is no longer pending
        assertThat(ledger.propose("a", "r-1", "t-1", TaskStatus.SUCCEED, "poller")).isEqualTo(Proposal.DUPLICATE);
        assertThat(take(1)).isInstanceOf(TakeResult.Taken.class);
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
        park("a", "r-1", Priority.CAMPAIGN, 1, "{\"x\":1}", 1, null);
        park("a", "r-2", Priority.CAMPAIGN, 2, "{}", 1, null);
        take(1);

        nowMs.addAndGet(DISPATCH_LEASE.toMillis() + 1);
        assertThat(queue.sweep("a", 100)).isEqualTo(new RequestQueue.SweepResult(0, 1));

        TakeResult again = take(1);
        assertThat(again).isEqualTo(new TakeResult.Taken("a", "r-1", "{\"x\":1}", 1, 0, true, 1, false, 3, ""));
    }

    @Test
    void retriesLaterWithoutPermitsAndCountsOnlyTransientAttempts() {
        park("a", "r-1", Priority.CAMPAIGN, 1, "{}", 1, null);
        park("a", "r-2", Priority.CAMPAIGN, 2, "{}", 1, null);
        TakeResult.Taken first = taken(1);

        assertThat(dispatches.retryLater(first.dispatch(), Retry.capacity(clock.instant().plusSeconds(5)), 1)).isZero();
        assertThat(permits.inUse("a")).isZero();
        TakeResult.Taken second = taken(1);
        assertThat(second.requestId()).isEqualTo("r-2");
        assertThat(outcomes.claim(failed("r-2"), ClaimCondition.heldBy(second.dispatch()), "test").won()).isTrue();

        nowMs.addAndGet(5_000);
        queue.sweep("a", 100);
        TakeResult.Taken retried = taken(1);
        assertThat(retried.requestId()).isEqualTo("r-1");
        assertThat(dispatches.retryLater(retried.dispatch(), Retry.transientError(clock.instant(), "HTTP 503"), 1))
                .isEqualTo(1);
        nowMs.addAndGet(1);
        queue.sweep("a", 100);
        assertThat(taken(1).lastError()).isEqualTo("HTTP 503");
    }

    @Test
    void anOperatorsLimitOutlivesASubmitterStartingWithTheConfiguredOneUntilItIsCleared() {
        // GIVEN an account configured with 6 whose limit an operator lowered to 2 at run time
        admission.setConfiguredLimit("a", 6);
        admission.setOperatorLimit("a", 2);

        // WHEN another submitter replica starts and writes the configuration's limit again
        admission.setConfiguredLimit("a", 6);

        // THEN the operator's limit stays in force
        assertThat(admission.state("a").configuredLimit()).isEqualTo(2);
        assertThat(admission.state("a").limitSetByOperator()).isTrue();
        for (int i = 1; i <= 3; i++) {
            park("a", "r-" + i, Priority.CAMPAIGN, i, "{}", 1, null);
        }
        taken(6);
        taken(6);
        assertThat(take(6)).isInstanceOf(TakeResult.Blocked.class);

        // and clearing it goes back to the configuration's limit
        admission.clearOperatorLimit("a");
        assertThat(admission.state("a").configuredLimit()).isEqualTo(6);
        assertThat(admission.state("a").limitSetByOperator()).isFalse();
        assertThat(taken(6).requestId()).isEqualTo("r-3");
    }

    @Test
    void anOperatorsLowerLimitAlsoCapsAnEffectiveLimitLeftFromEarlierCapacityErrors() {
        // GIVEN an effective limit of floor(min(8, 7 + 1 - 1) * 0.5) = 3 after Kling refused an 8th task
        admission.setConfiguredLimit("a", 8);
        for (int i = 1; i <= 8; i++) {
            park("a", "r-" + i, Priority.CAMPAIGN, i, "{}", 1, null);
        }
        for (int i = 1; i <= 7; i++) {
            record(taken(8), "t-" + i, null);
        }
        dispatches.retryLater(taken(8).dispatch(), Retry.capacity(clock.instant()), 8);
        assertThat(admission.state("a").effectiveLimit()).isEqualTo(3);

        // WHEN an operator sets 2
        admission.setOperatorLimit("a", 2);

        // THEN 2 is in force at once
        assertThat(admission.state("a").effectiveLimit()).isEqualTo(2);
    }

    @Test
    void lowersTheEffectiveLimitOnCapacityErrorsAndClimbsBackOnePerInterval() {
        // GIVEN an account of limit 8 running 6 tasks when Kling refuses a 7th
        admission.setConfiguredLimit("a", 8);
        for (int i = 1; i <= 9; i++) {
            park("a", "r-" + i, Priority.CAMPAIGN, i, "{}", 1, null);
        }
        TakeResult.Taken seventh = null;
        for (int i = 1; i <= 7; i++) {
            TakeResult.Taken taken = taken(8);
            if (i < 7) {
                record(taken, "t-" + i, null);
            } else {
                seventh = taken;
            }
        }

        // WHEN the 7th is refused with 1303
        dispatches.retryLater(seventh.dispatch(), Retry.capacity(clock.instant()), 8);

        // THEN the limit drops to floor(min(8, 6 + 1 - 1) * 0.5) = 3, a second refusal within the hold-off changes nothing
        assertThat(admission.state("a").effectiveLimit()).isEqualTo(3);
        assertThat(take(8)).isInstanceOf(TakeResult.Blocked.class);

        // and it climbs back by one per successful create once the interval has passed
        for (int i = 1; i <= 5; i++) {
            ledger.propose("a", "r-" + i, "t-" + i, TaskStatus.SUCCEED, "test");
            ledger.markPublished("a", "r-" + i);
        }
        nowMs.addAndGet(10_000);
        queue.sweep("a", 100);
        record(taken(8), "t-next", null);
        assertThat(admission.state("a").effectiveLimit()).isEqualTo(4);
    }

    @Test
    void pausesAnAccountOnAnAccountErrorAndLetsOneProbeThroughWhenThePauseEnds() {
        park("a", "r-1", Priority.CAMPAIGN, 1, "{}", 1, null);
        park("a", "r-2", Priority.CAMPAIGN, 2, "{}", 1, null);
        TakeResult.Taken first = taken(5);

        dispatches.retryLater(first.dispatch(), Retry.accountPause(clock.instant(), "kling code 1102"), 5);
        queue.sweep("a", 100);
        assertThat(take(5)).isEqualTo(new TakeResult.Paused("kling code 1102"));
        assertThat(queue.queueDepth("a")).isEqualTo(2);

        nowMs.addAndGet(30_000);
        TakeResult.Taken probe = (TakeResult.Taken) take(5);
        assertThat(probe.probe()).isTrue();
        assertThat(take(5)).isEqualTo(new TakeResult.Paused("probing"));

        record(probe, "t-1", null);
        assertThat(take(5)).isInstanceOf(TakeResult.Taken.class);
        assertThat(admission.state("a").pausedUntil()).isNull();
    }

    @Test
    void holdsAPausedCampaignAsideWhileOtherRequestsRunAndCancelsItOnDemand() {
        park("a", "camp-1", Priority.CAMPAIGN, 1, "{}", 1, "spring");
        admission.pauseCampaign("a", "spring");
        park("a", "camp-2", Priority.CAMPAIGN, 2, "{}", 1, "spring");
        park("a", "other", Priority.CAMPAIGN, 3, "{}", 1, null);

        assertThat(((TakeResult.Taken) take(5)).requestId()).isEqualTo("other");
        assertThat(take(5)).isInstanceOf(TakeResult.Empty.class);
        assertThat(admission.state("a").held()).isEqualTo(2);

        assertThat(admission.resumeCampaign("a", "spring")).isEqualTo(2);
        assertThat(((TakeResult.Taken) take(5)).requestId()).isEqualTo("camp-1");

        assertThat(queue.waiting("a", "spring")).containsExactly(new RequestQueue.Waiting("camp-2", "spring"));
        assertThat(outcomes.claim(cancelled("camp-2"), ClaimCondition.waiting(), "test").won()).isTrue();
        assertThat(take(5)).isInstanceOf(TakeResult.Empty.class);
    }

    @Test
    void anOperatorPauseHoldsEverythingUntilResumed() {
        park("a", "r-1", Priority.CAMPAIGN, 1, "{}", 1, null);
        admission.setOperatorPaused("a", true);
        assertThat(take(5)).isEqualTo(new TakeResult.Paused("operator"));
        admission.setOperatorPaused("a", false);
        assertThat(take(5)).isInstanceOf(TakeResult.Taken.class);
    }

    @Test
    void aRenewedDispatchLeaseIsNotRecoveredWhileItsCreateIsInFlight() {
        // GIVEN a dispatch whose create takes longer than the lease, renewed every third of it
        park("a", "r-1", Priority.CAMPAIGN, 1, "{}", 1, null);
        TakeResult.Taken slow = taken(1);
        for (int i = 0; i < 6; i++) {
            nowMs.addAndGet(DISPATCH_LEASE.toMillis() / 3);
            assertThat(dispatches.renew(slow.dispatch(), DISPATCH_LEASE)).isTrue();
            // WHEN the safety net sweeps
            assertThat(queue.sweep("a", 100).recovered()).isZero();
        }

        // THEN nobody else could take the request, and the slow create records normally
        assertThat(take(1)).isInstanceOf(TakeResult.Empty.class);
        assertThat(record(slow, "t-1", null)).isEqualTo(RecordResult.RECORDED);
    }

    @Test
    void aCreateThatMayHaveReachedKlingKeepsItsPermitUntilALookupSettlesIt() {
        // GIVEN an account of limit 1 whose create answered 5002 (the task may exist on Kling)
        park("a", "lost-answer", Priority.CAMPAIGN, 1, "{}", 1, null);
        park("a", "next", Priority.CAMPAIGN, 2, "{}", 1, null);
        TakeResult.Taken first = taken(1);
        dispatches.retryLater(first.dispatch(), Retry.transientError(clock.instant().plusSeconds(5), "5002"), 1);

        // WHEN the next request is due, and later the first one again
        // THEN the slot is not handed on while Kling may count it; the first one returns without new permits
        assertThat(permits.inUse("a")).isEqualTo(1);
        assertThat(take(1)).isInstanceOf(TakeResult.Blocked.class);
        nowMs.addAndGet(5_000);
        queue.sweep("a", 100);
        TakeResult.Taken again = taken(1);
        assertThat(again.requestId()).isEqualTo("lost-answer");
        assertThat(again.mayExist()).isTrue();
        assertThat(permits.inUse("a")).isEqualTo(1);

        // and a capacity refusal (no task on Kling) gives the permit back at once
        dispatches.retryLater(again.dispatch(), Retry.capacity(clock.instant().plusSeconds(5)), 1);
        assertThat(taken(1).requestId()).isEqualTo("next");
    }

    @Test
    void aRequestHoldingItsPermitsIsNotBlockedByAHeavierHeadWaitingForThosePermits() {
        // GIVEN an account of limit 3 whose two-permit create answered 5002: the request keeps both permits
        park("a", "lost-answer", Priority.CAMPAIGN, 2, "{}", 2, null);
        TakeResult.Taken first = taken(3);
        dispatches.retryLater(first.dispatch(), Retry.transientError(clock.instant().plusSeconds(5), "5002"), 1);
        // and an earlier two-permit request now heads the queue: one permit is free, it needs two
        park("a", "heavy-head", Priority.CAMPAIGN, 1, "{}", 2, null);
        assertThat(take(3)).isInstanceOf(TakeResult.Blocked.class);

        // WHEN the first request is due again (behind the head, which waits for its permits)
        nowMs.addAndGet(5_000);
        queue.sweep("a", 100);

        // THEN it goes first, without new permits (found by the chaos run: before, the account stalled for good)
        TakeResult.Taken again = taken(3);
        assertThat(again.requestId()).isEqualTo("lost-answer");
        assertThat(again.mayExist()).isTrue();
        assertThat(permits.inUse("a")).isEqualTo(2);
        // and once its lookup finds no task (a capacity-free retry gives the permits back), the head goes
        dispatches.retryLater(again.dispatch(), Retry.capacity(clock.instant().plusSeconds(5)), 1);
        assertThat(taken(3).requestId()).isEqualTo("heavy-head");
    }

    @Test
    void fencesOffADispatchThatLostItsLeaseAndReportsItsSecondTaskAsAnOrphan() {
        // GIVEN dispatch 1 stalls past its lease; the sweep recovers it and dispatch 2 takes over
        park("a", "r-1", Priority.CAMPAIGN, 1, "{}", 1, null);
        park("a", "r-2", Priority.CAMPAIGN, 2, "{}", 1, null);
        TakeResult.Taken stale = taken(1);
        nowMs.addAndGet(DISPATCH_LEASE.toMillis() + 1);
        assertThat(queue.sweep("a", 100).recovered()).isEqualTo(1);
        TakeResult.Taken current = taken(1);
        assertThat(current.requestId()).isEqualTo("r-1");
        assertThat(current.fence()).isGreaterThan(stale.fence());
        assertThat(current.mayExist()).isTrue();

        // WHEN the stale dispatch tries to renew, retry or fail the request
        assertThat(dispatches.renew(stale.dispatch(), DISPATCH_LEASE)).isFalse();
        assertThat(dispatches.retryLater(stale.dispatch(), Retry.transientError(clock.instant(), "timeout"), 1))
                .isEqualTo(-1);
        assertThat(outcomes.claim(failed("r-1"), ClaimCondition.heldBy(stale.dispatch()), "test"))
                .isInstanceOf(Claim.Fenced.class);

        // THEN the current dispatch still holds the request and its permit
        assertThat(dispatches.isDispatching("a", "r-1")).isTrue();
        assertThat(permits.inUse("a")).isEqualTo(1);
        assertThat(take(1)).isInstanceOf(TakeResult.Blocked.class);

        // and when both created a task, the first recorded wins and the other is an orphan
        assertThat(record(current, "t-current", null)).isEqualTo(RecordResult.RECORDED);
        assertThat(record(stale, "t-stale", null)).isEqualTo(RecordResult.DUPLICATE);
        assertThat(dispatches.orphans("a")).containsOnlyKeys("t-stale");
        assertThat(admission.state("a").orphanedTasks()).isEqualTo(1);
        assertThat(ledger.find("a", "r-1")).hasValueSatisfying(task -> assertThat(task.taskId()).isEqualTo("t-current"));
        assertThat(permits.inUse("a")).isEqualTo(1);
    }

    @Test
    void adoptsTheTaskOfADispatchThatLostItsLeaseWhenNoOtherTaskIsRecorded() {
        // GIVEN a dispatch recovered by the sweep while its create was still running
        park("a", "r-1", Priority.CAMPAIGN, 1, "{}", 1, null);
        TakeResult.Taken stale = taken(1);
        nowMs.addAndGet(DISPATCH_LEASE.toMillis() + 1);
        queue.sweep("a", 100);
        assertThat(permits.inUse("a")).as("its create may be running on Kling").isEqualTo(1);

        // WHEN its create returns a task
        assertThat(record(stale, "t-1", null)).isEqualTo(RecordResult.ADOPTED);

        // THEN the task is the request's, holds its permit again, and the request left the queue
        assertThat(permits.inUse("a")).isEqualTo(1);
        assertThat(queue.queueDepth("a")).isZero();
        assertThat(take(1)).isInstanceOf(TakeResult.Empty.class);
        assertThat(ledger.dueForPoll("a", clock.instant(), 10)).containsExactly("r-1");
    }

    @Test
    void aFailedDispatchThatCrashesBeforeEndingIsNotRecoveredAndCreatedAgain() {
        // GIVEN a dispatch that failed for good: its outcome claim ends the dispatch in the same step
        park("a", "r-1", Priority.CAMPAIGN, 1, "{}", 1, null);
        TakeResult.Taken taken = taken(1);
        RequestFailed failed = failed("r-1");
        assertThat(outcomes.claim(failed, ClaimCondition.heldBy(taken.dispatch()), "test").won()).isTrue();

        // WHEN its submitter dies before publishing, and the lease would have run out
        nowMs.addAndGet(DISPATCH_LEASE.toMillis() + 1);

        // THEN nothing is recovered, the permit is free, and the claimed event waits in the outbox
        assertThat(queue.sweep("a", 100).recovered()).isZero();
        assertThat(take(1)).isInstanceOf(TakeResult.Empty.class);
        assertThat(permits.inUse("a")).isZero();
        assertThat(outcomes.unpublished("a", clock.instant(), 10)).containsExactly("r-1");
        assertThat(outcomes.find("a", "r-1")).hasValueSatisfying(stored -> assertThat(stored.event()).isEqualTo(failed));
        assertThat(outcomes.published("a", "r-1")).isTrue();
        assertThat(outcomes.unpublished("a", clock.instant(), 10)).isEmpty();
    }

    @Test
    void aRequestHasExactlyOneOutcomeWhicheverPathClaimsFirst() {
        // GIVEN a request that was archived
        dispatchAndRecordR1(null);
        assertThat(outcomes.claim(archived("r-1"), ClaimCondition.none(), "archiver").won()).isTrue();
        assertThat(outcomes.published("a", "r-1")).isTrue();

        // WHEN a redelivered completion fails it, or an invalid replay of its id arrives
        Claim second = outcomes.claim(failed("r-1"), ClaimCondition.none(), "archiver");
        Claim replay = outcomes.claim(failed("r-1"), ClaimCondition.newRequest(), "submitter");

        // THEN neither gets an outcome, and its id cannot be parked again
        assertThat(second).isEqualTo(new Claim.Taken("AssetsArchived", true));
        assertThat(replay).isEqualTo(new Claim.Taken("AssetsArchived", true));
        assertThat(park("a", "r-1", Priority.CAMPAIGN, 5, "{}", 1, null)).isFalse();
    }

    @Test
    void anInvalidRecordReusingAKnownRequestIdDoesNotEndThatRequest() {
        // GIVEN a parked request
        park("a", "r-1", Priority.CAMPAIGN, 1, "{}", 1, null);

        // WHEN an invalid record with the same id is rejected
        assertThat(outcomes.claim(failed("r-1"), ClaimCondition.newRequest(), "submitter"))
                .isInstanceOf(Claim.Known.class);

        // THEN the request is still waiting; a new id is claimed and marked seen
        assertThat(queue.queueDepth("a")).isEqualTo(1);
        assertThat(outcomes.claim(failed("bad-1"), ClaimCondition.newRequest(), "submitter").won()).isTrue();
        assertThat(park("a", "bad-1", Priority.CAMPAIGN, 2, "{}", 1, null)).isFalse();
    }

    @Test
    void cancelEndsOnlyWaitingRequestsThatCannotExistOnKling() {
        // GIVEN a waiting request, one in dispatch, and one waiting to retry a create that may have reached Kling
        park("a", "in-dispatch", Priority.CAMPAIGN, 1, "{}", 1, "spring");
        park("a", "may-exist", Priority.CAMPAIGN, 2, "{}", 1, "spring");
        park("a", "waiting", Priority.CAMPAIGN, 3, "{}", 1, "spring");
        TakeResult.Taken dispatching = taken(5);
        TakeResult.Taken timedOut = taken(5);
        dispatches.retryLater(timedOut.dispatch(), Retry.transientError(clock.instant().plusSeconds(60), "timeout"), 5);

        // WHEN the campaign is cancelled
        List<Claim> claims = queue.waiting("a", "spring").stream()
                .map(request -> outcomes.claim(cancelled(request.requestId()), ClaimCondition.waiting(), "test"))
                .toList();

        // THEN only the plain waiting one ended; the others carry on
        assertThat(claims).hasSize(2).anySatisfy(claim -> assertThat(claim).isInstanceOf(Claim.MayExist.class))
                .anySatisfy(claim -> assertThat(claim.won()).isTrue());
        assertThat(outcomes.claim(cancelled("in-dispatch"), ClaimCondition.waiting(), "test"))
                .isInstanceOf(Claim.NotWaiting.class);
        assertThat(outcomes.hasOutcome("a", "waiting")).isTrue();
        assertThat(dispatches.isDispatching("a", "in-dispatch")).isTrue();
        assertThat(queue.delayedDepth("a")).isEqualTo(1);
    }

    @Test
    void anOutcomeKafkaDidNotAcknowledgeIsPublishedOnceByTheOutboxWithItsEventId() {
        // GIVEN a dispatch that fails its request while Kafka is down
        park("a", "r-1", Priority.CAMPAIGN, 1, "{}", 1, null);
        TakeResult.Taken taken = taken(1);
        RecordingPublisher kafkaDown = new RecordingPublisher();
        kafkaDown.failEverySend();
        RequestFailed failed = failed("r-1");
        assertThatThrownBy(() -> new OutcomePublisher(outcomes, kafkaDown, "submitter")
                .end(failed, ClaimCondition.heldBy(taken.dispatch()))).isInstanceOf(PublishException.class);
        assertThat(outcomes.claim(cancelled("r-1"), ClaimCondition.none(), "test"))
                .isEqualTo(new Claim.Taken("RequestFailed", false));

        // WHEN the outbox is swept before and after the claim went stale, twice
        RecordingPublisher kafka = new RecordingPublisher();
        OutboxSweeper sweeper = new OutboxSweeper(outcomes, new OutcomePublisher(outcomes, kafka, "submitter"), clock,
                Duration.ofSeconds(30), 100);
        int early = sweeper.sweep(List.of("a"));
        nowMs.addAndGet(30_000);
        int swept = sweeper.sweep(List.of("a"));
        int again = sweeper.sweep(List.of("a"));

        // THEN the first claimed event, and only it, is published once, and the outbox is empty
        assertThat(early).isZero();
        assertThat(swept).isEqualTo(1);
        assertThat(again).isZero();
        assertThat(kafka.published()).containsExactly(failed);
        assertThat(outcomes.unpublished("a", clock.instant(), 10)).isEmpty();
    }

    @Test
    void keepsOutcomeEventIdsOfTwoAccountsApart() {
        RequestFailed ofA = failed("r-1");
        RequestFailed ofB = new RequestFailed(KlingRelayEvent.CURRENT_SCHEMA_VERSION, null, "r-1", "b", null,
                FailureStage.SUBMISSION, "refused", null, null, null, clock.instant());
        assertThat(ofA.eventId()).isNotEqualTo(ofB.eventId());
        assertThat(outcomes.claim(ofA, ClaimCondition.none(), "test").won()).isTrue();
        assertThat(outcomes.claim(ofB, ClaimCondition.none(), "test").won()).isTrue();
    }

    /** Parks, takes and records request {@code r-1} of account {@code a} as task {@code t-1}. */
    private void dispatchAndRecordR1(@Nullable String campaignId) {
        park("a", "r-1", Priority.CAMPAIGN, 1, "{}", 1, null);
        record(taken(1), "t-1", campaignId);
    }

    private boolean park(String accountId, String requestId, Priority priority, long arrivalMs, String payload,
            int weight, @Nullable String campaignId) {
        return queue.park(new ParkedRequest(accountId, requestId, priority, arrivalMs, payload, weight, campaignId));
    }

    private TakeResult take(int defaultLimit) {
        return queue.take("a", defaultLimit, new RequestQueue.Leases(LEASE, DISPATCH_LEASE));
    }

    private TakeResult.Taken taken(int defaultLimit) {
        TakeResult result = take(defaultLimit);
        assertThat(result).isInstanceOf(TakeResult.Taken.class);
        return (TakeResult.Taken) result;
    }

    private RecordResult record(TakeResult.Taken taken, String taskId, @Nullable String campaignId) {
        return dispatches.recordTask(taken.dispatch(),
                new CreatedTask(taskId, Product.TEXT_TO_VIDEO, campaignId, clock.instant(), taken.permits()), LEASE);
    }

    private RequestFailed failed(String requestId) {
        return new RequestFailed(KlingRelayEvent.CURRENT_SCHEMA_VERSION, null, requestId, "a", null,
                FailureStage.SUBMISSION, "refused", 1201, "bad", null, clock.instant());
    }

    private RequestFailed cancelled(String requestId) {
        return new RequestFailed(KlingRelayEvent.CURRENT_SCHEMA_VERSION, null, requestId, "a", null,
                FailureStage.CANCELLED, "cancelled", null, null, null, clock.instant());
    }

    private AssetsArchived archived(String requestId) {
        return new AssetsArchived(KlingRelayEvent.CURRENT_SCHEMA_VERSION, null, requestId, "a", null,
                Product.TEXT_TO_VIDEO, "t-1", List.of(), clock.instant());
    }
}
