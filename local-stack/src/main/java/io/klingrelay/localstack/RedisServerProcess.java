package io.klingrelay.localstack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import redis.embedded.core.ExecutableProvider;

/**
 * A real {@code redis-server} on 127.0.0.1: the system's binary when {@code redis-server} is on
 * the PATH, else the one shipped inside the {@code embedded-redis} jar (6.2.6), extracted into
 * {@code workDir}. Snapshots are off; AOF ({@code appendonly yes}, {@code appendfsync everysec})
 * is optional here, but production and the local stack run with it (ARCHITECTURE.md "No
 * head-of-line blocking"), and the services refuse a Redis without it unless told otherwise
 * ({@code klingrelay.redis.allow-non-persistent}).
 *
 * @param process the running process
 * @param port    the port it listens on
 */
public record RedisServerProcess(ManagedProcess process, int port) implements LocalRedis {

    /**
     * Starts redis-server and waits until it accepts connections.
     *
     * @param port       the port, e.g. {@link FreePorts#next()}
     * @param workDir    data and log folder (created when missing)
     * @param appendOnly whether to enable AOF persistence in {@code workDir}
     * @return the running server
     * @throws IllegalStateException when it does not come up within 30 s
     */
    public static RedisServerProcess start(int port, Path workDir, boolean appendOnly) {
        return start(port, workDir, appendOnly, workDir.resolve("redis.log"));
    }

    /**
     * Starts redis-server with its output in {@code logFile} and waits until it accepts connections.
     *
     * @param port       the port, e.g. {@link FreePorts#next()}
     * @param workDir    data folder (created when missing)
     * @param appendOnly whether to enable AOF persistence in {@code workDir}
     * @param logFile    where its output goes
     * @return the running server
     * @throws IllegalStateException when it does not come up within 30 s
     */
    public static RedisServerProcess start(int port, Path workDir, boolean appendOnly, Path logFile) {
        return start(executable(workDir), port, workDir, appendOnly, logFile, List.of());
    }

    /**
     * Starts one redis-server from a given binary with extra arguments (a cluster node) and waits
     * until it accepts connections.
     *
     * @param binary     the redis-server executable ({@link #executable(Path)})
     * @param port       the port
     * @param workDir    data folder (created when missing)
     * @param appendOnly whether to enable AOF persistence in {@code workDir}
     * @param logFile    where its output goes
     * @param extraArgs  further {@code --name value} arguments
     * @return the running server
     * @throws IllegalStateException when it does not come up within 30 s
     */
    static RedisServerProcess start(File binary, int port, Path workDir, boolean appendOnly, Path logFile,
            List<String> extraArgs) {
        List<String> command = new ArrayList<>(List.of(binary.getAbsolutePath(),
                "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "",
                "--dir", workDir.toAbsolutePath().toString(), "--protected-mode", "no"));
        if (appendOnly) {
            command.addAll(List.of("--appendonly", "yes", "--appendfsync", "everysec"));
        }
        command.addAll(extraArgs);
        ManagedProcess process = ManagedProcess.start("redis-server-" + port, command, Map.of(), workDir, logFile);
        try {
            process.awaitPort(port, Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        return new RedisServerProcess(process, port);
    }

    /**
     * @param workDir where to extract the embedded binary when none is on the PATH
     * @return the system's redis-server, else the embedded-redis one (6.2.6)
     * @throws UncheckedIOException when neither is available
     */
    static File executable(Path workDir) {
        try {
            return ExecutableProvider.newExecutableInPath("redis-server").get();
        } catch (IOException notOnPath) {
            try {
                Path binDir = Files.createDirectories(workDir.resolve("bin"));
                File binary = ExecutableProvider.newJarResourceProvider(binDir.toFile()).get();
                if (!binary.canExecute() && !binary.setExecutable(true)) {
                    throw new IOException("cannot make " + binary + " executable");
                }
                return binary;
            } catch (IOException e) {
                throw new UncheckedIOException("no redis-server on PATH and none extractable from embedded-redis", e);
            }
        }
    }

    /** @return {@code redis://127.0.0.1:<port>} */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** @return {@code spring.data.redis.url} set to {@link #uri()} */
    @Override
    public Map<String, String> springProperties() {
        return Map.of(URL_PROPERTY, uri());
    }

    /** Stops the server. */
    @Override
    public void close() {
        process.close();
    }
}
