package io.klingrelay.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child process this JVM started and must stop: its output goes to a log file, it is stopped
 * (SIGTERM, then SIGKILL after a grace period, descendants included) by {@link #close()} or, at
 * the latest, by a JVM shutdown hook. Only processes started here are ever signalled.
 */
public final class ManagedProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ManagedProcess.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Thread shutdownHook;

    private ManagedProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.shutdownHook = new Thread(this::stopQuietly, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts a process with stdout and stderr appended to {@code logFile}.
     *
     * @param name        a short name for logs
     * @param command     the command line; put secrets in {@code environment}, never here
     * @param environment extra environment variables
     * @param workDir     the working directory (created when missing)
     * @param logFile     where output goes (parent folders are created)
     * @return the running process
     * @throws UncheckedIOException when it cannot be started
     */
    public static ManagedProcess start(String name, List<String> command, Map<String, String> environment,
            Path workDir, Path logFile) {
        try {
            Files.createDirectories(workDir);
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            log.info("started {} (pid {}), log {}", name, process.pid(), logFile);
            return new ManagedProcess(name, process, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command.getFirst(), e);
        }
    }

    /** @return the java executable of the running JVM, for starting Java child processes */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** @return the process name */
    public String name() {
        return name;
    }

    /** @return the operating-system process id */
    public long pid() {
        return process.pid();
    }

    /** @return where the output goes */
    public Path logFile() {
        return logFile;
    }

    /** @return whether the process is still running */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until a TCP connection to 127.0.0.1:{@code port} succeeds.
     *
     * @param port    the port
     * @param timeout how long to wait
     * @throws IllegalStateException when the process died or the port stayed closed (the log's tail is included)
     */
    public void awaitPort(int port, Duration timeout) {
        awaitCondition("port " + port, timeout, () -> portOpen(port));
    }

    /**
     * Waits until {@code GET url} answers 200.
     *
     * @param url     e.g. {@code http://127.0.0.1:8080/actuator/health}
     * @param timeout how long to wait
     * @throws IllegalStateException when the process died or the URL never answered 200
     */
    public void awaitHttpOk(String url, Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        awaitCondition(url, timeout, () -> httpOk(client, url));
    }

    /**
     * Waits until {@code GET url} answers 200 with a body {@code accept} takes; an answer it refuses
     * (e.g. one from another process that took the port between pick and bind) is waited past, so
     * this process either answers itself or dies of the port being taken, which is reported with
     * its log.
     *
     * @param url     e.g. {@code http://127.0.0.1:8080/actuator/info}
     * @param timeout how long to wait
     * @param accept  whether a 200 answer's body (UTF-8) is this process's
     * @throws IllegalStateException when the process died or no accepted answer came within {@code timeout}
     */
    public void awaitHttpOk(String url, Duration timeout, Predicate<String> accept) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        awaitCondition(url, timeout, () -> httpBody(client, url).filter(accept).isPresent());
    }

    private void awaitCondition(String what, Duration timeout, BooleanSupplier ready) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue()
                        + " before " + what + " was ready; log tail:\n" + logTail());
            }
            if (ready.getAsBoolean()) {
                return;
            }
            LockSupportPause.pause(Duration.ofMillis(100));
        }
        throw new IllegalStateException(name + ": " + what + " not ready after " + timeout + "; log tail:\n" + logTail());
    }

    private static boolean portOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<String> httpBody(HttpClient client, String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static boolean httpOk(HttpClient client, String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** @return the last 40 lines of the log file, or a note that it cannot be read */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * Waits for the process to exit by itself (for short-lived tools such as a storage format).
     *
     * @param timeout how long to wait
     * @return the exit code
     * @throws IllegalStateException when it is still running after {@code timeout}
     */
    public int awaitExit(Duration timeout) {
        if (!waitForExit(timeout)) {
            throw new IllegalStateException(name + " still running after " + timeout + "; log tail:\n" + logTail());
        }
        return process.exitValue();
    }

    /** Kills the process at once (SIGKILL), descendants first; for crash tests. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(10));
    }

    /** Stops the process: SIGTERM to it and its descendants, SIGKILL after 15 s. Idempotent. */
    @Override
    public void close() {
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or ran
        }
    }

    private void stopQuietly() {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> descendants = new ArrayList<>(process.descendants().toList());
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        if (!waitForExit(STOP_GRACE)) {
            log.warn("{} (pid {}) ignored SIGTERM for {}; killing it", name, process.pid(), STOP_GRACE);
            descendants.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            waitForExit(Duration.ofSeconds(10));
        }
        log.info("stopped {} (pid {})", name, process.pid());
    }

    private boolean waitForExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
