package io.klingrelay.campaign.command;

import io.klingrelay.campaign.estimate.UnitsTable;
import io.klingrelay.campaign.input.CampaignFormat;
import io.klingrelay.campaign.input.CheckReport;
import io.klingrelay.campaign.input.FileCheck;
import io.klingrelay.campaign.input.LineProblem;
import io.klingrelay.campaign.publish.CampaignPublisher;
import io.klingrelay.campaign.publish.PublishException;
import io.klingrelay.campaign.publish.PublishJournal;
import io.klingrelay.campaign.remote.Connection;
import io.klingrelay.campaign.remote.StatusClient;
import io.klingrelay.common.kafka.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code campaign submit FILE}: check every line, show the estimate, confirm, publish what is not
 * yet published, optionally follow. Exit codes: 0 done (with {@code --follow}: nothing pending),
 * 1 {@code --follow} timed out with requests pending, 2 refused (invalid lines, no confirmation,
 * no campaign id, the file changed under its journal), 3 Kafka failed part-way (re-run to resume).
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Validate a campaign file (JSON Lines, or CSV by its .csv name), estimate its cost, and publish it "
                + "to klingrelay.requests, exactly once per request id.",
            "Re-running the same file publishes only what is not published yet (journal FILE.published.json)."})
public final class SubmitCommand implements Callable<Integer> {

    static final int REFUSED = 2;
    static final int PUBLISH_FAILED = 3;

    @Parameters(paramLabel = "FILE", description = "the campaign file")
    Path file = Path.of("campaign.jsonl");

    @Option(names = "--yes", description = "publish without asking (required without a terminal or with CI=true)")
    boolean yes;

    @Option(names = "--skip-invalid", description = "publish the valid lines and leave the invalid ones out (they are still listed)")
    boolean skipInvalid;

    @Option(names = "--follow", description = "after publishing, show progress until every request is archived or failed")
    boolean follow;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "how long --follow waits at most, e.g. 30m (default: ${DEFAULT-VALUE})",
            defaultValue = "PT30M", converter = DurationConverter.class)
    Duration timeout = Duration.ofMinutes(30);

    @Option(names = "--units-table", paramLabel = "FILE", description = "the estimate's units table (default: the bundled units-table.csv)")
    @Nullable Path unitsTable;

    @Option(names = "--campaign-id", paramLabel = "ID", description = "the campaign of lines that name none")
    @Nullable String campaignId;

    @Option(names = "--format", paramLabel = "jsonl|csv", description = "the file format (default: by the file name)")
    @Nullable CampaignFormat format;

    @Option(names = "--journal", paramLabel = "FILE", description = "the publish journal (default: FILE.published.json beside the file)")
    @Nullable Path journalFile;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Spec
    @Nullable CommandSpec spec;

    private volatile @Nullable PublishJournal inFlight;

    @Override
    public Integer call() {
        Console console = Console.of(Objects.requireNonNull(spec).commandLine().getOut(), System.getenv());
        return run(console, connection.resolve());
    }

    /**
     * The whole command against a console and a connection (the tests call this).
     *
     * @param console    where to print and ask
     * @param connection the deployment
     * @return the exit code
     */
    int run(Console console, Connection connection) {
        if (!Files.isRegularFile(file)) {
            console.printf("%s: no such file%n", file);
            return REFUSED;
        }
        CampaignFormat fileFormat = format != null ? format : CampaignFormat.of(file);
        UnitsTable table = unitsTable == null ? UnitsTable.bundled() : UnitsTable.read(unitsTable);
        CheckReport report = new FileCheck(connection.accounts(), table, campaignId).check(file, fileFormat);
        printCheck(console, report, connection);
        Optional<Integer> refusal = refusal(console, report);
        if (refusal.isPresent()) {
            return refusal.get();
        }
        String campaign = Objects.requireNonNull(report.campaignId());
        console.print(report.estimate().render());
        Path journalPath = journalFile != null ? journalFile : PublishJournal.beside(file);
        Optional<PublishJournal> previous = PublishJournal.read(journalPath);
        if (previous.isPresent() && !previous.get().fileSha256().equals(report.sha256())) {
            console.printf("refused: %s changed since it was partly published (journal %s: %s).%n"
                    + "Lines are matched by number, so a changed file cannot resume. Move the journal away to publish "
                    + "this content as new (request ids the status service already knows are still skipped).%n",
                    file, journalPath, previous.get().describe());
            return REFUSED;
        }
        PublishJournal journal = previous.orElseGet(() -> PublishJournal.start(report.sha256(), campaign));
        int published = publish(console, connection, report, fileFormat, journalPath, journal);
        if (published != 0 || !follow) {
            return published;
        }
        return followCampaign(console, connection, campaign, report.valid());
    }

    private void printCheck(Console console, CheckReport report, Connection connection) {
        console.printf("%s: %d request lines, %d valid, %d invalid%s%n", file, report.requestLines(), report.valid(),
                report.problemCount(), report.campaignId() == null ? "" : ", campaign " + report.campaignId());
        for (LineProblem problem : report.problems()) {
            console.printf("  %s%n", problem);
        }
        if (report.problemCount() > report.problems().size()) {
            console.printf("  ... and %d more invalid lines%n", report.problemCount() - report.problems().size());
        }
        if (!connection.accounts().isKnown()) {
            console.println("note: the deployment's accounts are unknown (no --accounts, no endpoints.json): account ids and image n were not checked against them");
        }
    }

    private Optional<Integer> refusal(Console console, CheckReport report) {
        if (report.campaignId() == null) {
            console.println("refused: no line names a campaignId; pass --campaign-id ID");
            return Optional.of(REFUSED);
        }
        if (!report.allValid() && !skipInvalid) {
            console.printf("refused: %d invalid line%s (listed above); fix them, or pass --skip-invalid to publish the %d valid ones%n",
                    report.problemCount(), report.problemCount() == 1 ? "" : "s", report.valid());
            return Optional.of(REFUSED);
        }
        if (report.valid() == 0) {
            console.println("refused: no valid request to publish");
            return Optional.of(REFUSED);
        }
        return Optional.empty();
    }

    private int publish(Console console, Connection connection, CheckReport report, CampaignFormat fileFormat,
            Path journalPath, PublishJournal journal) {
        if (journal.complete()) {
            console.printf("nothing to publish: every valid line of this file is already published (journal %s: %s)%n",
                    journalPath, journal.describe());
            return 0;
        }
        String bootstrap = connection.requireBootstrapServers();
        Set<String> known = knownRequestIds(console, connection.status(), report.campaignId(), journal);
        if (journal.publishedThrough() > 0) {
            console.printf("resuming after line %d (journal %s: %s)%n", journal.publishedThrough(), journalPath, journal.describe());
        }
        if (!yes && !confirmed(console, report, bootstrap)) {
            return REFUSED;
        }
        Thread hook = new Thread(() -> interrupted(console, journalPath), "campaign-submit-interrupted");
        Runtime.getRuntime().addShutdownHook(hook);
        try (CampaignPublisher publisher = CampaignPublisher.connect(bootstrap, connection.kafkaProperties())) {
            CampaignPublisher.Outcome outcome = publisher.publish(file, fileFormat, report, journalPath, journal,
                    request -> known.contains(request.requestId()), true, progress -> inFlight = progress);
            inFlight = null;
            console.printf("published %d request%s to %s (campaign %s); %d already published before, %d already known to the "
                    + "status service, %d invalid line%s left out; journal %s%n", outcome.published(),
                    outcome.published() == 1 ? "" : "s", Topics.REQUESTS, report.campaignId(), outcome.alreadyDone(),
                    outcome.alreadyKnown(), outcome.invalid(), outcome.invalid() == 1 ? "" : "s", journalPath);
            return 0;
        } catch (PublishException e) {
            inFlight = null;
            console.printf("stopped: %s.%nNothing after line %d is certainly published. Re-run the same command to publish "
                    + "the rest (the journal %s resumes it; nothing is published twice).%n",
                    e.getMessage(), e.journal().publishedThrough(), journalPath);
            return PUBLISH_FAILED;
        } finally {
            removeHook(hook);
        }
    }

    private void interrupted(Console console, Path journalPath) {
        PublishJournal journal = inFlight;
        if (journal != null) {
            console.printf("%ninterrupted: %d requests published, through line %d. Re-run the same command to publish the "
                    + "rest (journal %s).%n", journal.published(), journal.publishedThrough(), journalPath);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down: the hook is running
        }
    }

    private static Set<String> knownRequestIds(Console console, @Nullable StatusClient status, @Nullable String campaign,
            PublishJournal journal) {
        Set<String> known = new HashSet<>();
        if (status == null || campaign == null || !status.isReachable()) {
            if (journal.hasUncertainLines()) {
                console.printf("note: lines %d-%d may have been published before the last run stopped; no status service "
                        + "answers to check, so they are published again (the submitter skips request ids it already knows)%n",
                        journal.publishedThrough() + 1, journal.sendingThrough());
            }
            return known;
        }
        status.forEachRequest(campaign, null, view -> known.add(view.path("requestId").asString("")));
        return known;
    }

    private boolean confirmed(Console console, CheckReport report, String bootstrap) {
        if (!console.isInteractive()) {
            console.println("refused: no terminal to confirm on (or CI=true); pass --yes to publish");
            return false;
        }
        boolean answer = console.confirm(String.format("Publish %d requests of campaign %s (about %s units) to %s at %s?",
                report.valid(), report.campaignId(), report.estimate().total().stripTrailingZeros().toPlainString(),
                Topics.REQUESTS, bootstrap));
        if (!answer) {
            console.println("nothing published");
        }
        return answer;
    }

    private int followCampaign(Console console, Connection connection, String campaign, long expected) {
        CampaignCounts counts = new Follower(connection, console, console.isInteractive())
                .follow(campaign, expected, timeout);
        console.println(counts.summary(campaign));
        return counts.pending() == 0 ? 0 : 1;
    }
}
