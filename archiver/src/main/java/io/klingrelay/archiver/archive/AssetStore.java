package io.klingrelay.archiver.archive;

import io.klingrelay.common.error.PermanentException;
import io.klingrelay.common.error.TransientException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;

/** The object store port: where archived assets live (S3 through the MinIO SDK in production). */
public interface AssetStore {

    /** @return the bucket objects are written to */
    String bucket();

    /**
     * Creates the bucket when it is missing (S3 {@code HeadBucket}, {@code CreateBucket}).
     *
     * @throws ObjectStoreUnavailableException when the store cannot be reached or refuses
     */
    void ensureBucket();

    /**
     * Finds an object this archiver completed: one that exists and carries the SHA-256 metadata
     * (S3 {@code HeadObject}). An object without it is treated as absent and overwritten.
     *
     * @param objectKey the object key
     * @return the object, or empty
     * @throws ObjectStoreUnavailableException when the store cannot be reached or refuses
     */
    Optional<StoredObject> find(String objectKey);

    /**
     * Streams {@code body} into the object (multipart of unknown size, one part buffered at a time),
     * computing its SHA-256 and size on the way, and stores both with the request id as metadata.
     * The object appears under {@code objectKey} only once complete.
     *
     * @param objectKey   the object key
     * @param body        the bytes; read to the end, not closed
     * @param contentType the content type to store
     * @param requestId   the request id, stored as metadata
     * @return what was stored
     * @throws PermanentException or {@link TransientException} as classified by the body's
     *                            {@code AssetReadException}; {@link ObjectStoreUnavailableException} when the store fails
     */
    StoredObject put(String objectKey, InputStream body, String contentType, String requestId);

    /**
     * {@link #put(String, InputStream, String, String)} for a body whose size the source declared
     * (HTTP {@code Content-Length}): a store may then write a small object in one request. A body
     * that ends before {@code size} bytes fails as a transient error.
     *
     * @param objectKey   the object key
     * @param body        the bytes; read to the end, not closed
     * @param size        the declared size in bytes, or -1 when unknown
     * @param contentType the content type to store
     * @param requestId   the request id, stored as metadata
     * @return what was stored
     */
    default StoredObject put(String objectKey, InputStream body, long size, String contentType, String requestId) {
        return put(objectKey, body, contentType, requestId);
    }

    /**
     * @param objectKey the object key
     * @param expiry    how long the URL works, at most 7 days
     * @return a presigned GET URL (computed locally, no call to the store)
     */
    String presignedGetUrl(String objectKey, Duration expiry);
}
