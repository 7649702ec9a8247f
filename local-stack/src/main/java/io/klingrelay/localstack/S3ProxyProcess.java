package io.klingrelay.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * An S3-compatible server: s3proxy run as a child JVM ({@code java -jar
 * s3proxy-<v>-jar-with-dependencies.jar --properties …}), AWS v2/v4 signatures enforced. It is
 * a separate process because its fat jar carries its own Jetty, Jackson 2 and logging, which
 * must not meet a Spring Boot classpath. Filesystem-backed (objects visible under
 * {@code dataDir}) or in memory ({@code transient}).
 *
 * @param process    the running process
 * @param port       the port it listens on
 * @param accessKey  the S3 access key (identity) it accepts
 * @param secretKey  the S3 secret key (credential) it accepts; never logged
 */
public record S3ProxyProcess(ManagedProcess process, int port, String accessKey, String secretKey)
        implements AutoCloseable {

    /** System property naming the s3proxy jar; the build copies it to {@code target/local-stack/s3proxy.jar}. */
    public static final String JAR_PROPERTY = "klingrelay.s3proxy.jar";

    /**
     * Starts s3proxy and waits until it accepts connections.
     *
     * @param jar       the s3proxy jar-with-dependencies
     * @param port      the port
     * @param accessKey the identity to accept
     * @param secretKey the credential to accept (written to a 0600 properties file, not the command line)
     * @param dataDir   where objects live (filesystem backend), or null for the in-memory backend
     * @param workDir   folder for the properties file and the log
     * @return the running server
     * @throws IllegalStateException when it does not come up within 60 s
     */
    public static S3ProxyProcess start(Path jar, int port, String accessKey, String secretKey,
            @org.jspecify.annotations.Nullable Path dataDir, Path workDir) {
        return start(jar, port, accessKey, secretKey, dataDir, workDir, workDir.resolve("s3proxy.log"));
    }

    /**
     * Starts s3proxy with its output in {@code logFile} and waits until it accepts connections.
     *
     * @param jar       the s3proxy jar-with-dependencies
     * @param port      the port
     * @param accessKey the identity to accept
     * @param secretKey the credential to accept (written to a 0600 properties file, not the command line)
     * @param dataDir   where objects live (filesystem backend), or null for the in-memory backend
     * @param workDir   folder for the properties file
     * @param logFile   where its output goes
     * @return the running server
     * @throws IllegalStateException when it does not come up within 60 s
     */
    public static S3ProxyProcess start(Path jar, int port, String accessKey, String secretKey,
            @org.jspecify.annotations.Nullable Path dataDir, Path workDir, Path logFile) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("s3proxy jar not found at " + jar + " (build the project first)");
        }
        Path config = writeConfig(port, accessKey, secretKey, dataDir, workDir);
        ManagedProcess process = ManagedProcess.start("s3proxy",
                List.of(ManagedProcess.javaExecutable(), "-Xmx512m", "-jar", jar.toAbsolutePath().toString(),
                        "--properties", config.toAbsolutePath().toString()),
                Map.of(), workDir, logFile);
        try {
            process.awaitPort(port, Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        return new S3ProxyProcess(process, port, accessKey, secretKey);
    }

    /**
     * @return the jar named by the {@value #JAR_PROPERTY} system property
     * @throws IllegalStateException when the property is not set
     */
    public static Path jarFromSystemProperty() {
        String jar = System.getProperty(JAR_PROPERTY);
        if (jar == null || jar.isBlank()) {
            throw new IllegalStateException("system property " + JAR_PROPERTY + " is not set; run the tests through Maven");
        }
        return Path.of(jar);
    }

    private static Path writeConfig(int port, String accessKey, String secretKey,
            @org.jspecify.annotations.Nullable Path dataDir, Path workDir) {
        Properties properties = new Properties();
        properties.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
        properties.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        properties.setProperty("s3proxy.identity", accessKey);
        properties.setProperty("s3proxy.credential", secretKey);
        if (dataDir == null) {
            properties.setProperty("jclouds.provider", "transient");
        } else {
            properties.setProperty("jclouds.provider", "filesystem");
            properties.setProperty("jclouds.filesystem.basedir", dataDir.toAbsolutePath().toString());
        }
        properties.setProperty("jclouds.identity", accessKey);
        properties.setProperty("jclouds.credential", secretKey);
        try {
            Files.createDirectories(workDir);
            if (dataDir != null) {
                Files.createDirectories(dataDir);
            }
            Path config = workDir.resolve("s3proxy.conf");
            Files.deleteIfExists(config);
            Files.createFile(config);
            restrictToOwner(config);
            try (var out = Files.newOutputStream(config)) {
                properties.store(out, "written by Kling Relay's local stack");
            }
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write s3proxy config in " + workDir, e);
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the default permissions
        }
    }

    /** @return {@code http://127.0.0.1:<port>} */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Keeps the secret key out of logs. */
    @Override
    public String toString() {
        return "S3ProxyProcess[port=" + port + ", accessKey=" + accessKey + "]";
    }

    /** Stops the server. */
    @Override
    public void close() {
        process.close();
    }
}
