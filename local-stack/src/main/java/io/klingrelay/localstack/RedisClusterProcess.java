package io.klingrelay.localstack;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Redis Cluster of three masters (no replicas) on 127.0.0.1, each a {@link RedisServerProcess}
 * (the system's redis-server, else the embedded-redis 6.2.6 one) with {@code --cluster-enabled yes},
 * AOF on, and its own folder {@code <workDir>/node-<port>} holding {@code nodes-<port>.conf} and
 * {@code appendonly.aof}. The cluster is formed without redis-cli, over plain RESP connections, as
 * {@code redis-cli --cluster create} does: {@code CLUSTER SET-CONFIG-EPOCH}, {@code CLUSTER ADDSLOTS}
 * (0–5460, 5461–10922, 10923–16383; {@code ADDSLOTSRANGE} only exists from 7.0) and
 * {@code CLUSTER MEET}, then waits until every node reports {@code cluster_state:ok} and all agree
 * on who serves which slots.
 *
 * @param nodes the running nodes, one per master, in slot order
 */
public record RedisClusterProcess(List<RedisServerProcess> nodes) implements LocalRedis {

    /** Hash slots of a Redis Cluster. */
    public static final int SLOTS = 16_384;

    private static final Logger log = LoggerFactory.getLogger(RedisClusterProcess.class);
    private static final int MASTERS = 3;
    private static final int ADDSLOTS_BATCH = 1_000;
    private static final Duration FORM_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL_PAUSE = Duration.ofMillis(100);

    public RedisClusterProcess {
        nodes = List.copyOf(nodes);
    }

    /**
     * Starts three nodes with their logs in their own folders and forms the cluster.
     *
     * @param workDir the cluster's folder (created when missing)
     * @return the running cluster
     * @throws IllegalStateException when a node does not come up or the cluster does not form
     *                               within 60 s (every node started is stopped)
     */
    public static RedisClusterProcess start(Path workDir) {
        return start(workDir, null);
    }

    /**
     * Starts three nodes and forms the cluster.
     *
     * @param workDir the cluster's folder (created when missing)
     * @param logDir  where the nodes log ({@code redis-node-<port>.log}), or null for each node's folder
     * @return the running cluster
     * @throws IllegalStateException when a node does not come up or the cluster does not form
     *                               within 60 s (every node started is stopped)
     */
    public static RedisClusterProcess start(Path workDir, @Nullable Path logDir) {
        Path dir = workDir.toAbsolutePath();
        File binary = RedisServerProcess.executable(dir);
        List<RedisServerProcess> started = new ArrayList<>();
        try {
            for (int i = 0; i < MASTERS; i++) {
                started.add(startNode(binary, dir, logDir));
            }
            RedisClusterProcess cluster = new RedisClusterProcess(started);
            cluster.form();
            log.info("Redis Cluster formed on {}", cluster.seedNodes());
            return cluster;
        } catch (RuntimeException e) {
            started.reversed().forEach(RedisServerProcess::close);
            throw e;
        }
    }

    private static RedisServerProcess startNode(File binary, Path dir, @Nullable Path logDir) {
        int port = FreePorts.nextWithClusterBus();
        Path nodeDir = dir.resolve("node-" + port);
        Path logFile = logDir == null ? nodeDir.resolve("redis.log") : logDir.resolve("redis-node-" + port + ".log");
        return RedisServerProcess.start(binary, port, nodeDir, true, logFile, List.of(
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
                "--cluster-node-timeout", "5000"));
    }

    /**
     * The slot ranges {@code redis-cli --cluster create} gives {@code masters} masters.
     *
     * @param masters how many masters
     * @return one {@code [first, last]} range (inclusive) per master, covering 0–16383
     */
    static List<int[]> slotRanges(int masters) {
        List<int[]> ranges = new ArrayList<>();
        double perMaster = (double) SLOTS / masters;
        int first = 0;
        for (int i = 0; i < masters; i++) {
            int last = i == masters - 1 ? SLOTS - 1 : (int) Math.round(perMaster * (i + 1) - 1);
            ranges.add(new int[] {first, last});
            first = last + 1;
        }
        return ranges;
    }

    private void form() {
        List<int[]> ranges = slotRanges(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            try (RespConnection node = RespConnection.open(nodes.get(i).port())) {
                node.call("CLUSTER", "SET-CONFIG-EPOCH", String.valueOf(i + 1));
                addSlots(node, ranges.get(i)[0], ranges.get(i)[1]);
            }
        }
        try (RespConnection first = RespConnection.open(nodes.getFirst().port())) {
            for (RedisServerProcess other : nodes.subList(1, nodes.size())) {
                first.call("CLUSTER", "MEET", "127.0.0.1", String.valueOf(other.port()));
            }
        }
        awaitFormed();
    }

    private static void addSlots(RespConnection node, int first, int last) {
        for (int start = first; start <= last; start += ADDSLOTS_BATCH) {
            List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
            for (int slot = start; slot <= Math.min(last, start + ADDSLOTS_BATCH - 1); slot++) {
                command.add(String.valueOf(slot));
            }
            node.call(command);
        }
    }

    private void awaitFormed() {
        long deadline = System.nanoTime() + FORM_TIMEOUT.toNanos();
        while (!isFormed()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Redis Cluster on " + seedNodes() + " not formed after " + FORM_TIMEOUT
                        + "; first node's log tail:\n" + nodes.getFirst().process().logTail());
            }
            LockSupportPause.pause(POLL_PAUSE);
        }
    }

    /** @return whether every node reports {@code cluster_state:ok} and all see the same slot map */
    private boolean isFormed() {
        Set<Set<String>> views = new HashSet<>();
        for (RedisServerProcess node : nodes) {
            try (RespConnection connection = RespConnection.open(node.port())) {
                if (!isHealthy(String.valueOf(connection.call("CLUSTER", "INFO")))) {
                    return false;
                }
                views.add(slotMap(String.valueOf(connection.call("CLUSTER", "NODES"))));
            }
        }
        return views.size() == 1;
    }

    private boolean isHealthy(String clusterInfo) {
        return clusterInfo.contains("cluster_state:ok") && clusterInfo.contains("cluster_slots_assigned:" + SLOTS)
                && clusterInfo.contains("cluster_known_nodes:" + nodes.size());
    }

    /** One {@code <node id> <host:port> <slots...>} line per node of a {@code CLUSTER NODES} answer, flags left out. */
    private static Set<String> slotMap(String clusterNodes) {
        return clusterNodes.lines().filter(line -> !line.isBlank()).map(line -> {
            String[] fields = line.trim().split(" ");
            String address = fields[1].split("@")[0];
            String slots = String.join(" ", Arrays.copyOfRange(fields, Math.min(8, fields.length), fields.length));
            return fields[0] + " " + address + " " + slots;
        }).collect(Collectors.toCollection(TreeSet::new));
    }

    /** @return the client ports of the nodes */
    public List<Integer> ports() {
        return nodes.stream().map(RedisServerProcess::port).toList();
    }

    /** @return {@code 127.0.0.1:<p1>,127.0.0.1:<p2>,127.0.0.1:<p3>}, the value of {@code spring.data.redis.cluster.nodes} */
    public String seedNodes() {
        return nodes.stream().map(node -> "127.0.0.1:" + node.port()).collect(Collectors.joining(","));
    }

    /** @return {@code spring.data.redis.cluster.nodes} set to {@link #seedNodes()} */
    @Override
    public Map<String, String> springProperties() {
        return Map.of(CLUSTER_NODES_PROPERTY, seedNodes());
    }

    /**
     * @param port    a node's port
     * @param section the INFO section, e.g. {@code persistence}
     * @return that node's {@code INFO <section>} answer
     * @throws IllegalStateException on an error reply
     */
    public String info(int port, String section) {
        try (RespConnection connection = RespConnection.open(port)) {
            return Objects.toString(connection.call("INFO", section), "");
        }
    }

    /** Stops every node (last first). */
    @Override
    public void close() {
        nodes.reversed().forEach(RedisServerProcess::close);
    }
}
