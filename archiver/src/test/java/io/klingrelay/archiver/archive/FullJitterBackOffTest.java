package io.klingrelay.archiver.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    void singleAttemptNeverRetries() {
        assertThat(new FullJitterBackOff(1, Duration.ofMillis(1), Duration.ofMillis(1)).start().nextBackOff())
                .isEqualTo(BackOffExecution.STOP);
    }

    @Test
    void refusesFewerThanOneAttempt() {
        assertThatIllegalArgumentException().isThrownBy(() ->
                new FullJitterBackOff(0, Duration.ofMillis(1), Duration.ofMillis(1)));
    }
}
