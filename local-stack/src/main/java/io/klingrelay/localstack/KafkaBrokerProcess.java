package io.klingrelay.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one process), run as a
 * child JVM from a folder of jars: {@code kafka.tools.StorageTool format} once, then
 * {@code kafka.Kafka server.properties} (STACK.md "Kafka, as a process"). Every replication
 * factor and min ISR is 1; listeners are on 127.0.0.1 only.
 *
 * @param process        the running broker
 * @param port           the PLAINTEXT (client) port
 * @param controllerPort the CONTROLLER (KRaft quorum) port
 */
public record KafkaBrokerProcess(ManagedProcess process, int port, int controllerPort) implements AutoCloseable {

    /** System property naming the folder of broker jars (kafka_2.13 runtime classpath plus a log4j SLF4J provider). */
    public static final String LIB_PROPERTY = "klingrelay.kafka.lib";

    private static final Logger log = LoggerFactory.getLogger(KafkaBrokerProcess.class);
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    /**
     * Formats the log folder (unless already formatted, so a data folder can be reused) and starts
     * the broker, then waits until it answers a metadata call.
     *
     * @param libDir         folder with the broker's jars, used as {@code -cp '<libDir>/*'}
     * @param port           the client port, e.g. {@link FreePorts#next()}
     * @param controllerPort the controller port
     * @param dataDir        the broker's folder: {@code data/} (the Kafka log dirs), {@code server.properties},
     *                       {@code log4j2.properties} and {@code kafka.log} (its output)
     * @return the running broker
     * @throws IllegalStateException when formatting fails or the broker does not answer within 90 s
     */
    public static KafkaBrokerProcess start(Path libDir, int port, int controllerPort, Path dataDir) {
        return start(libDir, port, controllerPort, dataDir, dataDir.resolve("kafka.log"));
    }

    /**
     * As {@link #start(Path, int, int, Path)}, with the broker's output in {@code logFile}.
     *
     * @param libDir         folder with the broker's jars
     * @param port           the client port
     * @param controllerPort the controller port
     * @param dataDir        the broker's folder (log dirs and configuration)
     * @param logFile        where its output goes (the format step's output goes next to it)
     * @return the running broker
     * @throws IllegalStateException when formatting fails or the broker does not answer within 90 s
     */
    public static KafkaBrokerProcess start(Path libDir, int port, int controllerPort, Path relativeOrAbsoluteDataDir,
            Path logFile) {
        // the child processes run in dataDir, so every path handed to them must be absolute
        Path dataDir = relativeOrAbsoluteDataDir.toAbsolutePath();
        if (!Files.isDirectory(libDir)) {
            throw new IllegalStateException("Kafka lib folder not found at " + libDir + " (build the project first)");
        }
        Path config = writeServerProperties(port, controllerPort, dataDir);
        Path log4j = writeLog4jConfig(dataDir);
        formatIfNeeded(libDir, config, log4j, dataDir, logFile.resolveSibling("kafka-format.log"));
        ManagedProcess process = ManagedProcess.start("kafka",
                javaCommand(libDir, log4j, "-Xmx1g", "kafka.Kafka", config.toString()),
                Map.of(), dataDir, logFile);
        KafkaBrokerProcess broker = new KafkaBrokerProcess(process, port, controllerPort);
        try {
            broker.awaitReady(READY_TIMEOUT);
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        return broker;
    }

    /**
     * @return the folder named by the {@value #LIB_PROPERTY} system property
     * @throws IllegalStateException when the property is not set
     */
    public static Path libFromSystemProperty() {
        String lib = System.getProperty(LIB_PROPERTY);
        if (lib == null || lib.isBlank()) {
            throw new IllegalStateException("system property " + LIB_PROPERTY + " is not set; run the tests through Maven");
        }
        return Path.of(lib);
    }

    /** @return {@code 127.0.0.1:<port>}, the value for {@code bootstrap.servers} */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /**
     * Creates topics that do not exist yet (existing ones are left as they are).
     *
     * @param topics     topic names
     * @param partitions partitions per new topic
     * @throws IllegalStateException when the broker refuses or does not answer within 30 s
     */
    public void createTopics(List<String> topics, int partitions) {
        List<NewTopic> newTopics = topics.stream().map(name -> new NewTopic(name, partitions, (short) 1)).toList();
        try (Admin admin = admin()) {
            admin.createTopics(newTopics).values().forEach((name, future) -> awaitTopic(name, future));
        }
    }

    private static void awaitTopic(String name, org.apache.kafka.common.KafkaFuture<Void> future) {
        try {
            future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + name, e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("topic " + name + " not created within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        }
    }

    /** @return a new admin client for this broker; the caller closes it */
    public Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
    }

    /**
     * @return whether the broker answers {@code describeCluster} with at least one node right now
     */
    public boolean answers() {
        try (Admin admin = admin()) {
            return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void awaitReady(Duration timeout) {
        process.awaitPort(port, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!answers()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("Kafka broker did not answer a metadata call; log tail:\n" + process.logTail());
            }
            LockSupportPause.pause(Duration.ofMillis(200));
        }
        log.info("Kafka broker ready on {}", bootstrapServers());
    }

    private static void formatIfNeeded(Path libDir, Path config, Path log4j, Path dataDir, Path logFile) {
        if (Files.exists(dataDir.resolve("data").resolve("meta.properties"))) {
            log.info("Kafka log folder {} already formatted; reusing it", dataDir.resolve("data"));
            return;
        }
        String clusterId = Uuid.randomUuid().toString();
        ManagedProcess format = ManagedProcess.start("kafka-storage-format",
                javaCommand(libDir, log4j, "-Xmx256m", "kafka.tools.StorageTool",
                        "format", "-t", clusterId, "-c", config.toString()),
                Map.of(), dataDir, logFile);
        try {
            int exit = format.awaitExit(FORMAT_TIMEOUT);
            if (exit != 0) {
                throw new IllegalStateException("kafka StorageTool format exited with " + exit + "; log tail:\n"
                        + format.logTail());
            }
        } finally {
            format.close();
        }
    }

    private static List<String> javaCommand(Path libDir, Path log4j, String heap, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(ManagedProcess.javaExecutable(), heap,
                "-XX:+UseSerialGC", "-Dlog4j2.configurationFile=" + log4j.toAbsolutePath(),
                "-cp", libDir.toAbsolutePath() + "/*", mainClass));
        command.addAll(List.of(args));
        return command;
    }

    private static Path writeServerProperties(int port, int controllerPort, Path dataDir) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", dataDir.resolve("data").toAbsolutePath().toString());
        p.setProperty("num.partitions", "3");
        p.setProperty("default.replication.factor", "1");
        p.setProperty("min.insync.replicas", "1");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "3");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "true");
        return store(p, dataDir.resolve("server.properties"), "Kling Relay local stack: single-node KRaft broker");
    }

    private static Path writeLog4jConfig(Path dataDir) {
        Properties p = new Properties();
        p.setProperty("appender.console.type", "Console");
        p.setProperty("appender.console.name", "STDOUT");
        p.setProperty("appender.console.layout.type", "PatternLayout");
        p.setProperty("appender.console.layout.pattern", "[%d] %p %m (%c)%n");
        p.setProperty("rootLogger.level", "INFO");
        p.setProperty("rootLogger.appenderRef.stdout.ref", "STDOUT");
        p.setProperty("logger.kafka.name", "kafka");
        p.setProperty("logger.kafka.level", "INFO");
        p.setProperty("logger.state.name", "state.change.logger");
        p.setProperty("logger.state.level", "WARN");
        p.setProperty("logger.clients.name", "org.apache.kafka");
        p.setProperty("logger.clients.level", "INFO");
        return store(p, dataDir.resolve("log4j2.properties"), "Kling Relay local stack: broker logging (to kafka.log)");
    }

    private static Path store(Properties properties, Path file, String comment) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (var out = Files.newOutputStream(file)) {
                properties.store(out, comment);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Stops the broker (controlled shutdown on SIGTERM). */
    @Override
    public void close() {
        process.close();
    }
}
