package io.klingrelay.klingemulator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class EmulatorClockTest {

    private static final Instant BASE = Instant.parse("2026-06-01T00:00:00Z");

    private final EmulatorClock clock = new EmulatorClock(Clock.fixed(BASE, ZoneOffset.UTC));

    @Test
    void showsTheBaseTimeUntilAdvanced() {
        assertThat(clock.instant()).isEqualTo(BASE);
        assertThat(clock.offset()).isZero();
    }

    @Test
    void advancesCumulativelyAndResetsToTheBaseTime() {
        // WHEN
        clock.advance(Duration.ofDays(29));
        Duration offset = clock.advance(Duration.ofDays(2));

        // THEN
        assertThat(offset).isEqualTo(Duration.ofDays(31));
        assertThat(clock.millis()).isEqualTo(BASE.plus(Duration.ofDays(31)).toEpochMilli());
        clock.reset();
        assertThat(clock.instant()).isEqualTo(BASE);
    }

    @Test
    void refusesToGoBackwards() {
        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("advance");
        assertThat(clock.offset()).isZero();
    }

    @Test
    void aViewInAnotherZoneFollowsTheOffset() {
        Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));

        clock.advance(Duration.ofHours(1));

        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(paris.instant()).isEqualTo(BASE.plus(Duration.ofHours(1)));
        assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
    }
}
