package io.klingrelay.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Finds free TCP ports on 127.0.0.1. */
public final class FreePorts {

    /** The distance between a Redis Cluster node's client port and its cluster bus port. */
    public static final int CLUSTER_BUS_OFFSET = 10_000;

    private FreePorts() {
    }

    /**
     * @return a port that was free on 127.0.0.1 a moment ago (the usual small race applies)
     * @throws UncheckedIOException when no socket can be bound
     */
    public static int next() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /**
     * A port for a Redis Cluster node: Redis 6.2 always puts the cluster bus on port + 10000 (the
     * {@code cluster-port} setting arrived in 7.0), so both must be free and at most 65535.
     *
     * @return a port {@code p} in [20000, 55000] with {@code p} and {@code p + 10000} free a moment ago
     * @throws IllegalStateException when 200 random candidates were all taken
     */
    public static int nextWithClusterBus() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int candidate = ThreadLocalRandom.current().nextInt(20_000, 55_001);
            if (isFree(candidate) && isFree(candidate + CLUSTER_BUS_OFFSET)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free port pair (p, p + 10000) on 127.0.0.1");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
