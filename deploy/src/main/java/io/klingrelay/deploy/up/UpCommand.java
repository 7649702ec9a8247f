package io.klingrelay.deploy.up;

import io.klingrelay.localstack.ManagedProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * {@code klingrelay up}: starts the local stack in the background and returns once it is healthy,
 * printing the endpoints (also in {@code <data-dir>/endpoints.json}). The stack runs in a supervisor
 * process ({@code stack-run}, in its own session via {@code setsid} where available, log
 * {@code <data-dir>/logs/up.log}) until {@code klingrelay down}.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start the local stack in the background (Kafka, Redis, s3proxy, the Kling emulator, the services); "
                + "endpoints in DIR/endpoints.json; stop it with 'down'.")
public final class UpCommand implements Callable<Integer> {

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "up-data",
            description = "data, logs, endpoints.json and processes.json (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of("up-data");

    @Option(names = "--time-scale", paramLabel = "FACTOR", defaultValue = "0.05",
            description = "emulator time scale (default: ${DEFAULT-VALUE})")
    double timeScale = 0.05;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "12m",
            description = "how long to wait for the stack to be healthy (default: ${DEFAULT-VALUE})")
    Duration timeout = Duration.ofMinutes(12);

    @Option(names = "--home", paramLabel = "DIR", hidden = true, defaultValue = "${sys:klingrelay.home:-.}")
    Path home = Path.of(".");

    // a CLI's console: user-facing output, deliberately not logging
    private final PrintStream out = System.out;

    @Override
    public Integer call() {
        UpFiles files = new UpFiles(dataDir);
        Optional<UpFiles.RecordedProcess> running = supervisor(files);
        if (running.isPresent()) {
            out.printf("already up (supervisor pid %d, data in %s)%n", running.get().pid(), files.dataDir());
            files.readEndpoints().ifPresent(this::print);
            return 0;
        }
        files.clear();
        Process supervisor = startSupervisor(files);
        out.printf("starting the local stack in the background (pid %d, log %s) ...%n", supervisor.pid(), files.supervisorLog());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (files.readEndpoints().isEmpty()) {
            if (!supervisor.isAlive()) {
                out.printf("the stack did not come up (exit %d); see %s and %s%n", supervisor.exitValue(),
                        files.supervisorLog(), files.dataDir().resolve("logs"));
                return 1;
            }
            if (System.nanoTime() > deadline) {
                out.printf("the stack is not healthy after %s; stopping it (see %s)%n", timeout, files.supervisorLog());
                DownCommand.stop(files, out);
                return 1;
            }
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
        }
        out.printf("up: %d processes recorded in %s; stop with ./klingrelay down%n", files.readProcesses().size(), files.processes());
        files.readEndpoints().ifPresent(this::print);
        return 0;
    }

    static Optional<UpFiles.RecordedProcess> supervisor(UpFiles files) {
        List<UpFiles.RecordedProcess> processes = files.readProcesses();
        return processes.isEmpty() ? Optional.empty() : processes.getFirst().live().map(handle -> processes.getFirst());
    }

    private Process startSupervisor(UpFiles files) {
        List<String> command = new ArrayList<>();
        Path setsid = Path.of("/usr/bin/setsid");
        if (Files.isExecutable(setsid)) {
            command.add(setsid.toString()); // its own session: Ctrl-C in this terminal does not reach it
        }
        command.addAll(List.of(ManagedProcess.javaExecutable(), "-Xmx256m", "-Dklingrelay.home=" + home.toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), "io.klingrelay.deploy.KlingRelayCli", "stack-run",
                "--data-dir", files.dataDir().toString(), "--time-scale", String.valueOf(timeScale),
                "--start-timeout", timeout.minusMinutes(2).toSeconds() + "s"));
        try {
            Files.createDirectories(files.supervisorLog().getParent());
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(files.supervisorLog().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the stack supervisor", e);
        }
    }

    private void print(JsonNode endpoints) {
        endpoints.properties().forEach(entry -> {
            String name = entry.getKey();
            if (name.toLowerCase(java.util.Locale.ROOT).contains("secret") || name.toLowerCase(java.util.Locale.ROOT).contains("token")) {
                out.printf("  %-20s (in endpoints.json)%n", name);
            } else if (entry.getValue().isValueNode()) {
                out.printf("  %-20s %s%n", name, entry.getValue().isNull() ? "-" : entry.getValue().asString());
            }
        });
    }
}
