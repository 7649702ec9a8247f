package io.klingrelay.klingemulator.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.klingrelay.klingemulator.config.EmulatorClock;
import io.klingrelay.klingemulator.task.Housekeeping;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The emulator's controllable clock (kling-api.md §19 item 58), no auth like all of {@code /admin}:
 * <ul>
 *   <li>{@code GET /admin/clock}: {@code {offset, instant, epochMillis}};</li>
 *   <li>{@code POST /admin/clock} {@code {"advance":"P31D"}} (ISO-8601 duration, &gt;= 0) moves it forward,
 *       {@code {"reset":true}} back to system time (reset first when both are given); the retention purge runs at
 *       once and the reply adds {@code purged}, the number of tasks it removed.</li>
 * </ul>
 * {@code POST /admin/reset} resets the clock too. See {@link EmulatorClock} for what follows the clock.
 */
@RestController
@RequestMapping("/admin/clock")
public class AdminClockController {

    private final EmulatorClock clock;
    private final Housekeeping housekeeping;

    /**
     * @param clock the emulator's clock
     * @param housekeeping runs the retention purge right after each change
     */
    public AdminClockController(EmulatorClock clock, Housekeeping housekeeping) {
        this.clock = clock;
        this.housekeeping = housekeeping;
    }

    /** @return the clock's offset from system time and its current time */
    @GetMapping
    public ClockView clock() {
        return ClockView.of(clock, null);
    }

    /**
     * Resets and/or advances the clock, then purges what is now past retention.
     *
     * @return the clock afterwards, with the number of purged tasks
     * @throws IllegalArgumentException (400) for a negative {@code advance}
     */
    @PostMapping
    public ClockView change(@RequestBody ClockChange change) {
        if (Boolean.TRUE.equals(change.reset())) {
            clock.reset();
        }
        if (change.advance() != null) {
            clock.advance(change.advance());
        }
        return ClockView.of(clock, housekeeping.sweep());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", String.valueOf(e.getMessage())));
    }

    /**
     * Body of {@code POST /admin/clock}; absent fields do nothing.
     *
     * @param advance how far to move the clock forward, ISO-8601 ({@code PT90M}, {@code P31D}), &gt;= 0
     * @param reset {@code true} = back to system time (offset zero), applied before {@code advance}
     */
    public record ClockChange(@Nullable Duration advance, @Nullable Boolean reset) {
    }

    /**
     * The clock as {@code /admin/clock} shows it.
     *
     * @param offset how far the emulator is ahead of system time, ISO-8601 ({@code PT0S}, {@code PT744H})
     * @param instant the emulator's current time, ISO-8601 UTC
     * @param epochMillis the same in epoch milliseconds (e.g. to sign JWTs that the emulator accepts)
     * @param purged tasks the immediate retention purge removed; only in the reply to {@code POST}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClockView(String offset, String instant, long epochMillis, @Nullable Integer purged) {

        static ClockView of(EmulatorClock clock, @Nullable Integer purged) {
            long now = clock.millis();
            return new ClockView(clock.offset().toString(), Instant.ofEpochMilli(now).toString(), now, purged);
        }
    }
}
