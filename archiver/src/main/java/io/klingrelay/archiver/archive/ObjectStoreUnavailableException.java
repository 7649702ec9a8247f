package io.klingrelay.archiver.archive;

/**
 * The object store did not answer, or refused a call (connection refused, timeout, 5xx,
 * {@code AccessDenied}, {@code NoSuchBucket}): a fault of our side that every record shares, not
 * of the asset. The archiver never ends a request for it while it lasts: once the per-asset retry
 * budget is spent, the record is handed back to the listener container, which redelivers it with
 * the store-outage back-off ({@code klingrelay.archiver.store-outage.*}) until the store is back
 * ({@link RedeliverLaterException}). The message names the operation, the bucket and the S3 error
 * code or exception class, never credentials or presigned URLs.
 */
public final class ObjectStoreUnavailableException extends RedeliverLaterException {

    /**
     * @param message what failed, e.g. {@code object storage: cannot stat an object in bucket b: ConnectException}
     * @param cause   the MinIO SDK's exception
     */
    public ObjectStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
