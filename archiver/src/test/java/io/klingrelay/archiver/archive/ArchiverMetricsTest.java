package io.klingrelay.archiver.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The meters the dashboard, the alerts and the README name (deploy/observability, README.md "Metrics"). */
class ArchiverMetricsTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void countsAssetsByOutcome() {
        ArchiverMetrics.countAsset(registry, ArchiverMetrics.ARCHIVED);
        ArchiverMetrics.countAsset(registry, ArchiverMetrics.ARCHIVED);
        ArchiverMetrics.countAsset(registry, ArchiverMetrics.SKIPPED);
        ArchiverMetrics.countAsset(registry, ArchiverMetrics.FAILED);

        assertThat(registry.get("klingrelay.archiver.assets").tag("outcome", "archived").counter().count()).isEqualTo(2);
        assertThat(registry.get("klingrelay.archiver.assets").tag("outcome", "skipped").counter().count()).isEqualTo(1);
        assertThat(registry.get("klingrelay.archiver.assets").tag("outcome", "failed").counter().count()).isEqualTo(1);
        assertThat(registry.get("klingrelay.archiver.assets").counter().getId().getDescription())
                .isEqualTo("Assets handled, by outcome");
    }

    @Test
    void countsBytesInBytesWithoutTags() {
        ArchiverMetrics.countBytes(registry, 1_000);
        ArchiverMetrics.countBytes(registry, 24);

        Counter bytes = registry.get("klingrelay.archiver.bytes").counter();
        assertThat(bytes.count()).isEqualTo(1_024);
        assertThat(bytes.getId().getBaseUnit()).isEqualTo("bytes");
        assertThat(bytes.getId().getTags()).isEmpty();
    }

    @Test
    void timesTasksByOutcome() {
        ArchiverMetrics.recordDuration(registry, ArchiverMetrics.ARCHIVED, Duration.ofMillis(300));
        ArchiverMetrics.recordDuration(registry, ArchiverMetrics.FAILED, Duration.ofSeconds(2));

        Timer archived = registry.get("klingrelay.archiver.duration").tag("outcome", "archived").timer();
        assertThat(archived.count()).isEqualTo(1);
        assertThat(archived.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(300);
        assertThat(registry.get("klingrelay.archiver.duration").tag("outcome", "failed").timer().count()).isEqualTo(1);
        assertThat(archived.getId().getDescription()).isEqualTo("Time to archive one task's assets, by outcome");
    }

    @Test
    void tagValuesAreTheClosedSetTheDashboardsUse() {
        assertThat(ArchiverMetrics.OUTCOME).isEqualTo("outcome");
        assertThat(ArchiverMetrics.ARCHIVED).isEqualTo("archived");
        assertThat(ArchiverMetrics.SKIPPED).isEqualTo("skipped");
        assertThat(ArchiverMetrics.FAILED).isEqualTo("failed");
    }
}
