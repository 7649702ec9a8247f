package io.klingrelay.submitter.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

    @Test
    void drawsEachDelayBetweenZeroAndTheDoublingCap() {
        IntStream.range(0, 1_000).forEach(i -> {
            assertThat(backoff.delayAfter(1)).isBetween(Duration.ZERO, Duration.ofSeconds(1));
            assertThat(backoff.delayAfter(3)).isBetween(Duration.ZERO, Duration.ofSeconds(4));
            assertThat(backoff.delayAfter(40)).isBetween(Duration.ZERO, Duration.ofSeconds(60));
        });
    }

    @Test
    void spreadsDelaysOverTheWholeRange() {
        long distinct = IntStream.range(0, 200).mapToObj(i -> backoff.delayAfter(5)).distinct().count();
        assertThat(distinct).isGreaterThan(100);
        assertThat(IntStream.range(0, 500).mapToObj(i -> backoff.delayAfter(5))
                .anyMatch(d -> d.compareTo(Duration.ofSeconds(8)) > 0)).isTrue();
    }
}
