package io.klingrelay.archiver.archive;

import java.util.Objects;

/**
 * An object in the bucket, as the archiver wrote it.
 *
 * @param objectKey   the object key
 * @param size        its size in bytes
 * @param sha256      lower-case hex SHA-256 of its bytes
 * @param contentType its content type
 */
public record StoredObject(String objectKey, long size, String sha256, String contentType) {

    public StoredObject {
        Objects.requireNonNull(objectKey, "objectKey");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(contentType, "contentType");
    }
}
