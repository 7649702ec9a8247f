package io.klingrelay.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.klingrelay.deploy.chaos.ChaosCommand;
import io.klingrelay.deploy.demo.DemoCommand;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class KlingRelayCliTest {

    @Test
    void demoOptionsHaveTheDocumentedDefaults() {
        CommandLine.ParseResult result = KlingRelayCli.commandLine().parseArgs("demo");

        CommandLine.ParseResult demo = result.subcommand();
        assertThat(demo.commandSpec().userObject()).isInstanceOf(DemoCommand.class);
        assertThat(option(demo, "--campaign")).isEqualTo(Path.of("deploy/samples/campaign.jsonl"));
        assertThat(option(demo, "--data-dir")).isEqualTo(Path.of("demo-data"));
        assertThat(option(demo, "--timeout")).isEqualTo(Duration.ofMinutes(10));
        assertThat(option(demo, "--time-scale")).isEqualTo(0.05);
        assertThat(option(demo, "--redis-cluster")).isEqualTo(false);
    }

    @Test
    void demoRunsRedisAsAClusterOnRequest() {
        CommandLine.ParseResult demo = KlingRelayCli.commandLine().parseArgs("demo", "--redis-cluster").subcommand();

        assertThat(option(demo, "--redis-cluster")).isEqualTo(true);
    }

    @Test
    void demoAcceptsHumanDurationsAndAnotherCampaign() {
        CommandLine.ParseResult demo = KlingRelayCli.commandLine()
                .parseArgs("demo", "--campaign", "c.jsonl", "--timeout", "90s", "--time-scale", "0.01").subcommand();

        assertThat(option(demo, "--campaign")).isEqualTo(Path.of("c.jsonl"));
        assertThat(option(demo, "--timeout")).isEqualTo(Duration.ofSeconds(90));
        assertThat(option(demo, "--time-scale")).isEqualTo(0.01);
    }

    @Test
    void chaosOptionsHaveTheDocumentedDefaultsAndHostileCanBeTurnedOff() {
        CommandLine.ParseResult chaos = KlingRelayCli.commandLine().parseArgs("chaos").subcommand();
        CommandLine.ParseResult quiet = KlingRelayCli.commandLine()
                .parseArgs("chaos", "--requests", "50", "--seed", "7", "--no-hostile", "--timeout", "5m").subcommand();

        assertThat(chaos.commandSpec().userObject()).isInstanceOf(ChaosCommand.class);
        assertThat(option(chaos, "--requests")).isEqualTo(2000);
        assertThat(option(chaos, "--accounts")).isEqualTo(4);
        assertThat(option(chaos, "--timeout")).isEqualTo(Duration.ofMinutes(30));
        assertThat(option(chaos, "--data-dir")).isEqualTo(Path.of("chaos-data"));
        assertThat(option(chaos, "--hostile")).isEqualTo(true);
        assertThat(option(quiet, "--requests")).isEqualTo(50);
        assertThat(option(quiet, "--seed")).isEqualTo(7L);
        assertThat(option(quiet, "--hostile")).isEqualTo(false);
        assertThat(option(quiet, "--timeout")).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void upDownAndStatusShareTheUpDataFolderByDefault() {
        for (String command : new String[] {"up", "down", "status"}) {
            CommandLine.ParseResult parsed = KlingRelayCli.commandLine().parseArgs(command).subcommand();

            assertThat(option(parsed, "--data-dir")).as(command).isEqualTo(Path.of("up-data"));
        }
        assertThat(option(KlingRelayCli.commandLine().parseArgs("up").subcommand(), "--timeout")).isEqualTo(Duration.ofMinutes(12));
    }

    @Test
    void durationConverterReadsShortAndIsoForms() {
        DurationConverter converter = new DurationConverter();

        assertThat(converter.convert("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("PT1H")).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> converter.convert("soon")).isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("soon");
    }

    private static Object option(CommandLine.ParseResult result, String name) {
        return result.commandSpec().findOption(name).getValue();
    }
}
