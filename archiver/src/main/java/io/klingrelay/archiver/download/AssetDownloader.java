package io.klingrelay.archiver.download;

import io.klingrelay.common.error.KlingRelayException;
import io.klingrelay.common.error.PermanentException;
import io.klingrelay.common.error.TransientException;
import io.klingrelay.common.event.TaskAsset;
import java.io.IOException;
import java.io.InputStream;
import java.net.Proxy;
import java.time.Duration;
import java.util.Set;
import okhttp3.Call;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;

/**
 * Opens asset downloads through an SSRF-safe HTTP client.
 *
 * <p>The client is OkHttp (already on the classpath through the MinIO SDK), not the JDK's
 * {@code HttpClient}, because OkHttp lets us plug in the name resolution ({@link GuardedDns}):
 * the private-address check runs on exactly the addresses the connection will use, which closes
 * the DNS-rebinding window a check-then-connect with the JDK client leaves open. Redirects are
 * never followed by the client; at most {@value #MAX_REDIRECTS} are followed here, each target
 * re-checked by {@link HostPolicy}. No proxy is used. The size cap applies to the declared
 * {@code Content-Length} and to the bytes actually read.
 *
 * <p>Each download has a deadline for all of it (redirects, headers and body): the read timeout
 * only bounds the gap between two reads, so a host that sends a byte now and then would otherwise
 * hold the download, and the listener's partition, for ever. At the deadline OkHttp cancels the
 * call and the download fails as a {@link TransientException}.
 *
 * <p>The body must be what the asset claims: a declared text or JSON type ({@code text/html},
 * {@code application/json} …) and first bytes that are not a video or image signature
 * ({@link MediaSignature}) are refused as {@link PermanentException}s before any byte is handed on,
 * so nothing is uploaded for them.
 *
 * <p>Messages name the asset index, host and HTTP status, never the signed URL's path or query.
 */
public final class AssetDownloader implements AutoCloseable {

    /** Redirects followed at most per asset. */
    public static final int MAX_REDIRECTS = 3;

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final Set<Integer> GONE = Set.of(403, 404, 410);
    private static final Set<Integer> RETRYABLE_CLIENT_ERRORS = Set.of(408, 425, 429);
    private static final String OCTET_STREAM = "application/octet-stream";

    private final OkHttpClient client;
    private final HostPolicy policy;
    private final long maxBytes;

    /**
     * @param policy         which hosts and addresses may be fetched
     * @param maxBytes       the size cap in bytes
     * @param connectTimeout connect timeout
     * @param readTimeout    timeout between two reads
     */
    public AssetDownloader(HostPolicy policy, long maxBytes, Duration connectTimeout, Duration readTimeout) {
        this.policy = policy;
        this.maxBytes = maxBytes;
        this.client = new OkHttpClient.Builder()
                .dns(new GuardedDns(policy, Dns.SYSTEM))
                .followRedirects(false)
                .followSslRedirects(false)
                .proxy(Proxy.NO_PROXY)
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout)
                .build();
    }

    /**
     * Opens the asset's URL, following at most {@value #MAX_REDIRECTS} checked redirects, and
     * checks the first bytes of the body ({@link MediaSignature}).
     *
     * @param asset    the asset
     * @param timeLeft how long the whole download may still take, body included; the returned
     *                 body fails once it has passed
     * @return the open download; the caller closes it
     * @throws PermanentException for a refused URL, host or address, an expired URL (HTTP 403,
     *                            404, 410), another 4xx, too many redirects, a declared size past
     *                            the cap, or a body that is not the asset's kind of media
     * @throws TransientException for 5xx, 408, 425, 429, timeouts, connection errors and a
     *                            deadline that has passed (or passes while opening)
     */
    public AssetDownload open(TaskAsset asset, Duration timeLeft) {
        long deadline = System.nanoTime() + timeLeft.toNanos();
        HttpUrl url = parse(asset.url(), asset.index());
        for (int redirects = 0; ; redirects++) {
            policy.check(url, asset.index());
            Response response = execute(url, asset.index(), deadline);
            if (!isRedirect(response.code())) {
                return accept(response, asset, deadline);
            }
            url = nextHop(url, response, redirects, asset.index());
        }
    }

    private static HttpUrl parse(String url, int index) {
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null) {
            throw new PermanentException("asset " + index + ": the URL is malformed or not http/https");
        }
        return parsed;
    }

    private Response execute(HttpUrl url, int index, long deadline) {
        if (GuardedBodyStream.isPast(deadline)) {
            throw GuardedBodyStream.deadlinePassed(index, 0, null);
        }
        Call call = client.newCall(new Request.Builder().url(url).get().build());
        // the call's timeout spans the whole call, body included: OkHttp cancels it at the deadline
        call.timeout().deadlineNanoTime(deadline);
        try {
            return call.execute();
        } catch (RefusedAddressException e) {
            throw new PermanentException("asset " + index + ": " + e.getMessage());
        } catch (IOException e) {
            RefusedAddressException refused = refusedCause(e);
            if (refused != null) {
                throw new PermanentException("asset " + index + ": " + refused.getMessage());
            }
            if (GuardedBodyStream.isPast(deadline)) {
                throw GuardedBodyStream.deadlinePassed(index, 0, e);
            }
            throw new TransientException("asset " + index + ": cannot download from " + url.host() + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }

    private static @Nullable RefusedAddressException refusedCause(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof RefusedAddressException refused) {
                return refused;
            }
        }
        return null;
    }

    private static boolean isRedirect(int status) {
        return REDIRECTS.contains(status);
    }

    private static HttpUrl nextHop(HttpUrl from, Response response, int redirects, int index) {
        try (response) {
            String location = response.header("Location");
            if (redirects >= MAX_REDIRECTS) {
                throw new PermanentException("asset " + index + ": more than " + MAX_REDIRECTS + " redirects", null,
                        response.code(), null, null);
            }
            HttpUrl next = location == null ? null : from.resolve(location);
            if (next == null) {
                throw new PermanentException("asset " + index + ": redirect without a valid Location", null,
                        response.code(), null, null);
            }
            return next;
        }
    }

    private AssetDownload accept(Response response, TaskAsset asset, long deadline) {
        int index = asset.index();
        try {
            if (response.code() != 200) {
                throw statusFailure(response.code(), index, response.request().url().host());
            }
            ResponseBody body = response.body();
            long declared = body.contentLength();
            if (declared > maxBytes) {
                throw new PermanentException("asset " + index + " declares " + declared
                        + " bytes, more than klingrelay.archiver.max-asset-size (" + maxBytes + " bytes)");
            }
            String contentType = contentTypeOf(body.contentType());
            MediaSignature.checkDeclaredType(contentType, asset.kind(), index);
            InputStream checked = MediaSignature.checkedBody(
                    new GuardedBodyStream(body.byteStream(), maxBytes, index, deadline), asset.kind(), index);
            return new AssetDownload(checked, contentType, declared, response);
        } catch (RuntimeException e) {
            response.close();
            throw e;
        }
    }

    /**
     * @param status an HTTP status other than 200 and redirects
     * @param index  the asset index
     * @param host   the host that answered
     * @return the classified failure
     */
    static KlingRelayException statusFailure(int status, int index, String host) {
        if (GONE.contains(status)) {
            return new PermanentException("asset " + index + ": the URL has expired or the asset was removed on "
                    + host, null, status, null, null);
        }
        if (status >= 500 || RETRYABLE_CLIENT_ERRORS.contains(status)) {
            return new TransientException("asset " + index + ": " + host + " answered with an error", null, status,
                    null, null);
        }
        return new PermanentException("asset " + index + ": " + host + " refused the download", null, status, null,
                null);
    }

    private static @Nullable String contentTypeOf(@Nullable MediaType type) {
        if (type == null) {
            return null;
        }
        String bare = type.type() + "/" + type.subtype();
        return OCTET_STREAM.equals(bare) ? null : bare;
    }

    /** Releases the client's connection pool and threads. */
    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
