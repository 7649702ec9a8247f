package io.klingrelay.archiver.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private static final RetrySchedule SCHEDULE = new RetrySchedule(Duration.ofSeconds(10), Duration.ofHours(1));

    @RepeatedTest(5)
    void doublesTheDelayPerDeferralWithJitterInTheUpperHalf() {
        Instant farAway = NOW.plus(Duration.ofDays(30));

        assertThat(SCHEDULE.next(0, NOW, farAway)).isBetween(NOW.plusSeconds(5), NOW.plusSeconds(10));
        assertThat(SCHEDULE.next(3, NOW, farAway)).isBetween(NOW.plusSeconds(40), NOW.plusSeconds(80));
        assertThat(SCHEDULE.next(20, NOW, farAway)).isBetween(NOW.plus(Duration.ofMinutes(30)), NOW.plus(Duration.ofHours(1)));
    }

    @RepeatedTest(5)
    void neverWaitsPastHalfTheTimeTheUrlHasLeft() {
        Instant expiry = NOW.plus(Duration.ofMinutes(10));

        assertThat(SCHEDULE.next(20, NOW, expiry)).isBetween(NOW.plus(Duration.ofMinutes(2).plusSeconds(30)),
                NOW.plus(Duration.ofMinutes(5)));
    }

    @RepeatedTest(5)
    void waitsAtLeastASecondJustBeforeExpiry() {
        Instant expiry = NOW.plusMillis(300);

        assertThat(SCHEDULE.next(20, NOW, expiry)).isBetween(NOW.plusMillis(500), NOW.plusSeconds(1));
    }

    @Test
    void triesAtOnceOnceTheUrlHasExpiredSoThatTheTryFailsTheRequest() {
        assertThat(SCHEDULE.next(4, NOW, NOW.minusSeconds(1))).isEqualTo(NOW);
    }
}
