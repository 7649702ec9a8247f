package io.klingrelay.deploy;

import io.klingrelay.deploy.chaos.ChaosCommand;
import io.klingrelay.deploy.demo.DemoCommand;
import io.klingrelay.deploy.up.DownCommand;
import io.klingrelay.deploy.up.StackRunCommand;
import io.klingrelay.deploy.up.StackStatusCommand;
import io.klingrelay.deploy.up.UpCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code klingrelay} command line (run by the root {@code ./klingrelay} script).
 * Subcommands: {@code demo}, {@code chaos}, {@code up}, {@code down}, {@code status}.
 */
@Command(name = "klingrelay", mixinStandardHelpOptions = true, version = "Kling Relay 0.1.0-SNAPSHOT",
        description = "Kling Relay: Kafka-driven Kling AI generation with archiving.",
        subcommands = {DemoCommand.class, ChaosCommand.class, UpCommand.class, DownCommand.class, StackStatusCommand.class,
            StackRunCommand.class, CommandLine.HelpCommand.class})
public final class KlingRelayCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** @return the configured picocli command line (also used by tests) */
    public static CommandLine commandLine() {
        return new CommandLine(new KlingRelayCli())
                .registerConverter(java.time.Duration.class, new DurationConverter());
    }

    /** Without a subcommand: print usage and fail. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (try: demo, chaos, up, down, status)");
    }
}
