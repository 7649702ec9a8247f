package io.klingrelay.campaign.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.campaign.CampaignCli;
import io.klingrelay.campaign.input.CampaignFiles;
import io.klingrelay.campaign.remote.Connection;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubmitCommandTest {

    @TempDir
    Path dir;

    private final StringWriter output = new StringWriter();
    private final Console console = new Console(new PrintWriter(output), false);
    // nothing listens there: each test ends before a producer would connect
    private final Connection connection = new Connection("127.0.0.1:1", new Properties(), null, null, null,
            CampaignFiles.DEMO_ACCOUNTS);

    private int submit(String... args) {
        SubmitCommand command = new SubmitCommand();
        CampaignCli.commandLine().getSubcommands().get("submit");
        new picocli.CommandLine(command).parseArgs(args);
        return command.run(console, connection);
    }

    @Test
    void refusesAFileWithInvalidLinesListingThemByNumber() throws Exception {
        Path sample = Files.copy(CampaignFiles.SAMPLE, dir.resolve("campaign.jsonl"));

        int exit = submit(sample.toString(), "--yes");

        assertThat(exit).isEqualTo(SubmitCommand.REFUSED);
        assertThat(output.toString()).contains("27 request lines, 24 valid, 3 invalid, campaign spring-launch-2027")
                .contains("  line 25 (borealis-invalid-001): input.prompt: must not be longer than 2500 characters")
                .contains("  line 26 (aurora-invalid-002): input.duration")
                .contains("  line 27: not JSON (")
                .contains("refused: 3 invalid lines (listed above); fix them, or pass --skip-invalid to publish the 24 valid ones");
        assertThat(PublishJournalFile.of(sample)).doesNotExist();
    }

    @Test
    void withoutATerminalItAsksForYesInsteadOfPublishing() throws Exception {
        Path sample = Files.copy(CampaignFiles.SAMPLE, dir.resolve("campaign.jsonl"));

        int exit = submit(sample.toString(), "--skip-invalid");

        assertThat(exit).isEqualTo(SubmitCommand.REFUSED);
        assertThat(output.toString()).contains("cost estimate").contains("total")
                .contains("refused: no terminal to confirm on (or CI=true); pass --yes to publish");
    }

    @Test
    void aCsvWithAMissingColumnIsRefusedWithItsLineNumber() {
        Path csv = CampaignFiles.write(dir, "c.csv", List.of("requestId,product", "a,text-to-video"));

        int exit = CampaignCli.commandLine().setErr(new PrintWriter(output)).execute("submit", csv.toString(), "--yes",
                "--bootstrap-servers", "127.0.0.1:1", "--endpoints", CampaignFiles.write(dir, "e.json", List.of("{}")).toString());

        assertThat(exit).isEqualTo(CampaignCli.FAILED);
        assertThat(output.toString()).contains("campaign: line 1: missing column accountId");
    }

    @Test
    void aFileWithoutACampaignIdNeedsOne() {
        Path file = CampaignFiles.write(dir, "c.jsonl", List.of(CampaignFiles.line("a").replace(",\"campaignId\":\"camp\"", "")));

        int exit = submit(file.toString(), "--yes");

        assertThat(exit).isEqualTo(SubmitCommand.REFUSED);
        assertThat(output.toString()).contains("refused: no line names a campaignId; pass --campaign-id ID");
    }

    /** Where the journal of a campaign file is. */
    private static final class PublishJournalFile {
        static Path of(Path file) {
            return io.klingrelay.campaign.publish.PublishJournal.beside(file);
        }
    }
}
