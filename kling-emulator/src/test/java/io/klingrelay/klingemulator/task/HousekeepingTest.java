package io.klingrelay.klingemulator.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.klingemulator.asset.AssetCache;
import io.klingrelay.klingemulator.asset.AssetGenerator;
import io.klingrelay.klingemulator.asset.AssetService;
import io.klingrelay.klingemulator.asset.VideoFormat;
import io.klingrelay.klingemulator.auth.JwtVerifier;
import io.klingrelay.klingemulator.config.EmulatorProperties;
import io.klingrelay.klingemulator.config.EmulatorSettings;
import io.klingrelay.klingemulator.product.TextToVideoProduct;
import io.klingrelay.klingemulator.spec.TaskSpec;
import io.klingrelay.klingemulator.stats.EmulatorStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class HousekeepingTest {

    private static final long NOW = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli();

    private final EmulatorProperties properties = new Binder(new MapConfigurationPropertySource())
            .bindOrCreate("klingrelay.emulator", EmulatorProperties.class);
    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
    private final TaskStore store = new TaskStore();
    private final AtomicInteger generated = new AtomicInteger();
    private final AssetService assets = new AssetService(new CountingGenerator(generated), new AssetCache(properties));
    private final EmulatorStats stats = new EmulatorStats(properties, new SlotLimiter());
    private final Housekeeping housekeeping =
            new Housekeeping(store, new JwtVerifier(properties, clock), clock,
                    new TaskEvents(List.of(assets, stats)), properties);
    private final TextToVideoProduct t2v = new TextToVideoProduct(properties, new EmulatorSettings(properties));

    @AfterEach
    void stop() {
        housekeeping.destroy();
    }

    @Test
    void purgesEndedTasksOnceTheThirtyDayRetentionHasPassed() {
        Task old = task("1", TaskStatus.SUCCEED, NOW - Duration.ofDays(30).toMillis() - 1, "old");
        Task recent = task("2", TaskStatus.SUCCEED, NOW - Duration.ofDays(29).toMillis(), "recent");
        Task running = task("3", TaskStatus.PROCESSING, NOW - Duration.ofDays(40).toMillis(), "running");
        List.of(old, recent, running).forEach(store::add);
        assets.bytes(old, 0);

        assertThat(housekeeping.sweep()).isEqualTo(1);

        assertThat(store.get("1")).isEmpty();
        assertThat(store.find("acct", t2v, "old")).isEmpty();
        assertThat(store.get("2")).isPresent();
        assertThat(store.get("3")).isPresent();
        assets.bytes(old, 0);
        assertThat(generated).hasValue(2);
        assertThat(stats.view().accounts().get("acct").purged()).isEqualTo(1);
    }

    private Task task(String id, TaskStatus status, long updatedAt, String externalId) {
        TaskSpec spec = new TaskSpec("kling-v1", "std", "p", "16:9", "5", 1, 1, null, externalId);
        return new Task(id, "acct", t2v, spec, status, "", updatedAt - 1000, updatedAt, null, List.of("9" + id), Long.parseLong(id));
    }

    private static final class CountingGenerator extends AssetGenerator {
        private final AtomicInteger count;

        CountingGenerator(AtomicInteger count) {
            this.count = count;
        }

        @Override
        public byte[] mp4(String taskId, int index, String prompt, VideoFormat format) {
            count.incrementAndGet();
            return new byte[] {1, 2, 3};
        }
    }
}
