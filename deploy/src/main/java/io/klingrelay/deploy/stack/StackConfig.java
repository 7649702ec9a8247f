package io.klingrelay.deploy.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * @param submitterInstances how many submitter processes to run ({@code submitter-1..N}, each with its own
 *                       port and log; 1 for the demo)
 * @param extraProperties Spring properties per service on top of the generated environment (e.g. the
 *                       emulator's {@code klingrelay.emulator.phases.text2video.processing}), passed as
 *                       {@code SPRING_APPLICATION_JSON}; never put secrets here
 * @param redisCluster   run Redis as a three-master cluster ({@code redis/node-<port>/}, logs
 *                       {@code logs/redis-node-<port>.log}) instead of one redis-server; the services then get
 *                       {@code SPRING_DATA_REDIS_CLUSTER_NODES} instead of {@code SPRING_DATA_REDIS_URL}
 * @param regions        further Kling emulators by region name, each standing for another Kling region
 *                       (e.g. {@code beijing} beside the stack's own emulator): its own process
 *                       ({@code kling-emulator-<region>}, log {@code logs/kling-emulator-<region>.log}), port and
 *                       accounts, which the accounts file lists with that emulator's {@code base-url}; emulator
 *                       mode only, empty by default
 */
public record StackConfig(Path dataDir, Path libDir, Path servicesDir, Path s3proxyJar, KlingTarget kling,
        Duration pollerGrace, Duration pollerInterval, Duration startTimeout, int submitterInstances,
        Map<Service, Map<String, String>> extraProperties, boolean redisCluster,
        Map<String, KlingTarget.Emulator> regions) {

    /** The S3 bucket the archiver writes to. */
    public static final String BUCKET = "klingrelay-assets";
    /** Spring Boot's property that turns on OTLP span export (unset: spans stay in the process). */
    public static final String OTLP_ENDPOINT_PROPERTY = "management.opentelemetry.tracing.export.otlp.endpoint";

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
        if (submitterInstances < 1) {
            throw new IllegalArgumentException("submitterInstances must be >= 1, got " + submitterInstances);
        }
        extraProperties = copyOf(extraProperties);
        regions = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(regions, "regions")));
        if (!regions.isEmpty() && !(kling instanceof KlingTarget.Emulator)) {
            throw new IllegalArgumentException("further emulator regions need the emulator, not real Kling");
        }
    }

    /**
     * Without further emulator regions.
     *
     * @param dataDir            the data folder
     * @param libDir             the Kafka broker's classpath folder
     * @param servicesDir        the folder with the exec jars
     * @param s3proxyJar         the s3proxy jar
     * @param kling              the Kling target
     * @param pollerGrace        the poller grace
     * @param pollerInterval     the poller interval
     * @param startTimeout       the health timeout per process
     * @param submitterInstances how many submitter processes
     * @param extraProperties    Spring properties per service
     * @param redisCluster       whether Redis runs as a cluster
     */
    public StackConfig(Path dataDir, Path libDir, Path servicesDir, Path s3proxyJar, KlingTarget kling,
            Duration pollerGrace, Duration pollerInterval, Duration startTimeout, int submitterInstances,
            Map<Service, Map<String, String>> extraProperties, boolean redisCluster) {
        this(dataDir, libDir, servicesDir, s3proxyJar, kling, pollerGrace, pollerInterval, startTimeout,
                submitterInstances, extraProperties, redisCluster, Map.of());
    }

    /**
     * One submitter and no extra properties (the demo's shape).
     *
     * @param dataDir        the data folder
     * @param libDir         the Kafka broker's classpath folder
     * @param servicesDir    the folder with the exec jars
     * @param s3proxyJar     the s3proxy jar
     * @param kling          the Kling target
     * @param pollerGrace    the poller grace
     * @param pollerInterval the poller interval
     * @param startTimeout   the health timeout per process
     */
    public StackConfig(Path dataDir, Path libDir, Path servicesDir, Path s3proxyJar, KlingTarget kling,
            Duration pollerGrace, Duration pollerInterval, Duration startTimeout) {
        this(dataDir, libDir, servicesDir, s3proxyJar, kling, pollerGrace, pollerInterval, startTimeout, 1, Map.of(),
                false);
    }

    /**
     * @param instances how many submitter processes
     * @return this configuration with that many submitters
     */
    public StackConfig withSubmitterInstances(int instances) {
        return new StackConfig(dataDir, libDir, servicesDir, s3proxyJar, kling, pollerGrace, pollerInterval,
                startTimeout, instances, extraProperties, redisCluster, regions);
    }

    /**
     * @param cluster whether Redis runs as a three-master cluster
     * @return this configuration with that Redis shape
     */
    public StackConfig withRedisCluster(boolean cluster) {
        return new StackConfig(dataDir, libDir, servicesDir, s3proxyJar, kling, pollerGrace, pollerInterval,
                startTimeout, submitterInstances, extraProperties, cluster, regions);
    }

    /**
     * @param service    a service
     * @param properties Spring property names (kebab-case, dotted) and values to add for it
     * @return this configuration with those properties added (later values win)
     */
    public StackConfig withProperties(Service service, Map<String, String> properties) {
        Map<Service, Map<String, String>> merged = new EnumMap<>(Service.class);
        merged.putAll(extraProperties);
        Map<String, String> forService = new LinkedHashMap<>(merged.getOrDefault(service, Map.of()));
        forService.putAll(properties);
        merged.put(service, forService);
        return new StackConfig(dataDir, libDir, servicesDir, s3proxyJar, kling, pollerGrace, pollerInterval,
                startTimeout, submitterInstances, merged, redisCluster, regions);
    }

    /**
     * @param region   the region's name, used in the process and log names ({@code a-z 0-9 -})
     * @param emulator its emulator: its accounts (not the stack's own) and time scale; it gets the
     *                 stack emulator's extra properties too
     * @return this configuration with that further region
     * @throws IllegalArgumentException when the name is not {@code a-z 0-9 -} or is taken
     */
    public StackConfig withRegion(String region, KlingTarget.Emulator emulator) {
        if (!region.matches("[a-z0-9-]+") || regions.containsKey(region)) {
            throw new IllegalArgumentException("region name must be a new [a-z0-9-]+, got " + region);
        }
        Map<String, KlingTarget.Emulator> more = new LinkedHashMap<>(regions);
        more.put(region, emulator);
        return new StackConfig(dataDir, libDir, servicesDir, s3proxyJar, kling, pollerGrace, pollerInterval,
                startTimeout, submitterInstances, extraProperties, redisCluster, more);
    }

    /**
     * Sends the four services' spans to an OTLP/HTTP collector (README "Traces"); without it they
     * export nothing.
     *
     * @param endpoint the collector's traces URL, e.g. {@code http://127.0.0.1:4318/v1/traces}
     * @return this configuration with {@code management.opentelemetry.tracing.export.otlp.endpoint}
     *         set for the submitter, the webhook receiver, the poller and the archiver
     */
    public StackConfig withOtlpEndpoint(String endpoint) {
        StackConfig config = this;
        for (Service service : List.of(Service.SUBMITTER, Service.WEBHOOK_RECEIVER, Service.POLLER, Service.ARCHIVER)) {
            config = config.withProperties(service, Map.of(OTLP_ENDPOINT_PROPERTY, endpoint));
        }
        return config;
    }

    /**
     * @param service a service
     * @return its extra Spring properties, in insertion order (empty when none)
     */
    public Map<String, String> extraProperties(Service service) {
        return extraProperties.getOrDefault(service, Map.of());
    }

    private static Map<Service, Map<String, String>> copyOf(Map<Service, Map<String, String>> properties) {
        Map<Service, Map<String, String>> copy = new EnumMap<>(Service.class);
        Objects.requireNonNull(properties, "extraProperties")
                .forEach((service, values) -> copy.put(service,
                        Collections.unmodifiableMap(new LinkedHashMap<>(values))));
        return Collections.unmodifiableMap(copy);
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
