package io.klingrelay.archiver.queue;

import io.klingrelay.archiver.archive.AssetUrlExpiry;
import io.klingrelay.common.event.TaskCompleted;
import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.coordination.redis.LuaScripts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import tools.jackson.databind.json.JsonMapper;

/**
 * The archiver's durable work queue in Redis (keys {@code RedisKeys#archive*}, one hash slot).
 * Chosen over Spring Kafka's retry topics because a topic is first-in first-out: it can neither
 * serve a backlog earliest URL expiry first nor give each retry its own delay bounded by its URL's
 * expiry; a sorted set does both, and Redis already holds the rest of the pipeline's parked work.
 *
 * <ul>
 *   <li>{@link #park}: the Kafka listener parks each completed task, scored by its earliest asset
 *       URL expiry ({@link AssetUrlExpiry#ofTask}); the record's offset is committed only after
 *       Redis acknowledged the park (Redis runs with AOF, ARCHITECTURE.md).</li>
 *   <li>{@link #take}: one atomic step returns due retries and tasks whose lease expired (their
 *       archiver died) to the ready set, then takes the ready task that expires first under a lease.</li>
 *   <li>{@link #renew} keeps the leases of tasks in flight; {@link #defer} gives a task back until
 *       a due time (a retry, never blocking another task); {@link #done} forgets it once its request
 *       has its outcome.</li>
 * </ul>
 * Every method throws Spring's {@code DataAccessException} when Redis fails.
 */
public final class ArchiveQueue {

    private static final RedisScript<Long> PARK = script("park.lua", Long.class);
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> TAKE = script("take.lua", List.class);
    private static final RedisScript<Long> DEFER = script("defer.lua", Long.class);
    private static final RedisScript<Long> DONE = script("done.lua", Long.class);
    private static final RedisScript<Long> RENEW = script("renew.lua", Long.class);

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final JsonMapper mapper;
    private final Clock clock;

    /**
     * @param redis  the Redis template
     * @param keys   the key layout
     * @param mapper the JSON mapper for the parked tasks
     * @param clock  the clock (epoch ms scores)
     */
    public ArchiveQueue(StringRedisTemplate redis, RedisKeys keys, JsonMapper mapper, Clock clock) {
        this.redis = redis;
        this.keys = keys;
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * @param task        a completed task with assets to archive
     * @param traceparent the current span's {@code traceparent}, or null
     * @return true when parked; false when a task of the same request is queued already
     */
    public boolean park(TaskCompleted task, @Nullable String traceparent) {
        String payload = mapper.writeValueAsString(new ParkedTask(task, traceparent));
        Long parked = redis.execute(PARK, List.of(keys.archiveTasks(), keys.archiveMeta(), keys.archiveReady()),
                task.requestId(), payload, Long.toString(AssetUrlExpiry.ofTask(task).toEpochMilli()));
        return parked != null && parked == 1L;
    }

    /**
     * @param lease how long the taken task stays leased unless {@link #renew renewed}
     * @return the ready task whose URL expires first, or empty when none is ready
     */
    public Optional<QueuedTask> take(Duration lease) {
        return take(lease, 1).stream().findFirst();
    }

    /**
     * @param lease how long the taken tasks stay leased unless {@link #renew renewed}
     * @param max   how many to take at most (one Redis round trip for all)
     * @return the ready tasks whose URLs expire first, earliest first; empty when none is ready
     */
    public List<QueuedTask> take(Duration lease, int max) {
        long now = clock.millis();
        List<?> taken = redis.execute(TAKE, List.of(keys.archiveReady(), keys.archiveDelayed(), keys.archiveInFlight(),
                keys.archiveTasks(), keys.archiveMeta()), Long.toString(now), Long.toString(now + lease.toMillis()),
                Integer.toString(max));
        List<QueuedTask> tasks = new ArrayList<>();
        for (int i = 0; taken != null && i + 4 < taken.size(); i += 5) {
            tasks.add(queuedTask(taken.subList(i, i + 5)));
        }
        return tasks;
    }

    private QueuedTask queuedTask(List<?> fields) {
        ParkedTask parked = mapper.readValue(String.valueOf(fields.get(1)), ParkedTask.class);
        String firstDeferred = String.valueOf(fields.get(3));
        return new QueuedTask(parked.task(), parked.traceparent(), Integer.parseInt(String.valueOf(fields.get(2))),
                firstDeferred.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(firstDeferred)),
                Integer.parseInt(String.valueOf(fields.get(4))));
    }

    /**
     * @param requestId a task taken by this archiver
     * @param due       when it may be taken again (now: as soon as a worker is free, by expiry)
     * @return false when it was no longer held (its lease expired; someone else may have it)
     */
    public boolean defer(String requestId, Instant due) {
        Long deferred = redis.execute(DEFER, List.of(keys.archiveInFlight(), keys.archiveDelayed(), keys.archiveMeta()),
                requestId, Long.toString(due.toEpochMilli()), Long.toString(clock.millis()));
        return deferred != null && deferred == 1L;
    }

    /** @param requestId a request that has its outcome: its task leaves the queue */
    public void done(String requestId) {
        redis.execute(DONE, List.of(keys.archiveReady(), keys.archiveDelayed(), keys.archiveInFlight(),
                keys.archiveTasks(), keys.archiveMeta()), requestId);
    }

    /**
     * @param requestIds the tasks this archiver holds
     * @param lease      their new lease, from now
     */
    public void renew(Collection<String> requestIds, Duration lease) {
        if (requestIds.isEmpty()) {
            return;
        }
        List<String> args = new ArrayList<>();
        args.add(Long.toString(clock.millis() + lease.toMillis()));
        args.addAll(requestIds);
        redis.execute(RENEW, List.of(keys.archiveInFlight()), args.toArray());
    }

    /** @return tasks queued (ready, waiting for a retry, or in flight) */
    public long backlog() {
        return size(keys.archiveTasks());
    }

    private long size(String hash) {
        Long size = redis.opsForHash().size(hash);
        return size == null ? 0 : size;
    }

    private static <T> RedisScript<T> script(String name, Class<T> resultType) {
        return LuaScripts.fromClasspath("io/klingrelay/archiver/queue/" + name, resultType);
    }
}
