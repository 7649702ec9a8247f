package io.klingrelay.deploy.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackConfigTest {

    private static final StackConfig DEMO = StackConfig.forBuild(Path.of("/repo"), Path.of("/data"),
            new KlingTarget.Emulator(List.of(KlingAccount.withRandomKeys("demo", 2)), 0.05), Duration.ofSeconds(20));

    @Test
    void theDemoRunsOneSubmitterWithoutExtraProperties() {
        assertThat(DEMO.submitterInstances()).isEqualTo(1);
        assertThat(DEMO.extraProperties()).isEmpty();
        assertThat(DEMO.extraProperties(Service.SUBMITTER)).isEmpty();
        assertThat(DEMO.redisCluster()).isFalse();
    }

    @Test
    void aRedisClusterIsKeptThroughTheOtherOptions() {
        StackConfig config = DEMO.withRedisCluster(true).withSubmitterInstances(2)
                .withProperties(Service.POLLER, Map.of("klingrelay.poller.interval", "1s"));

        assertThat(config.redisCluster()).isTrue();
        assertThat(config.submitterInstances()).isEqualTo(2);
        assertThat(DEMO.redisCluster()).as("the original is unchanged").isFalse();
    }

    @Test
    void extraPropertiesAccumulatePerServiceAndLaterValuesWin() {
        StackConfig config = DEMO.withSubmitterInstances(3)
                .withProperties(Service.SUBMITTER, Map.of("klingrelay.submitter.dispatch-lease", "10s"))
                .withProperties(Service.SUBMITTER, Map.of("klingrelay.submitter.dispatch-lease", "12s",
                        "klingrelay.submitter.sweep-interval", "1s"))
                .withProperties(Service.KLING_EMULATOR, Map.of("klingrelay.emulator.phases.text2video.processing", "2s"));

        assertThat(config.submitterInstances()).isEqualTo(3);
        assertThat(config.extraProperties(Service.SUBMITTER)).containsOnly(
                Map.entry("klingrelay.submitter.dispatch-lease", "12s"), Map.entry("klingrelay.submitter.sweep-interval", "1s"));
        assertThat(config.extraProperties(Service.KLING_EMULATOR))
                .containsOnly(Map.entry("klingrelay.emulator.phases.text2video.processing", "2s"));
        assertThat(config.extraProperties(Service.POLLER)).isEmpty();
        assertThat(DEMO.extraProperties()).as("the original is unchanged").isEmpty();
    }

    @Test
    void zeroSubmitterInstancesIsRejected() {
        assertThatThrownBy(() -> DEMO.withSubmitterInstances(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("submitterInstances");
    }

    @Test
    void furtherEmulatorRegionsAreKeptThroughTheOtherOptionsAndNeedTheEmulator() {
        KlingTarget.Emulator beijing = new KlingTarget.Emulator(List.of(KlingAccount.withRandomApiKey("cn", 2)), 0.05);

        StackConfig config = DEMO.withRegion("beijing", beijing).withSubmitterInstances(2).withRedisCluster(true)
                .withProperties(Service.POLLER, Map.of("klingrelay.poller.interval", "1s"));

        assertThat(config.regions()).containsOnlyKeys("beijing").containsEntry("beijing", beijing);
        assertThat(DEMO.regions()).as("the original is unchanged").isEmpty();
        assertThatThrownBy(() -> config.withRegion("beijing", beijing)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DEMO.withRegion("Bei Jing", beijing)).isInstanceOf(IllegalArgumentException.class);
        KlingTarget real = new KlingTarget.RealKling(KlingTarget.DEFAULT_BASE_URL, KlingAccount.withRandomKeys("r", 1), null);
        assertThatThrownBy(() -> StackConfig.forBuild(Path.of("/repo"), Path.of("/data"), real, Duration.ofSeconds(20))
                .withRegion("beijing", beijing)).isInstanceOf(IllegalArgumentException.class);
    }
}
