package io.klingrelay.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.common.event.FailureStage;
import io.klingrelay.common.event.KlingRelayEvent;
import io.klingrelay.common.event.RequestFailed;
import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.coordination.admission.AdmissionPolicy;
import io.klingrelay.coordination.dispatch.Dispatches;
import io.klingrelay.coordination.dispatch.RequestQueue;
import io.klingrelay.coordination.outcome.ClaimCondition;
import io.klingrelay.coordination.outcome.OutboxSweeper;
import io.klingrelay.coordination.outcome.OutcomeLedger;
import io.klingrelay.coordination.outcome.OutcomePublisher;
import io.klingrelay.coordination.permit.Permits;
import io.klingrelay.coordination.publish.EventPublisher;
import io.klingrelay.coordination.publish.RecordingPublisher;
import io.klingrelay.coordination.task.TaskLedger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code claim-due.lua} on a real Redis (one redis-server, and a three-master cluster in
 * coordination's second failsafe run), through its three users: the poller's
 * {@link TaskLedger#claimForPoll} (its checkpoint is "now minus the grace"; a test here passes it
 * directly), the submitter's {@link Permits#claimExpired} and the {@link OutboxSweeper}'s
 * {@link OutcomeLedger#claimUnpublished}. Each stands for N replicas sweeping the same account.
 */
class DueClaimsIT {

    private static final Duration CLAIM_LEASE = Duration.ofMinutes(2);
    private static final Duration RECHECK = Duration.ofSeconds(30);
    private static final Duration STALE_AGE = Duration.ofSeconds(30);
    private static final AdmissionPolicy POLICY = new AdmissionPolicy(0.5, Duration.ofSeconds(2), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofMinutes(2));
    private static final Instant SUBMITTED_AT = Instant.parse("2027-01-15T08:00:00Z");

    private final StringRedisTemplate redis = RedisTestSupport.template();
    private final RedisKeys keys = RedisTestSupport.randomKeys();
    private final AtomicLong nowMs = new AtomicLong(SUBMITTED_AT.toEpochMilli());
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(nowMs.get());
        }
    };
    private final RequestQueue queue = new RequestQueue(redis, keys, clock, Duration.ofDays(1));
    private final Dispatches dispatches = new Dispatches(redis, keys, clock, POLICY);
    private final TaskLedger ledger = new TaskLedger(redis, keys, clock, Duration.ofSeconds(30), Duration.ofDays(1));
    private final Permits permits = new Permits(redis, keys, clock);
    private final OutcomeLedger outcomes = new OutcomeLedger(redis, keys, JsonMapper.builder().build(), clock,
            Duration.ofDays(1));

    private List<String> recordTasks(String accountId, int count) {
        List<String> requestIds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String requestId = accountId + "-r-" + i;
            RecordedTasks.record(queue, dispatches, accountId, requestId, "t-" + requestId, null,
                    SUBMITTED_AT.plusMillis(i), Duration.ofHours(2));
            requestIds.add(requestId);
        }
        return requestIds;
    }

    /** The checkpoint a poller sweeping at {@code SUBMITTED_AT + offset} (grace 0) claims with. */
    private static Instant at(Duration offset) {
        return SUBMITTED_AT.plus(offset);
    }

    @Test
    void twoClaimantsNeverGetTheSameTaskWithinTheLease() {
        // GIVEN five due tasks
        List<String> tasks = recordTasks("a", 5);
        Instant sweep = at(Duration.ofSeconds(1));

        // WHEN two pollers claim, then claim again within the lease
        List<String> first = ledger.claimForPoll("a", sweep, CLAIM_LEASE, 3);
        List<String> second = ledger.claimForPoll("a", sweep, CLAIM_LEASE, 10);
        List<String> again = ledger.claimForPoll("a", sweep.plus(CLAIM_LEASE).minusMillis(1), CLAIM_LEASE, 10);

        // THEN the first gets the oldest three, the second the other two, and nobody gets any again
        assertThat(first).containsExactlyElementsOf(tasks.subList(0, 3));
        assertThat(second).containsExactlyElementsOf(tasks.subList(3, 5));
        assertThat(again).isEmpty();
        assertThat(ledger.dueForPoll("a", sweep.plus(CLAIM_LEASE).minusMillis(1), 10)).isEmpty();
    }

    @Test
    void aClaimWhosePollerDiedRunsOutAndTheTaskIsClaimableAgain() {
        // GIVEN a task claimed by a poller that then died (it never moved the checkpoint)
        List<String> tasks = recordTasks("a", 1);
        Instant sweep = at(Duration.ofSeconds(1));
        assertThat(ledger.claimForPoll("a", sweep, CLAIM_LEASE, 10)).containsExactlyElementsOf(tasks);

        // WHEN the lease has passed; THEN another poller claims it, with a fresh lease
        assertThat(ledger.claimForPoll("a", sweep.plus(CLAIM_LEASE), CLAIM_LEASE, 10)).containsExactlyElementsOf(tasks);
        assertThat(ledger.claimForPoll("a", sweep.plus(CLAIM_LEASE).plusSeconds(1), CLAIM_LEASE, 10)).isEmpty();
    }

    @Test
    void aPollThatEndsMovesTheCheckpointAndEndsTheClaimBeforeTheLease() {
        // GIVEN a claimed task
        List<String> tasks = recordTasks("a", 1);
        Instant sweep = at(Duration.ofSeconds(1));
        ledger.claimForPoll("a", sweep, CLAIM_LEASE, 10);

        // WHEN the poll finds it running and moves its checkpoint to "due again after the recheck"
        ledger.reschedulePoll("a", tasks.getFirst(), sweep.plus(RECHECK));

        // THEN it is due after the recheck, long before the lease would have run out
        assertThat(ledger.claimForPoll("a", sweep.plus(RECHECK).minusMillis(1), CLAIM_LEASE, 10)).isEmpty();
        assertThat(ledger.claimForPoll("a", sweep.plus(RECHECK), CLAIM_LEASE, 10)).containsExactlyElementsOf(tasks);
    }

    @Test
    void claimsOnlyDueTasksAndNeverBringsBackAPublishedOne() {
        // GIVEN two tasks, one of them published (it left the pending set)
        List<String> tasks = recordTasks("a", 2);
        ledger.markPublished("a", tasks.get(1));

        // WHEN claimed before and after they are due
        List<String> early = ledger.claimForPoll("a", SUBMITTED_AT.minusMillis(1), CLAIM_LEASE, 10);
        List<String> due = ledger.claimForPoll("a", at(Duration.ofSeconds(1)), CLAIM_LEASE, 10);

        // THEN
        assertThat(early).isEmpty();
        assertThat(due).containsExactly(tasks.getFirst());
        assertThat(redis.opsForZSet().score(keys.pending("a"), tasks.get(1))).isNull();
    }

    @Test
    void manyConcurrentClaimantsOfManyAccountsClaimEveryDueTaskExactlyOnce() throws Exception {
        // GIVEN 4 accounts (distinct hash slots, on a cluster spread over its masters) with 50 due tasks each
        List<String> accounts = List.of("acct-1", "acct-2", "acct-3", "acct-4");
        Set<String> expected = new HashSet<>();
        for (String account : accounts) {
            expected.addAll(recordTasks(account, 50));
        }
        Instant sweep = at(Duration.ofSeconds(1));

        // WHEN 8 claimants race, each claiming up to 7 tasks of every account until none is left
        ExecutorService claimants = Executors.newFixedThreadPool(8);
        List<Future<List<String>>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                results.add(claimants.submit((Callable<List<String>>) () -> claimUntilNoneLeft(accounts, sweep)));
            }
            // THEN every task was claimed once, by one claimant
            List<String> claimed = new ArrayList<>();
            for (Future<List<String>> result : results) {
                claimed.addAll(result.get());
            }
            assertThat(claimed).hasSize(expected.size()).doesNotHaveDuplicates();
            assertThat(new HashSet<>(claimed)).isEqualTo(expected);
        } finally {
            claimants.shutdownNow();
        }
    }

    @Test
    void twoReconcilersNeverClaimTheSameExpiredPermitWithinTheLease() {
        // GIVEN three tasks whose permit leases (1 min) expired, e.g. while every poller was down
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String requestId = "p-" + i;
            RecordedTasks.record(queue, dispatches, "a", requestId, "t-" + requestId, null, SUBMITTED_AT,
                    Duration.ofMinutes(1));
            tasks.add(requestId);
        }
        Duration claimLease = Duration.ofMinutes(1);
        assertThat(permits.claimExpired("a", claimLease, 10)).as("not expired yet").isEmpty();
        nowMs.addAndGet(Duration.ofMinutes(1).toMillis());

        // WHEN the reconcilers of two submitter instances claim in the same sweep
        List<String> first = permits.claimExpired("a", claimLease, 2);
        List<String> second = permits.claimExpired("a", claimLease, 10);
        List<String> third = permits.claimExpired("a", claimLease, 10);

        // THEN they split the expired leases, none twice, and the permits are still held
        assertThat(first).containsExactlyElementsOf(tasks.subList(0, 2));
        assertThat(second).containsExactlyElementsOf(tasks.subList(2, 3));
        assertThat(third).isEmpty();
        assertThat(permits.inUse("a")).isEqualTo(3);

        // WHEN a claimant dies without settling its permits; THEN they are claimable after the lease
        nowMs.addAndGet(claimLease.toMillis() - 1);
        assertThat(permits.claimExpired("a", claimLease, 10)).isEmpty();
        nowMs.incrementAndGet();
        assertThat(permits.claimExpired("a", claimLease, 10)).containsExactlyElementsOf(tasks);
    }

    @Test
    void twoOutboxSweepersWhoseSweepsOverlapPublishAStaleOutcomeOnce() {
        // GIVEN outcomes claimed while Kafka was down, now stale
        List<RequestFailed> stale = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RequestFailed failed = new RequestFailed(KlingRelayEvent.CURRENT_SCHEMA_VERSION, null, "o-" + i, "a", null,
                    FailureStage.CANCELLED, "cancelled", null, null, null, clock.instant());
            assertThat(outcomes.claim(failed, ClaimCondition.none(), "test").won()).isTrue();
            stale.add(failed);
        }
        nowMs.addAndGet(STALE_AGE.toMillis());

        // WHEN a second instance sweeps while the first is publishing the first outcome it took over
        RecordingPublisher kafka = new RecordingPublisher();
        OutboxSweeper other = sweeper(kafka);
        AtomicBoolean overlapped = new AtomicBoolean();
        OutboxSweeper first = sweeper(events -> {
            if (overlapped.compareAndSet(false, true)) {
                other.sweep(List.of("a"));
            }
            kafka.publish(events);
        });
        int published = first.sweep(List.of("a"));

        // THEN each stale outcome was published once, in all
        assertThat(overlapped).isTrue();
        assertThat(kafka.published()).containsExactlyInAnyOrderElementsOf(stale);
        assertThat(published).isEqualTo(stale.size());
        assertThat(outcomes.unpublished("a", clock.instant(), 10)).isEmpty();
    }

    @Test
    void anOutboxEntryWhosePublicationFailedIsTakenOverAgainAfterTheStaleAge() {
        // GIVEN a stale outcome whose takeover failed (Kafka still down)
        RequestFailed failed = new RequestFailed(KlingRelayEvent.CURRENT_SCHEMA_VERSION, null, "o-1", "a", null,
                FailureStage.CANCELLED, "cancelled", null, null, null, clock.instant());
        outcomes.claim(failed, ClaimCondition.none(), "test");
        nowMs.addAndGet(STALE_AGE.toMillis());
        RecordingPublisher kafkaDown = new RecordingPublisher();
        kafkaDown.failEverySend();
        assertThat(sweeper(kafkaDown).sweep(List.of("a"))).isZero();

        // WHEN swept again within, then after, the stale age
        RecordingPublisher kafka = new RecordingPublisher();
        int within = sweeper(kafka).sweep(List.of("a"));
        nowMs.addAndGet(STALE_AGE.toMillis());
        int after = sweeper(kafka).sweep(List.of("a"));

        // THEN
        assertThat(within).isZero();
        assertThat(after).isEqualTo(1);
        assertThat(kafka.published()).containsExactly(failed);
    }

    private OutboxSweeper sweeper(EventPublisher publisher) {
        return new OutboxSweeper(outcomes, new OutcomePublisher(outcomes, publisher, "submitter"), clock, STALE_AGE,
                100);
    }

    private List<String> claimUntilNoneLeft(List<String> accounts, Instant sweep) {
        List<String> mine = new ArrayList<>();
        boolean claimedSome = true;
        while (claimedSome) {
            claimedSome = false;
            for (String account : accounts) {
                List<String> batch = ledger.claimForPoll(account, sweep, CLAIM_LEASE, 7);
                mine.addAll(batch);
                claimedSome |= !batch.isEmpty();
            }
        }
        return mine;
    }
}
