package io.klingrelay.poller.polling;

import io.klingrelay.coordination.task.TaskRecord;
import io.klingrelay.coordination.task.TaskShape;
import io.klingrelay.poller.config.ScheduleProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;

/**
 * When to look at a task (issue 9, "Adaptive schedule"; {@link ScheduleProperties}). The ledger's
 * pending score of a task is the time it is due; the submitter records a task due at once (its
 * submission), so the poller's first claim only plans it: {@link #firstLook} is the submission plus
 * the expected generation time ({@link ExpectedDurations}) plus the callback grace, capped at
 * {@code grace} after submission. A task found running is due again after {@link #nextLook}: a back-off
 * that doubles from {@code recheck} with the time elapsed since its first look, capped at
 * {@code backoff-cap}, drawn uniformly from the upper half of that figure (jitter that still keeps two
 * looks at one task at least half a recheck apart). Thread-safe.
 */
public final class PollSchedule {

    private final ExpectedDurations durations;
    private final ScheduleProperties properties;
    private final Duration grace;
    private final Duration recheck;
    private final DoubleSupplier random;

    /**
     * @param durations  the learned generation times
     * @param properties callback grace and back-off cap
     * @param grace      the latest first look after submission
     * @param recheck    the first back-off step
     * @param random     uniform draws in [0, 1) for the jitter
     */
    public PollSchedule(ExpectedDurations durations, ScheduleProperties properties, Duration grace, Duration recheck,
            DoubleSupplier random) {
        this.durations = durations;
        this.properties = properties;
        this.grace = grace;
        this.recheck = recheck;
        this.random = random;
    }

    /** @return the learned generation times */
    public ExpectedDurations durations() {
        return durations;
    }

    /**
     * @param record the recorded task
     * @param shape  its shape
     * @return when it is first worth a query
     */
    public Instant firstLook(TaskRecord record, TaskShape shape) {
        Duration expectedEnd = durations.expected(shape).plus(properties.callbackGrace());
        return record.submittedAt().plus(expectedEnd.compareTo(grace) < 0 ? expectedEnd : grace);
    }

    /**
     * @param record the recorded task, found still running (or not answered) now
     * @param shape  its shape
     * @param now    the current time
     * @return when to look again
     */
    public Instant nextLook(TaskRecord record, TaskShape shape, Instant now) {
        Duration sinceFirstLook = Duration.between(firstLook(record, shape), now);
        long steps = Math.max(0, sinceFirstLook.toMillis()) / Math.max(1, recheck.toMillis());
        int doublings = 63 - Long.numberOfLeadingZeros(steps + 1);
        long ceiling = Math.min(properties.backoffCap().toMillis(), recheck.toMillis() << Math.min(doublings, 20));
        ceiling = Math.max(ceiling, recheck.toMillis());
        long delay = ceiling / 2 + (long) (random.getAsDouble() * (ceiling - ceiling / 2));
        return now.plusMillis(Math.max(1, delay));
    }
}
