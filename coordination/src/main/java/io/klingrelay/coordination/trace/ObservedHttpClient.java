package io.klingrelay.coordination.trace;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A JDK {@link HttpClient} whose blocking calls are each an observation (a span named
 * {@value #NAME}, contextual name {@code kling POST /v1/videos/text2video}): hand it to
 * {@code KlingClient.create(properties, jsonMapper, decorate)} so every Kling create and query is
 * a child span of the dispatch, callback or poll it belongs to. Headers and bodies are never
 * recorded (they carry the JWT). Asynchronous sends are delegated unobserved.
 */
public final class ObservedHttpClient extends HttpClient {

    /** The observation (span) name of a Kling HTTP call. */
    public static final String NAME = "kling.http";

    private final HttpClient delegate;
    private final ObservationRegistry registry;

    /**
     * @param delegate the client doing the calls
     * @param registry Boot's observation registry
     */
    public ObservedHttpClient(HttpClient delegate, ObservationRegistry registry) {
        this.delegate = delegate;
        this.registry = registry;
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> responseBodyHandler)
            throws IOException, InterruptedException {
        Observation observation = Observation.createNotStarted(NAME, registry)
                .contextualName("kling " + request.method() + " " + request.uri().getPath())
                .lowCardinalityKeyValue(KeyValue.of("http.request.method", request.method()))
                .highCardinalityKeyValue(KeyValue.of("url.path", request.uri().getPath()))
                .start();
        try (Observation.Scope scope = observation.openScope()) {
            HttpResponse<T> response = delegate.send(request, responseBodyHandler);
            observation.lowCardinalityKeyValue(KeyValue.of("http.response.status_code",
                    Integer.toString(response.statusCode())));
            return response;
        } catch (IOException | InterruptedException | RuntimeException e) {
            observation.error(e);
            throw e;
        } finally {
            observation.stop();
        }
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
            HttpResponse.BodyHandler<T> responseBodyHandler) {
        return delegate.sendAsync(request, responseBodyHandler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
            HttpResponse.BodyHandler<T> responseBodyHandler, HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        return delegate.sendAsync(request, responseBodyHandler, pushPromiseHandler);
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }

    @Override
    public void shutdown() {
        delegate.shutdown();
    }

    @Override
    public void shutdownNow() {
        delegate.shutdownNow();
    }

    @Override
    public boolean awaitTermination(Duration duration) throws InterruptedException {
        return delegate.awaitTermination(duration);
    }

    @Override
    public boolean isTerminated() {
        return delegate.isTerminated();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
