package io.klingrelay.archiver.archive;

import io.klingrelay.coordination.trace.RequestTraces;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;

/**
 * An {@link AssetStore} whose uploads are each a span ({@value #UPLOAD_SPAN}, tagged with the
 * request id) inside the archive's trace (README "Traces"); the other operations are delegated as is.
 */
public final class ObservedAssetStore implements AssetStore {

    /** The span of one object upload (a single PUT or a multipart upload). */
    public static final String UPLOAD_SPAN = "klingrelay.s3.upload";

    private final AssetStore delegate;
    private final RequestTraces traces;

    /**
     * @param delegate the store doing the work
     * @param traces   opens the upload spans
     */
    public ObservedAssetStore(AssetStore delegate, RequestTraces traces) {
        this.delegate = delegate;
        this.traces = traces;
    }

    @Override
    public String bucket() {
        return delegate.bucket();
    }

    @Override
    public void ensureBucket() {
        delegate.ensureBucket();
    }

    @Override
    public Optional<StoredObject> find(String objectKey) {
        return delegate.find(objectKey);
    }

    @Override
    public StoredObject put(String objectKey, InputStream body, String contentType, String requestId) {
        return traces.observe(UPLOAD_SPAN, requestId, () -> delegate.put(objectKey, body, contentType, requestId));
    }

    @Override
    public StoredObject put(String objectKey, InputStream body, long size, String contentType, String requestId) {
        return traces.observe(UPLOAD_SPAN, requestId, () -> delegate.put(objectKey, body, size, contentType,
                requestId));
    }

    @Override
    public String presignedGetUrl(String objectKey, Duration expiry) {
        return delegate.presignedGetUrl(objectKey, expiry);
    }
}
