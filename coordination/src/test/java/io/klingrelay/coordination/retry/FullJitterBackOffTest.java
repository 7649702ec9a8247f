package io.klingrelay.coordination.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.util.backoff.BackOffExecution;

class FullJitterBackOffTest {

    @Test
    void doublesTheCapUpToTheMaximumAndStopsAfterTheLastAttempt() {
        // GIVEN a "random" that always picks the cap
        FullJitterBackOff backOff = new FullJitterBackOff(6, Duration.ofMillis(500), Duration.ofSeconds(3),
                cap -> cap);

        // WHEN
        BackOffExecution execution = backOff.start();
        List<Long> waits = new ArrayList<>();
        for (long wait = execution.nextBackOff(); wait != BackOffExecution.STOP; wait = execution.nextBackOff()) {
            waits.add(wait);
        }

        // THEN 5 retries after the first attempt
        assertThat(waits).containsExactly(500L, 1000L, 2000L, 3000L, 3000L);
    }

    @Test
    void drawsEveryWaitBetweenZeroAndItsCap() {
        FullJitterBackOff backOff = new FullJitterBackOff(20, Duration.ofMillis(100), Duration.ofSeconds(1));

        BackOffExecution execution = backOff.start();
        for (int retry = 0; retry < 19; retry++) {
            assertThat(execution.nextBackOff()).isBetween(0L, backOff.cap(retry));
        }
        assertThat(execution.nextBackOff()).isEqualTo(BackOffExecution.STOP);
    }

    @Test
    void reachesBothEndsOfTheRangeZeroAndTheCapItself() {
        // a cap of 3 ms: 4 possible values, so 2,000 draws miss one of them with probability ~4 * 0.75^2000
        FullJitterBackOff backOff = new FullJitterBackOff(1, Duration.ofMillis(3), Duration.ofMillis(3));

        List<Long> draws = IntStream.range(0, 2_000).mapToObj(i -> backOff.delayAfter(1).toMillis()).toList();

        assertThat(draws).containsOnly(0L, 1L, 2L, 3L).contains(0L, 3L);
    }

    @Test
    void spreadsWaitsUniformlySoTheirMeanIsHalfTheCap() {
        FullJitterBackOff backOff = new FullJitterBackOff(1, Duration.ofSeconds(1), Duration.ofSeconds(60));

        // attempt 5: cap 16 s; uniform draws have mean 8 s and a standard error of ~46 ms over 10,000
        LongSummaryStatistics waits = LongStream.range(0, 10_000).map(i -> backOff.delayAfter(5).toMillis())
                .summaryStatistics();

        assertThat(waits.getMin()).isBetween(0L, 800L);
        assertThat(waits.getMax()).isBetween(15_200L, 16_000L);
        assertThat(waits.getAverage()).isBetween(7_600.0, 8_400.0);
    }

    @Test
    void delayAfterAnAttemptDoublesTheCapWithoutStoppingAtTheLastAttempt() {
        // GIVEN two attempts in total, and a "random" that always picks the cap
        FullJitterBackOff backOff = new FullJitterBackOff(2, Duration.ofSeconds(1), Duration.ofSeconds(60), cap -> cap);

        assertThat(backOff.delayAfter(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backOff.delayAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backOff.delayAfter(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(backOff.delayAfter(6)).isEqualTo(Duration.ofSeconds(32));
        assertThat(backOff.delayAfter(7)).isEqualTo(Duration.ofSeconds(60));
        assertThat(backOff.delayAfter(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void capsNeverOverflowForHugeMaximumDelays() {
        FullJitterBackOff backOff = new FullJitterBackOff(1, Duration.ofMillis(1), Duration.ofMillis(Long.MAX_VALUE - 1));

        assertThat(backOff.cap(70)).isEqualTo(Long.MAX_VALUE - 1);
        assertThat(backOff.cap(62)).isEqualTo(1L << 62);
    }

    @Test
    void zeroMaximumDelayMeansRetryAtOnce() {
        FullJitterBackOff backOff = new FullJitterBackOff(3, Duration.ZERO, Duration.ZERO);

        assertThat(backOff.delayAfter(4)).isZero();
        assertThat(backOff.start().nextBackOff()).isZero();
    }

    @Test
    void singleAttemptNeverRetries() {
        assertThat(new FullJitterBackOff(1, Duration.ofMillis(1), Duration.ofMillis(1)).start().nextBackOff())
                .isEqualTo(BackOffExecution.STOP);
    }

    @Test
    void refusesFewerThanOneAttemptOrANegativeDelay() {
        assertThatIllegalArgumentException().isThrownBy(() ->
                new FullJitterBackOff(0, Duration.ofMillis(1), Duration.ofMillis(1)));
        assertThatIllegalArgumentException().isThrownBy(() ->
                new FullJitterBackOff(1, Duration.ofMillis(-1), Duration.ofMillis(1)));
        assertThatIllegalArgumentException().isThrownBy(() ->
                new FullJitterBackOff(1, Duration.ofMillis(1), Duration.ofMillis(-1)));
    }
}
