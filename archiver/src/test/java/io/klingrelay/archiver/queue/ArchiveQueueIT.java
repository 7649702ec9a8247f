package io.klingrelay.archiver.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.klingrelay.common.event.AssetKind;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.event.StatusSource;
import io.klingrelay.common.event.TaskAsset;
import io.klingrelay.common.event.TaskCompleted;
import io.klingrelay.common.event.TaskStatus;
import io.klingrelay.common.json.EventJson;
import io.klingrelay.coordination.RedisTestSupport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Redis archive queue against a real redis-server (or cluster), isolated by key prefix. */
class ArchiveQueueIT {

    private static final Duration LEASE = Duration.ofMinutes(1);

    private final ArchiveQueue queue = new ArchiveQueue(RedisTestSupport.template(), RedisTestSupport.randomKeys(),
            EventJson.mapper(), Clock.systemUTC());

    @Test
    void takesTheTaskWhoseUrlExpiresFirstWhateverTheOrderTheyWereParkedIn() {
        // GIVEN tasks parked out of expiry order; one without Expires (completedAt + 30 days)
        Instant now = Instant.now();
        TaskCompleted inTwoHours = task(now.plus(Duration.ofHours(2)));
        TaskCompleted unsigned = task(null);
        TaskCompleted inOneHour = task(now.plus(Duration.ofHours(1)));
        TaskCompleted expired = task(now.minus(Duration.ofHours(1)));
        for (TaskCompleted task : List.of(inTwoHours, unsigned, inOneHour, expired)) {
            assertThat(queue.park(task, "00-trace-span-01")).isTrue();
        }

        // WHEN
        List<String> taken = new ArrayList<>();
        for (Optional<QueuedTask> next = queue.take(LEASE); next.isPresent(); next = queue.take(LEASE)) {
            taken.add(next.get().requestId());
            assertThat(next.get().traceparent()).isEqualTo("00-trace-span-01");
        }

        // THEN
        assertThat(taken).containsExactly(expired.requestId(), inOneHour.requestId(), inTwoHours.requestId(),
                unsigned.requestId());
    }

    @Test
    void aSecondParkOfTheSameRequestKeepsTheFirstTask() {
        TaskCompleted task = task(null);

        assertThat(queue.park(task, null)).isTrue();
        assertThat(queue.park(task, null)).isFalse();

        assertThat(queue.take(LEASE)).map(QueuedTask::requestId).contains(task.requestId());
        assertThat(queue.take(LEASE)).isEmpty();
    }

    @Test
    void aDeferredTaskIsTakenAgainOnlyOnceDueWhileOthersAreTakenMeanwhile() {
        // GIVEN a task deferred by 1 s, and another one parked after it
        Instant now = Instant.now();
        TaskCompleted deferred = task(now.plus(Duration.ofMinutes(5)));
        queue.park(deferred, null);
        queue.take(LEASE);
        assertThat(queue.defer(deferred.requestId(), Instant.now().plusSeconds(1))).isTrue();
        TaskCompleted later = task(now.plus(Duration.ofDays(1)));
        queue.park(later, null);

        // WHEN / THEN the other one is taken at once, the deferred one once due, with its deferral counted
        assertThat(queue.take(LEASE)).map(QueuedTask::requestId).contains(later.requestId());
        assertThat(queue.take(LEASE)).isEmpty();
        QueuedTask again = await().atMost(Duration.ofSeconds(10)).until(() -> queue.take(LEASE), Optional::isPresent)
                .orElseThrow();
        assertThat(again.requestId()).isEqualTo(deferred.requestId());
        assertThat(again.deferrals()).isEqualTo(1);
        assertThat(again.firstDeferred()).isNotNull();
        assertThat(again.retaken()).isTrue();
    }

    @Test
    void aTaskWhoseLeaseExpiredIsTakenAgainButARenewedOneIsNot() {
        // GIVEN two tasks taken with a short lease, one of them renewed
        TaskCompleted abandoned = task(Instant.now().plus(Duration.ofHours(1)));
        TaskCompleted renewed = task(Instant.now().plus(Duration.ofHours(2)));
        queue.park(abandoned, null);
        queue.park(renewed, null);
        QueuedTask first = queue.take(Duration.ofMillis(500)).orElseThrow();
        assertThat(first.retaken()).isFalse();
        queue.take(Duration.ofMillis(500));
        queue.renew(List.of(renewed.requestId()), LEASE);

        // WHEN / THEN only the abandoned one comes back (its archiver died)
        QueuedTask again = await().atMost(Duration.ofSeconds(10)).until(() -> queue.take(LEASE), Optional::isPresent)
                .orElseThrow();
        assertThat(again.requestId()).isEqualTo(abandoned.requestId());
        assertThat(again.takes()).isEqualTo(2);
        assertThat(again.retaken()).isTrue();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(queue.take(LEASE)).isEmpty());
    }

    @Test
    void aTaskThatIsDoneLeavesTheQueueAndCannotBeDeferredAnyMore() {
        TaskCompleted task = task(null);
        queue.park(task, null);
        queue.take(LEASE);
        assertThat(queue.backlog()).isEqualTo(1);

        queue.done(task.requestId());

        assertThat(queue.backlog()).isZero();
        assertThat(queue.defer(task.requestId(), Instant.now())).isFalse();
        assertThat(queue.take(LEASE)).isEmpty();
        assertThat(queue.park(task, null)).isTrue();
    }

    private static TaskCompleted task(Instant expires) {
        String requestId = "q-" + UUID.randomUUID();
        String url = "https://cdn.klingai.com/" + requestId + ".mp4"
                + (expires == null ? "" : "?Expires=" + expires.getEpochSecond() + "&Signature=s");
        return new TaskCompleted(1, null, requestId, "acct-q", null, Product.TEXT_TO_VIDEO, "task-" + requestId,
                TaskStatus.SUCCEED, "", List.of(new TaskAsset(AssetKind.VIDEO, 0, null, url, null)),
                StatusSource.WEBHOOK, Instant.now());
    }
}
