package io.klingrelay.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.coordination.admission.AdmissionPolicy;
import io.klingrelay.coordination.dispatch.Dispatches;
import io.klingrelay.coordination.dispatch.RequestQueue;
import io.klingrelay.coordination.task.TaskLedger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@code claim-polls.lua} ({@link TaskLedger#claimForPoll}) on a real Redis: one redis-server, and
 * a three-master cluster in coordination's second failsafe run. The poller's checkpoint is "now minus
 * the grace"; a test here uses the clock's instant as that checkpoint.
 */
class PollClaimsIT {

    private static final Duration CLAIM_LEASE = Duration.ofMinutes(2);
    private static final Duration RECHECK = Duration.ofSeconds(30);
    private static final AdmissionPolicy POLICY = new AdmissionPolicy(0.5, Duration.ofSeconds(2), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofMinutes(2));
    private static final Instant SUBMITTED_AT = Instant.parse("2027-01-15T08:00:00Z");

    private final StringRedisTemplate redis = RedisTestSupport.template();
    private final RedisKeys keys = RedisTestSupport.randomKeys();
    private final Clock clock = Clock.fixed(SUBMITTED_AT, ZoneOffset.UTC);
    private final RequestQueue queue = new RequestQueue(redis, keys, clock, Duration.ofDays(1));
    private final Dispatches dispatches = new Dispatches(redis, keys, clock, POLICY);
    private final TaskLedger ledger = new TaskLedger(redis, keys, clock, Duration.ofSeconds(30), Duration.ofDays(1));

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
