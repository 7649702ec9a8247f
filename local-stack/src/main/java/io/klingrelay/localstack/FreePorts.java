package io.klingrelay.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds free TCP ports on 127.0.0.1. */
public final class FreePorts {

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
}
