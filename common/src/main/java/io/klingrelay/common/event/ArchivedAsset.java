package io.klingrelay.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One asset stored in object storage.
 *
 * @param kind                  video or image
 * @param index                 position in Kling's result list
 * @param sourceAssetId         Kling's asset id, when it has one
 * @param bucket                the S3 bucket
 * @param objectKey             the S3 object key (stable: {@code <account>/<request id>/<kind>-<index>.<ext>})
 * @param size                  object size in bytes
 * @param sha256                lower-case hex SHA-256 of the object's bytes
 * @param contentType           the stored content type, e.g. {@code video/mp4}
 * @param presignedUrl          a presigned GET URL for the object
 * @param presignedUrlExpiresAt when {@code presignedUrl} stops working
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ArchivedAsset(
        AssetKind kind,
        int index,
        @Nullable String sourceAssetId,
        String bucket,
        String objectKey,
        long size,
        String sha256,
        String contentType,
        String presignedUrl,
        Instant presignedUrlExpiresAt) {

    public ArchivedAsset {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(objectKey, "objectKey");
        Objects.requireNonNull(sha256, "sha256");
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0 bytes, got " + size);
        }
    }

    /** Keeps the presigned query string out of logs. */
    @Override
    public String toString() {
        return "ArchivedAsset[bucket=" + bucket + ", objectKey=" + objectKey + ", size=" + size
                + ", sha256=" + sha256 + "]";
    }
}
