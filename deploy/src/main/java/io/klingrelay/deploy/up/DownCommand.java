package io.klingrelay.deploy.up;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code klingrelay down}: stops the stack {@code up} started, only by the pids recorded in
 * {@code <data-dir>/processes.json} (and only while each pid still has the recorded start time):
 * SIGTERM to the supervisor, which stops its processes in order; then SIGTERM, and SIGKILL after
 * 15 s, to any recorded process still running (e.g. when the supervisor was killed).
 */
@Command(name = "down", mixinStandardHelpOptions = true, description = "Stop the stack 'up' started (by recorded pid).")
public final class DownCommand implements Callable<Integer> {

    private static final Duration SUPERVISOR_GRACE = Duration.ofSeconds(90);
    private static final Duration PROCESS_GRACE = Duration.ofSeconds(15);

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "up-data", description = "the stack's data folder (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of("up-data");

    // a CLI's console: user-facing output, deliberately not logging
    private final PrintStream out = System.out;

    @Override
    public Integer call() {
        UpFiles files = new UpFiles(dataDir);
        if (files.readProcesses().isEmpty()) {
            out.printf("nothing to stop: no %s%n", files.processes());
            return 0;
        }
        return stop(files, out) ? 0 : 1;
    }

    /**
     * @param files the stack's files
     * @param out   where to report
     * @return whether every recorded process is gone
     */
    static boolean stop(UpFiles files, PrintStream out) {
        List<UpFiles.RecordedProcess> processes = files.readProcesses();
        if (!processes.isEmpty()) {
            processes.getFirst().live().ifPresent(supervisor -> {
                out.printf("stopping the supervisor (pid %d) and its %d processes ...%n", supervisor.pid(), processes.size() - 1);
                supervisor.destroy();
                await(supervisor, SUPERVISOR_GRACE);
            });
        }
        boolean allGone = true;
        for (UpFiles.RecordedProcess process : processes) {
            Optional<ProcessHandle> live = process.live();
            if (live.isPresent()) {
                out.printf("  %s (pid %d) still runs; stopping it%n", process.name(), process.pid());
                live.get().destroy();
                if (!await(live.get(), PROCESS_GRACE)) {
                    live.get().destroyForcibly();
                    allGone &= await(live.get(), Duration.ofSeconds(10));
                }
            }
        }
        if (allGone) {
            files.clear();
            out.printf("down: %d processes stopped%n", processes.size());
        }
        return allGone;
    }

    private static boolean await(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
