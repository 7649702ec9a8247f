package io.klingrelay.localstack;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A minimal blocking RESP2 connection to a Redis on 127.0.0.1, enough to form a cluster and
 * read {@code INFO} without a client library (local-stack stays light; redis-cli may be absent).
 * Replies are decoded as: simple string and bulk string to {@link String}, integer to
 * {@link Long}, array to {@link List}, null bulk to {@code null}; an error reply throws. Not
 * thread-safe.
 */
final class RespConnection implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MS = 2_000;
    private static final int READ_TIMEOUT_MS = 10_000;

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    private RespConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new BufferedInputStream(socket.getInputStream());
    }

    /**
     * @param port the port on 127.0.0.1
     * @return an open connection
     * @throws UncheckedIOException when it cannot connect
     */
    static RespConnection open(int port) {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MS);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            return new RespConnection(socket);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException("cannot connect to Redis on 127.0.0.1:" + port, e);
        }
    }

    /**
     * Sends one command and reads its reply.
     *
     * @param arguments the command and its arguments
     * @return the decoded reply (see the class comment)
     * @throws IllegalStateException on an error reply ({@code -ERR ...}), with its text
     * @throws UncheckedIOException  when the connection fails
     */
    @Nullable Object call(String... arguments) {
        return call(List.of(arguments));
    }

    /**
     * @param arguments the command and its arguments
     * @return the decoded reply
     * @throws IllegalStateException on an error reply
     * @throws UncheckedIOException  when the connection fails
     */
    @Nullable Object call(List<String> arguments) {
        try {
            out.write(encode(arguments));
            out.flush();
            return read();
        } catch (IOException e) {
            throw new UncheckedIOException("Redis call " + arguments.getFirst() + " failed", e);
        }
    }

    private static byte[] encode(List<String> arguments) {
        StringBuilder command = new StringBuilder("*").append(arguments.size()).append("\r\n");
        for (String argument : arguments) {
            byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
            command.append('$').append(bytes.length).append("\r\n").append(argument).append("\r\n");
        }
        return command.toString().getBytes(StandardCharsets.UTF_8);
    }

    private @Nullable Object read() throws IOException {
        int type = in.read();
        String line = readLine();
        return switch (type) {
            case '+' -> line;
            case '-' -> throw new IllegalStateException(line);
            case ':' -> Long.parseLong(line);
            case '$' -> readBulk(Integer.parseInt(line));
            case '*' -> readArray(Integer.parseInt(line));
            case -1 -> throw new IOException("connection closed by Redis");
            default -> throw new IOException("unexpected RESP type '" + (char) type + "'");
        };
    }

    private @Nullable String readBulk(int length) throws IOException {
        if (length < 0) {
            return null;
        }
        byte[] bytes = in.readNBytes(length);
        readLine();
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private @Nullable List<@Nullable Object> readArray(int size) throws IOException {
        if (size < 0) {
            return null;
        }
        List<@Nullable Object> items = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            items.add(read());
        }
        return items;
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\r'; b = in.read()) {
            if (b == -1) {
                throw new IOException("connection closed by Redis");
            }
            line.write(b);
        }
        in.read(); // the '\n' after '\r'
        return line.toString(StandardCharsets.UTF_8);
    }

    /** Closes the socket. */
    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
