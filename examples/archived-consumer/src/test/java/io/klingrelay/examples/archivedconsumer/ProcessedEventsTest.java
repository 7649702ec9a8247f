package io.klingrelay.examples.archivedconsumer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessedEventsTest {

    @Test
    void remembersAHandledEventId() {
        ProcessedEvents processed = new ProcessedEvents(10);

        processed.add("e-1");

        assertThat(processed.contains("e-1")).isTrue();
        assertThat(processed.contains("e-2")).isFalse();
    }

    @Test
    void forgetsTheOldestIdsBeyondItsCapacity() {
        ProcessedEvents processed = new ProcessedEvents(2);

        processed.add("e-1");
        processed.add("e-2");
        processed.add("e-3");

        assertThat(processed.contains("e-1")).isFalse();
        assertThat(processed.contains("e-2")).isTrue();
        assertThat(processed.contains("e-3")).isTrue();
    }
}
