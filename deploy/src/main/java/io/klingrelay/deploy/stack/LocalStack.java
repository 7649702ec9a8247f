package io.klingrelay.deploy.stack;

import io.klingrelay.common.json.EventJson;
import io.klingrelay.common.kafka.Topics;
import io.klingrelay.localstack.FreePorts;
import io.klingrelay.localstack.KafkaBrokerProcess;
import io.klingrelay.localstack.LocalRedis;
import io.klingrelay.localstack.ManagedProcess;
import io.klingrelay.localstack.RedisClusterProcess;
import io.klingrelay.localstack.RedisServerProcess;
import io.klingrelay.localstack.S3ProxyProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The whole pipeline on this machine, as child processes: Kafka (KRaft), redis-server with AOF
 * (or a three-master Redis Cluster, {@link StackConfig#redisCluster()}), s3proxy
 * (filesystem-backed, objects under {@code <data-dir>/s3}), the Kling emulator (unless real
 * Kling is configured), then submitter, webhook-receiver, poller, archiver and status from their exec
 * jars, each on its own free port with its log in {@code <data-dir>/logs/<module>.log} and its
 * configuration (secrets included) in environment variables.
 *
 * <p>For the acceptance tests and the benchmark the stack can run several submitter instances
 * ({@link StackConfig#submitterInstances()}: {@code submitter-1..N}, each on its own port with its
 * own log, same environment), kill one with SIGKILL and restart it ({@link #killSubmitter},
 * {@link #restartSubmitter}), and pass extra Spring properties to any service
 * ({@link StackConfig#extraProperties()}, e.g. emulator phase durations or a short dispatch lease).
 *
 * <p>{@link #close()} stops everything it started in reverse order; a JVM shutdown hook does the
 * same on Ctrl-C.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);
    private static final int PARTITIONS = 3;
    private static final List<Service> PIPELINE = List.of(
            Service.SUBMITTER, Service.WEBHOOK_RECEIVER, Service.POLLER, Service.ARCHIVER, Service.STATUS);

    private final StackConfig config;
    private final Deque<AutoCloseable> backing = new ArrayDeque<>();
    private final Map<Service, ManagedProcess> services = new ConcurrentHashMap<>();
    /** Submitter instance i (1-based) at index i − 1; instance 1 is also {@code services[SUBMITTER]}. */
    private final List<ManagedProcess> submitters = new ArrayList<>();
    private final List<Integer> submitterPorts = new ArrayList<>();
    private final Map<String, Integer> regionPorts = new ConcurrentHashMap<>();
    private final Map<String, ManagedProcess> regionEmulators = new ConcurrentHashMap<>();
    private final Thread shutdownHook = new Thread(this::stopAll, "klingrelay-local-stack-stop");
    private @Nullable StackEndpoints endpoints;
    private volatile @Nullable KafkaBrokerProcess kafka;
    private volatile @Nullable RedisServerProcess redis;
    private volatile boolean stopped;

    private LocalStack(StackConfig config) {
        this.config = config;
    }

    /**
     * Starts everything and waits until every service's {@code /actuator/health} answers 200.
     *
     * @param config what to start
     * @return the running stack; the caller closes it
     * @throws IllegalStateException when a jar is missing or a process does not come up (what started is stopped)
     */
    public static LocalStack start(StackConfig config) {
        LocalStack stack = new LocalStack(config);
        Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() {
        requireServiceJars();
        Path logs = config.logsDir();
        KafkaBrokerProcess broker = KafkaBrokerProcess.start(config.libDir(), FreePorts.next(), FreePorts.next(),
                config.dataDir().resolve("kafka"), logs.resolve("kafka.log"));
        kafka = remember(broker);
        LocalRedis redis = remember(startRedis(logs));
        // the chaos run kills and restarts a single redis-server; a cluster is not restarted
        this.redis = redis instanceof RedisServerProcess server ? server : null;
        S3ProxyProcess s3 = remember(S3ProxyProcess.start(config.s3proxyJar(), FreePorts.next(), "klingrelay-local",
                KlingAccount.randomHex(20), config.s3Dir(), config.dataDir().resolve("s3proxy"), logs.resolve("s3proxy.log")));
        endpoints = new StackEndpoints(broker.bootstrapServers(), redisUri(redis), redisClusterNodes(redis),
                s3.endpoint(), s3.accessKey(), s3.secretKey(), KlingAccount.randomHex(32), freePorts(), config.kling(),
                config.pollerGrace(), config.pollerInterval());
        broker.createTopics(Topics.ALL, PARTITIONS);
        Map<String, List<KlingAccount>> regionAccounts = new LinkedHashMap<>();
        config.regions().forEach((region, emulator) -> {
            regionPorts.put(region, FreePorts.next());
            regionAccounts.put(emulatorBaseUrl(region), emulator.accounts());
        });
        AccountsFile.write(accountsFile(), endpoints, regionAccounts);
        if (config.kling() instanceof KlingTarget.Emulator) {
            startService(Service.KLING_EMULATOR);
            config.regions().forEach(this::startRegionEmulator);
            awaitHealthy(Service.KLING_EMULATOR);
            config.regions().keySet().forEach(region -> awaitOwnHealth(regionEmulators.get(region),
                    emulatorBaseUrl(region)));
        }
        submitterPorts.add(endpoints.port(Service.SUBMITTER));
        for (int instance = 2; instance <= config.submitterInstances(); instance++) {
            submitterPorts.add(FreePorts.next());
        }
        PIPELINE.forEach(this::startService);
        PIPELINE.forEach(this::awaitHealthy);
        for (int instance = 2; instance <= config.submitterInstances(); instance++) {
            awaitSubmitterHealthy(instance);
        }
        log.info("local stack up: {}", endpoints);
    }

    /** One redis-server or a three-master cluster, AOF on ({@code appendfsync everysec}) either way. */
    private LocalRedis startRedis(Path logs) {
        Path dir = config.dataDir().resolve("redis");
        return config.redisCluster() ? RedisClusterProcess.start(dir, logs)
                : RedisServerProcess.start(FreePorts.next(), dir, true, logs.resolve("redis.log"));
    }

    private static String redisUri(LocalRedis redis) {
        return switch (redis) {
            case RedisServerProcess server -> server.uri();
            case RedisClusterProcess cluster -> cluster.nodes().getFirst().uri();
        };
    }

    private static @Nullable String redisClusterNodes(LocalRedis redis) {
        return redis instanceof RedisClusterProcess cluster ? cluster.seedNodes() : null;
    }

    private void requireServiceJars() {
        List<Service> needed = new ArrayList<>(PIPELINE);
        if (config.kling() instanceof KlingTarget.Emulator) {
            needed.add(Service.KLING_EMULATOR);
        }
        List<String> missing = needed.stream().map(this::jar).filter(jar -> !Files.isRegularFile(jar))
                .map(Path::toString).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("service jars missing (run ./klingrelay build): " + missing);
        }
    }

    private <T extends AutoCloseable> T remember(T process) {
        backing.push(process);
        return process;
    }

    private static Map<Service, Integer> freePorts() {
        Map<Service, Integer> ports = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            ports.put(service, FreePorts.next());
        }
        return ports;
    }

    private void startService(Service service) {
        if (service == Service.SUBMITTER) {
            for (int instance = 1; instance <= config.submitterInstances(); instance++) {
                startSubmitter(instance);
            }
            return;
        }
        services.put(service, startProcess(service, service.moduleName(), endpoints().port(service)));
    }

    private ManagedProcess startProcess(Service service, String name, int port) {
        return startProcess(service, name,
                ServiceEnvironment.of(service, endpoints(), port, config.extraProperties(service), accountsFile()));
    }

    private ManagedProcess startProcess(Service service, String name, Map<String, String> environment) {
        List<String> command = List.of(ManagedProcess.javaExecutable(), "-Xmx" + service.maxHeap(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
                "-jar", jar(service).toAbsolutePath().toString());
        return ManagedProcess.start(name, command, environment,
                config.dataDir().resolve("work").resolve(name), config.logsDir().resolve(name + ".log"));
    }

    /** A further emulator, {@code kling-emulator-<region>}, stopped with the backing processes. */
    private void startRegionEmulator(String region, KlingTarget.Emulator emulator) {
        Service service = Service.KLING_EMULATOR;
        ManagedProcess process = remember(startProcess(service, service.moduleName() + "-" + region,
                ServiceEnvironment.ofEmulator(emulator, regionPorts.get(region), config.extraProperties(service))));
        regionEmulators.put(region, process);
    }

    /** The one accounts file the submitters and the poller read (README "Accounts"). */
    private Path accountsFile() {
        return config.dataDir().resolve("klingrelay-accounts.yml");
    }

    private synchronized void startSubmitter(int instance) {
        if (stopped) {
            throw new IllegalStateException("the stack is stopped");
        }
        ManagedProcess process = startProcess(Service.SUBMITTER, submitterName(instance), submitterPort(instance));
        if (submitters.size() < instance) {
            submitters.add(process);
        } else {
            submitters.set(instance - 1, process);
        }
        if (instance == 1) {
            services.put(Service.SUBMITTER, process);
        }
    }

    /** {@code submitter} when there is one instance (the demo's log name), else {@code submitter-<i>}. */
    private String submitterName(int instance) {
        return config.submitterInstances() == 1 ? Service.SUBMITTER.moduleName()
                : Service.SUBMITTER.moduleName() + "-" + instance;
    }

    private void awaitHealthy(Service service) {
        if (service == Service.SUBMITTER) {
            awaitSubmitterHealthy(1);
            return;
        }
        awaitOwnHealth(process(service), endpoints().baseUrl(service));
        log.info("{} healthy on {}", service.moduleName(), endpoints().baseUrl(service));
    }

    private void awaitSubmitterHealthy(int instance) {
        awaitOwnHealth(submitter(instance), submitterBaseUrl(instance));
        log.info("{} healthy on {}", submitterName(instance), submitterBaseUrl(instance));
    }

    /**
     * Waits until {@code baseUrl}'s health answers 200 and its {@code /actuator/info} names {@code process}'s
     * pid ({@code management.info.process.enabled}, set by {@link ServiceEnvironment}). A port is picked
     * free and bound later by the service: another process may take it in between, and its answers
     * must not pass for the service's (that process then fails to bind and exits, which is reported).
     */
    private void awaitOwnHealth(ManagedProcess process, String baseUrl) {
        process.awaitHttpOk(baseUrl + "/actuator/health", config.startTimeout());
        process.awaitHttpOk(baseUrl + "/actuator/info", config.startTimeout(), body -> answeredBy(body, process.pid()));
    }

    /**
     * @param infoBody an {@code /actuator/info} answer
     * @param pid      the process expected behind it
     * @return whether the answer names that pid as {@code process.pid}
     */
    static boolean answeredBy(String infoBody, long pid) {
        try {
            JsonNode pidNode = EventJson.mapper().readTree(infoBody).at("/process/pid");
            return pidNode.isNumber() && pidNode.asLong() == pid;
        } catch (JacksonException e) {
            return false;
        }
    }

    private Path jar(Service service) {
        return config.servicesDir().resolve(service.jarName());
    }

    /** @return where everything listens (and the per-run secrets; its toString hides them) */
    public StackEndpoints endpoints() {
        return Objects.requireNonNull(endpoints, "stack not started");
    }

    /** @return the Kafka {@code bootstrap.servers} value */
    public String bootstrapServers() {
        return endpoints().bootstrapServers();
    }

    /** @return the running broker, e.g. for an admin client */
    public KafkaBrokerProcess kafka() {
        return Objects.requireNonNull(kafka, "stack not started");
    }

    /**
     * @param service a service
     * @return its HTTP port
     */
    public int port(Service service) {
        return endpoints().port(service);
    }

    /** @return the emulator's base URL ({@code http://127.0.0.1:<port>}), or null in real-Kling mode */
    public @Nullable String emulatorBaseUrl() {
        return config.kling() instanceof KlingTarget.Emulator ? endpoints().baseUrl(Service.KLING_EMULATOR) : null;
    }

    /**
     * @param region a region of {@link StackConfig#regions()}
     * @return that region's emulator base URL ({@code http://127.0.0.1:<port>})
     * @throws IllegalArgumentException when the stack has no such region
     */
    public String emulatorBaseUrl(String region) {
        Integer port = regionPorts.get(region);
        if (port == null) {
            throw new IllegalArgumentException("no emulator region " + region + " in " + regionPorts.keySet());
        }
        return "http://127.0.0.1:" + port;
    }

    /** @return the configuration this stack was started with */
    public StackConfig config() {
        return config;
    }

    /**
     * Kills a service at once (SIGKILL), for crash tests; {@link #restart} brings it back. For the
     * submitter this is instance 1 ({@link #killSubmitter} picks another).
     *
     * @param service the service
     */
    public void kill(Service service) {
        if (service == Service.SUBMITTER) {
            killSubmitter(1);
            return;
        }
        log.info("killing {}", service.moduleName());
        process(service).kill();
    }

    /**
     * Stops a service (if running), starts it again with the same port and environment, and waits until healthy.
     * For the submitter this is instance 1.
     *
     * @param service the service
     */
    public void restart(Service service) {
        if (service == Service.SUBMITTER) {
            restartSubmitter(1);
            return;
        }
        process(service).close();
        services.put(service, startProcess(service, service.moduleName(), endpoints().port(service)));
        awaitHealthy(service);
    }

    /**
     * Kills redis-server at once (SIGKILL): writes not yet flushed to its append-only file are lost,
     * as in a crash. {@link #restartRedis} brings it back.
     */
    public void killRedis() {
        RedisServerProcess current = Objects.requireNonNull(redis, "stack not started");
        log.info("killing redis-server (pid {})", current.process().pid());
        current.process().kill();
    }

    /**
     * Starts redis-server again on the same port and folder (it replays its append-only file) and
     * waits until it accepts connections; stops the old one first if it still runs.
     *
     * @throws IllegalStateException when it does not come up, or the stack is stopped
     */
    public synchronized void restartRedis() {
        RedisServerProcess current = Objects.requireNonNull(redis, "stack not started");
        if (stopped) {
            throw new IllegalStateException("the stack is stopped");
        }
        current.close();
        redis = remember(RedisServerProcess.start(current.port(), config.dataDir().resolve("redis"), true,
                config.logsDir().resolve("redis.log")));
    }

    /** Kills the Kafka broker at once (SIGKILL); {@link #restartKafka} brings it back on the same log folder. */
    public void killKafka() {
        KafkaBrokerProcess current = kafka();
        log.info("killing kafka (pid {})", current.process().pid());
        current.process().kill();
    }

    /**
     * Starts the Kafka broker again with the same ports and log folder (it recovers its logs) and
     * waits until it answers a metadata call; stops the old one first if it still runs.
     *
     * @throws IllegalStateException when it does not come up, or the stack is stopped
     */
    public synchronized void restartKafka() {
        KafkaBrokerProcess current = kafka();
        if (stopped) {
            throw new IllegalStateException("the stack is stopped");
        }
        current.close();
        kafka = remember(KafkaBrokerProcess.start(config.libDir(), current.port(), current.controllerPort(),
                config.dataDir().resolve("kafka"), config.logsDir().resolve("kafka.log")));
    }

    /** @return how many submitter processes this stack runs */
    public int submitterInstances() {
        return config.submitterInstances();
    }

    /**
     * @param instance 1 to {@link #submitterInstances()}
     * @return that submitter's HTTP port
     */
    public int submitterPort(int instance) {
        checkInstance(instance);
        return submitterPorts.get(instance - 1);
    }

    /**
     * @param instance 1 to {@link #submitterInstances()}
     * @return {@code http://127.0.0.1:<port>} of that submitter (its {@code /admin} API and health)
     */
    public String submitterBaseUrl(int instance) {
        return "http://127.0.0.1:" + submitterPort(instance);
    }

    /**
     * @param instance 1 to {@link #submitterInstances()}
     * @return whether that submitter's process is running
     */
    public boolean isSubmitterAlive(int instance) {
        return submitter(instance).isAlive();
    }

    /**
     * Kills one submitter process at once (SIGKILL, no shutdown hooks): whatever it was doing is
     * cut off, as in a crash. {@link #restartSubmitter} brings it back.
     *
     * @param instance 1 to {@link #submitterInstances()}
     */
    public void killSubmitter(int instance) {
        ManagedProcess process = submitter(instance);
        log.info("killing {} (pid {})", process.name(), process.pid());
        process.kill();
    }

    /**
     * Stops one submitter (if running), starts it again with the same port and environment, and
     * waits until it is healthy. Safe to call from another thread than {@link #killSubmitter}.
     *
     * @param instance 1 to {@link #submitterInstances()}
     * @throws IllegalStateException when it does not become healthy, or the stack is stopped
     */
    public void restartSubmitter(int instance) {
        submitter(instance).close();
        startSubmitter(instance);
        awaitSubmitterHealthy(instance);
    }

    private synchronized ManagedProcess submitter(int instance) {
        checkInstance(instance);
        return submitters.get(instance - 1);
    }

    private void checkInstance(int instance) {
        if (instance < 1 || instance > config.submitterInstances()) {
            throw new IllegalArgumentException("submitter instance must be 1.." + config.submitterInstances()
                    + ", got " + instance);
        }
    }

    private ManagedProcess process(Service service) {
        ManagedProcess process = services.get(service);
        if (process == null) {
            throw new IllegalStateException(service.moduleName() + " is not part of this stack");
        }
        return process;
    }

    /**
     * Stops every process this stack started, in reverse start order: the four services (in
     * parallel), the emulator, s3proxy, redis-server, Kafka. Idempotent.
     */
    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or ran
        }
    }

    private synchronized void stopAll() {
        if (stopped) {
            return;
        }
        stopped = true;
        List<ManagedProcess> pipeline = new ArrayList<>(submitters);
        PIPELINE.stream().map(services::get).filter(Objects::nonNull).forEach(pipeline::add);
        pipeline.parallelStream().forEach(ManagedProcess::close);
        services.values().forEach(ManagedProcess::close);
        while (!backing.isEmpty()) {
            closeQuietly(backing.pop());
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("could not stop {}: {}", closeable, e.toString());
        }
    }
}
