package io.klingrelay.campaign;

import io.klingrelay.campaign.command.AdminCommands;
import io.klingrelay.campaign.command.ResultsCommand;
import io.klingrelay.campaign.command.RetryCommand;
import io.klingrelay.campaign.command.StatusCommand;
import io.klingrelay.campaign.command.SubmitCommand;
import io.klingrelay.campaign.input.CampaignFileException;
import io.klingrelay.campaign.remote.RemoteException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code campaign}: submit, follow, cost, pause, resume, cancel and retry a campaign on a running
 * Kling Relay deployment (run by {@code ./klingrelay campaign}, or {@code java -jar campaign-exec.jar}
 * against any deployment). Expected failures (a refused file, an unreachable service) end with one
 * line on standard error and exit code 2, never a stack trace.
 */
@Command(name = "campaign", mixinStandardHelpOptions = true, version = "Kling Relay campaign 0.1.0-SNAPSHOT",
        description = "Campaign jobs on a running Kling Relay: submit, status, results, pause, resume, cancel, retry.",
        subcommands = {SubmitCommand.class, StatusCommand.class, ResultsCommand.class, AdminCommands.Pause.class,
            AdminCommands.Resume.class, AdminCommands.Cancel.class, RetryCommand.class, CommandLine.HelpCommand.class})
public final class CampaignCli implements Runnable {

    /** Exit code of an expected failure (bad input, unreachable service). */
    public static final int FAILED = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** @param args the command line */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** @return the configured command line (also used by tests) */
    public static CommandLine commandLine() {
        return new CommandLine(new CampaignCli()).setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (isExpected(e)) {
                commandLine.getErr().println("campaign: " + e.getMessage());
                return FAILED;
            }
            throw e;
        });
    }

    private static boolean isExpected(Exception e) {
        return e instanceof CampaignFileException || e instanceof RemoteException || e instanceof IllegalStateException
                || e instanceof IllegalArgumentException || e instanceof UncheckedIOException;
    }

    /** Without a subcommand: print usage and fail. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing subcommand (try: submit, status, results, pause, resume, cancel, retry)");
    }
}
