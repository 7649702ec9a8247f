package io.klingrelay.coordination.redis;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Start-up check that Redis keeps what the services write: parked requests, permit leases and
 * task records live only in Redis (ARCHITECTURE.md "No head-of-line blocking"), so a Redis
 * without AOF loses them on a restart. While the context starts, it reads {@code INFO persistence}
 * from the server (on a cluster: from every master node) and, when any answers
 * {@code aof_enabled:0}, refuses to start with an {@link IllegalStateException} that names the
 * nodes, the fix ({@code appendonly yes}, {@code appendfsync everysec}) and the opt-out
 * {@value #OPT_OUT_PROPERTY}{@code =true}, under which it logs one loud WARN instead.
 *
 * <p>A Redis that cannot be asked at start-up (down, or {@code INFO} not allowed) is not checked:
 * that is logged as a WARN, and the service starts, as it does for a Redis that is down.
 */
public final class RedisDurabilityCheck implements InitializingBean {

    /** The property that lets a service start on a Redis without AOF. */
    public static final String OPT_OUT_PROPERTY = "klingrelay.redis.allow-non-persistent";

    /** The node name used for a single (non-cluster) server. */
    static final String SINGLE_SERVER = "the Redis server";

    private static final Logger log = LoggerFactory.getLogger(RedisDurabilityCheck.class);

    private final PersistenceReader reader;
    private final boolean allowNonPersistent;

    /**
     * @param redis              the template whose connection factory the services use
     * @param allowNonPersistent {@value #OPT_OUT_PROPERTY}: warn instead of refusing
     */
    public RedisDurabilityCheck(StringRedisTemplate redis, boolean allowNonPersistent) {
        this(() -> Objects.requireNonNull(redis.execute((RedisCallback<Map<String, Properties>>) RedisDurabilityCheck::read)),
                allowNonPersistent);
    }

    RedisDurabilityCheck(PersistenceReader reader, boolean allowNonPersistent) {
        this.reader = reader;
        this.allowNonPersistent = allowNonPersistent;
    }

    /**
     * Runs the check while the context starts.
     *
     * @throws IllegalStateException when a node runs without AOF and the opt-out is not set
     */
    @Override
    public void afterPropertiesSet() {
        check();
    }

    /**
     * Reads {@code INFO persistence} and judges it.
     *
     * @throws IllegalStateException when a node runs without AOF and the opt-out is not set
     */
    public void check() {
        Map<String, Properties> persistence;
        try {
            persistence = reader.read();
        } catch (RuntimeException e) {
            log.warn("could not read INFO persistence from Redis at start-up, so its AOF setting is not checked: {}",
                    e.getMessage());
            return;
        }
        judge(persistence);
    }

    private void judge(Map<String, Properties> persistence) {
        List<String> withoutAof = nodesWithoutAof(persistence);
        if (withoutAof.isEmpty()) {
            log.info("Redis persistence checked: AOF on for {}", persistence.keySet());
        } else if (allowNonPersistent) {
            log.warn("!!! Redis runs WITHOUT AOF persistence (aof_enabled:0) on {} and {}=true: a Redis restart "
                    + "loses every parked request, permit lease and task record. Never run production like this. !!!",
                    withoutAof, OPT_OUT_PROPERTY);
        } else {
            throw new IllegalStateException(refusal(withoutAof));
        }
    }

    /**
     * @param persistence {@code INFO persistence} per node
     * @return the nodes that answered {@code aof_enabled:0}, in name order
     */
    static List<String> nodesWithoutAof(Map<String, Properties> persistence) {
        return new TreeMap<>(persistence).entrySet().stream()
                .filter(node -> "0".equals(node.getValue().getProperty("aof_enabled")))
                .map(Map.Entry::getKey).toList();
    }

    private static String refusal(List<String> withoutAof) {
        return "Redis runs without AOF persistence (aof_enabled:0) on " + withoutAof + ": a Redis restart would lose "
                + "every parked request, permit lease and task record. Fix: set 'appendonly yes' and "
                + "'appendfsync everysec' on every Redis (master) node (redis.conf, or CONFIG SET appendonly yes then "
                + "CONFIG REWRITE). To start anyway (tests, throw-away stacks only) set " + OPT_OUT_PROPERTY + "=true.";
    }

    /** {@code INFO persistence} of the single server, or of every master of a cluster by {@code host:port}. */
    private static Map<String, Properties> read(RedisConnection connection) {
        if (connection instanceof RedisClusterConnection cluster) {
            Map<String, Properties> byMaster = new TreeMap<>();
            for (RedisClusterNode node : cluster.clusterGetNodes()) {
                if (node.isMaster()) {
                    byMaster.put(node.asString(), cluster.serverCommands().info(node, "persistence"));
                }
            }
            return byMaster;
        }
        return Map.of(SINGLE_SERVER, Objects.requireNonNull(connection.serverCommands().info("persistence")));
    }

    /** Where the {@code INFO persistence} answers come from (Redis, or a fake in unit tests). */
    @FunctionalInterface
    interface PersistenceReader {

        /** @return {@code INFO persistence} per node name */
        Map<String, Properties> read();
    }
}
