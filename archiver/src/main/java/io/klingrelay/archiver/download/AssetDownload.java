package io.klingrelay.archiver.download;

import java.io.InputStream;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * An open asset download: the body is streamed, never buffered whole. Close it.
 *
 * @param body          the body; counts bytes, enforces the size cap, reports failures as
 *                      {@link AssetReadException}
 * @param contentType   the declared {@code type/subtype} without parameters, or null when absent
 *                      or {@code application/octet-stream}
 * @param contentLength the declared length in bytes, or -1 when unknown
 * @param response      the HTTP response, closed by {@link #close()}
 */
public record AssetDownload(InputStream body, @Nullable String contentType, long contentLength, Response response)
        implements AutoCloseable {

    /** Closes the response and its connection. */
    @Override
    public void close() {
        response.close();
    }
}
