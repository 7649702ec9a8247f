package io.klingrelay.coordination.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MeterSpecTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void recordsATaggedTimerUnderItsNameAndDescription() {
        MeterSpec spec = MeterSpec.timer("klingrelay.test.duration", "Time per thing, by outcome", "outcome");

        spec.record(registry, Duration.ofMillis(250), "done");
        spec.record(registry, Duration.ofMillis(750), "done");

        Timer timer = registry.get("klingrelay.test.duration").tag("outcome", "done").timer();
        assertThat(timer.count()).isEqualTo(2);
        assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1_000);
        assertThat(timer.getId().getDescription()).isEqualTo("Time per thing, by outcome");
        assertThat(spec.type()).isEqualTo(MeterSpec.Type.TIMER);
    }

    @Test
    void anUntaggedTimerTakesNoTagValues() {
        MeterSpec spec = MeterSpec.timer("klingrelay.test.wait", "Wait");

        spec.record(registry, Duration.ofSeconds(1));

        assertThat(registry.get("klingrelay.test.wait").timer().getId().getTags()).isEmpty();
        assertThatIllegalArgumentException().isThrownBy(() -> spec.record(registry, Duration.ZERO, "extra"))
                .withMessageContaining("klingrelay.test.wait");
    }

    @Test
    void countsByTagValuesInTheOrderOfTheTagKeys() {
        MeterSpec spec = MeterSpec.counter("klingrelay.test.things", "Things", "outcome", "kind");

        spec.increment(registry, "done", "video");
        spec.increment(registry, 2, "done", "video");

        assertThat(registry.get("klingrelay.test.things").tags("outcome", "done", "kind", "video").counter().count())
                .isEqualTo(3);
        assertThatIllegalArgumentException().isThrownBy(() -> spec.increment(registry, "done"));
    }
}
