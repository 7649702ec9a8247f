package io.klingrelay.localstack;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * A running local Redis: one {@link RedisServerProcess} or a {@link RedisClusterProcess}. Both
 * run with AOF on ({@code appendonly yes}, {@code appendfsync everysec}) when started through
 * {@link #start(Path, boolean)}, as the services require (ARCHITECTURE.md "No head-of-line blocking").
 */
public sealed interface LocalRedis extends AutoCloseable permits RedisServerProcess, RedisClusterProcess {

    /**
     * System property that picks what the integration tests run against: {@value #CLUSTER} starts
     * a {@link RedisClusterProcess}; anything else (or nothing) one redis-server.
     */
    String MODE_PROPERTY = "klingrelay.it.redis";

    /** The value of {@link #MODE_PROPERTY} that selects a Redis Cluster. */
    String CLUSTER = "cluster";

    /** Spring Boot's key for a single server's URL. */
    String URL_PROPERTY = "spring.data.redis.url";

    /** Spring Boot's key for the comma-separated {@code host:port} seed nodes of a cluster. */
    String CLUSTER_NODES_PROPERTY = "spring.data.redis.cluster.nodes";

    /**
     * Starts a single redis-server or a three-master cluster, AOF on either way.
     *
     * @param workDir its folder (each cluster node gets a sub-folder)
     * @param cluster whether to start a cluster
     * @return the running Redis; the caller closes it
     * @throws IllegalStateException when it does not come up (what started is stopped)
     */
    static LocalRedis start(Path workDir, boolean cluster) {
        return cluster ? RedisClusterProcess.start(workDir) : RedisServerProcess.start(FreePorts.next(), workDir, true);
    }

    /**
     * As {@link #start(Path, boolean)}, a cluster when the system property {@value #MODE_PROPERTY}
     * is {@value #CLUSTER} (the integration tests' switch).
     *
     * @param workDir its folder
     * @return the running Redis; the caller closes it
     */
    static LocalRedis startFromSystemProperty(Path workDir) {
        return start(workDir, clusterRequested());
    }

    /** @return whether {@value #MODE_PROPERTY} asks for a cluster */
    static boolean clusterRequested() {
        return CLUSTER.equals(System.getProperty(MODE_PROPERTY, "").trim().toLowerCase(Locale.ROOT));
    }

    /**
     * @return the Spring Boot properties that connect a service to it: {@value #URL_PROPERTY} for
     *         a single server, {@value #CLUSTER_NODES_PROPERTY} for a cluster
     */
    Map<String, String> springProperties();

    /** Stops every process it started. */
    @Override
    void close();
}
