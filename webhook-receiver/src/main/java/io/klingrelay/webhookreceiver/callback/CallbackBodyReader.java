package io.klingrelay.webhookreceiver.callback;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a callback body with a hard cap, instead of letting {@code @RequestBody byte[]} buffer
 * whatever arrives (a 600 MB POST once took the heap). A declared {@code Content-Length} over
 * the cap is refused before a byte is read; a chunked (or undeclared) body is read up to one
 * byte past the cap and then refused. Tomcat swallows at most {@code server.tomcat.max-swallow-size}
 * (2 MB by default) of what is left, then closes the connection. Thread-safe.
 */
public final class CallbackBodyReader {

    private final int maxBytes;

    /**
     * @param maxBytes the largest body accepted, in bytes
     * @throws IllegalArgumentException when not positive or not below {@link Integer#MAX_VALUE}
     */
    public CallbackBodyReader(long maxBytes) {
        if (maxBytes < 1 || maxBytes >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("max body size must be between 1 and " + (Integer.MAX_VALUE - 1)
                    + " bytes, got " + maxBytes);
        }
        this.maxBytes = (int) maxBytes;
    }

    /** @return the cap, in bytes */
    public int maxBytes() {
        return maxBytes;
    }

    /**
     * @param request the servlet request whose body has not been touched yet
     * @return the body, or why there is none
     */
    public CallbackBody read(HttpServletRequest request) {
        if (request.getContentLengthLong() > maxBytes) {
            return new CallbackBody.TooLarge();
        }
        // not closed here: the container owns the stream and swallows what is left of it
        try {
            InputStream in = request.getInputStream();
            byte[] bytes = in.readNBytes(maxBytes + 1);
            return bytes.length > maxBytes ? new CallbackBody.TooLarge() : new CallbackBody.Read(bytes);
        } catch (IOException e) {
            return new CallbackBody.Unreadable(e.getClass().getSimpleName());
        }
    }

    /** What {@link #read} found. */
    public sealed interface CallbackBody {

        /** @param bytes the whole body, at most the cap */
        record Read(byte[] bytes) implements CallbackBody {
        }

        /** The body is over the cap; at most cap + 1 bytes of it were read. */
        record TooLarge() implements CallbackBody {
        }

        /** @param reason the exception's simple class name (never its message, which may quote input) */
        record Unreadable(String reason) implements CallbackBody {
        }
    }
}
