package io.klingrelay.deploy.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@link LocalStack} starts and where.
 *
 * @param dataDir        the visible data folder: {@code s3/} (objects), {@code logs/} (one log per process),
 *                       {@code kafka/}, {@code redis/}
 * @param libDir         the Kafka broker's classpath folder ({@code deploy/target/lib})
 * @param servicesDir    the folder with {@code <module>-exec.jar} ({@code deploy/target/services})
 * @param s3proxyJar     the s3proxy jar-with-dependencies
 * @param kling          the emulator or the real Kling API
 * @param pollerGrace    the poller's {@code klingrelay.poller.grace}: how long a task may go without a callback
 * @param pollerInterval the poller's {@code klingrelay.poller.interval}
 * @param startTimeout   how long each process may take to become healthy (2 cores start five Boot apps)
 */
public record StackConfig(Path dataDir, Path libDir, Path servicesDir, Path s3proxyJar, KlingTarget kling,
        Duration pollerGrace, Duration pollerInterval, Duration startTimeout) {

    /** The S3 bucket the archiver writes to. */
    public static final String BUCKET = "klingrelay-assets";

    public StackConfig {
        // child processes run in their own folders: keep every path absolute
        dataDir = absolute(dataDir, "dataDir");
        libDir = absolute(libDir, "libDir");
        servicesDir = absolute(servicesDir, "servicesDir");
        s3proxyJar = absolute(s3proxyJar, "s3proxyJar");
        Objects.requireNonNull(kling, "kling");
        Objects.requireNonNull(pollerGrace, "pollerGrace");
        Objects.requireNonNull(pollerInterval, "pollerInterval");
        Objects.requireNonNull(startTimeout, "startTimeout");
    }

    private static Path absolute(Path path, String name) {
        return Objects.requireNonNull(path, name).toAbsolutePath().normalize();
    }

    /**
     * The layout of a build: {@code deploy/target/lib}, {@code deploy/target/services} and
     * {@code deploy/target/local-stack/s3proxy.jar} under {@code projectRoot}.
     *
     * @param projectRoot the repository root
     * @param dataDir     the data folder
     * @param kling       the Kling target
     * @param pollerGrace the poller grace
     * @return the configuration, with a 2 s poller interval and a 3 min start timeout
     */
    public static StackConfig forBuild(Path projectRoot, Path dataDir, KlingTarget kling, Duration pollerGrace) {
        Path target = projectRoot.resolve("deploy").resolve("target");
        return new StackConfig(dataDir, target.resolve("lib"), target.resolve("services"),
                target.resolve("local-stack").resolve("s3proxy.jar"), kling, pollerGrace,
                Duration.ofSeconds(2), Duration.ofMinutes(3));
    }

    /** @return {@code <dataDir>/logs} */
    public Path logsDir() {
        return dataDir.resolve("logs");
    }

    /** @return {@code <dataDir>/s3}, where s3proxy keeps buckets and objects as plain files */
    public Path s3Dir() {
        return dataDir.resolve("s3");
    }
}
