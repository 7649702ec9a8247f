package io.klingrelay.klingemulator.config;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The emulator's one clock: a base clock (system UTC) plus an offset that tests and operators move forward at
 * run time through {@code POST /admin/clock} (kling-api.md §19 item 58, "controllable clock"). Every part of the
 * emulator reads time through it as the {@link Clock} bean: JWT {@code nbf}/{@code exp} checks, task
 * {@code created_at}/{@code updated_at}, asset URL {@code Expires} and its check, the retention purge, resource
 * pack validity, the 30-day {@code video_id} window, {@code webhook-timestamp} and the test-callback interval.
 *
 * <p>Advancing changes what "now" is, not how long things take: phase timers and callback back-offs keep
 * waiting real (time-scaled) time. A client that signs JWTs with its own clock gets 1004 once the offset exceeds
 * its tokens' lifetime; sign with {@code GET /admin/clock}'s {@code epochMillis} instead, or reset the clock.
 */
public final class EmulatorClock extends Clock {

    private final Clock base;
    private final AtomicLong offsetMillis = new AtomicLong();

    /** @param base the clock the offset is added to, e.g. {@link Clock#systemUTC()} */
    public EmulatorClock(Clock base) {
        this.base = base;
    }

    /**
     * Moves the clock forward.
     *
     * @param by how far, &gt;= 0 (millisecond precision)
     * @return the offset from the base clock afterwards
     * @throws IllegalArgumentException when {@code by} is negative: the clock never goes back except by
     *     {@link #reset()}
     */
    public Duration advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("advance: must not be negative");
        }
        return Duration.ofMillis(offsetMillis.addAndGet(by.toMillis()));
    }

    /** Sets the offset back to zero: the base clock's time again. */
    public void reset() {
        offsetMillis.set(0);
    }

    /** @return how far this clock is ahead of its base clock */
    public Duration offset() {
        return Duration.ofMillis(offsetMillis.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** @return this clock when {@code zone} is UTC, else a view in {@code zone} that follows this clock's offset */
    @Override
    public Clock withZone(ZoneId zone) {
        return ZoneOffset.UTC.equals(zone) ? this : new ZonedView(this, zone);
    }

    @Override
    public long millis() {
        return base.millis() + offsetMillis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public String toString() {
        return "EmulatorClock[offset=" + offset() + "]";
    }

    /** The same time in another zone. */
    private static final class ZonedView extends Clock {
        private final EmulatorClock clock;
        private final ZoneId zone;

        ZonedView(EmulatorClock clock, ZoneId zone) {
            this.clock = clock;
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId other) {
            return clock.withZone(other);
        }

        @Override
        public long millis() {
            return clock.millis();
        }

        @Override
        public Instant instant() {
            return clock.instant();
        }
    }
}
