package io.klingrelay.status.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One archived object of a request, as {@code klingrelay.assets.archived} reported it.
 *
 * @param kind                  {@code video} or {@code image}
 * @param index                 position in Kling's result list
 * @param bucket                the S3 bucket
 * @param objectKey             the S3 object key
 * @param size                  object size in bytes
 * @param sha256                lower-case hex SHA-256 of the object
 * @param contentType           e.g. {@code video/mp4}
 * @param presignedUrl          a presigned GET URL; refreshed by {@code ?presign=true}
 * @param presignedUrlExpiresAt when {@code presignedUrl} stops working
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AssetView(
        String kind,
        int index,
        String bucket,
        String objectKey,
        long size,
        @Nullable String sha256,
        @Nullable String contentType,
        @Nullable String presignedUrl,
        @Nullable Instant presignedUrlExpiresAt) {

    /**
     * @param url       a fresh presigned URL
     * @param expiresAt when it expires
     * @return this asset with the URL replaced
     */
    public AssetView withPresignedUrl(String url, Instant expiresAt) {
        return new AssetView(kind, index, bucket, objectKey, size, sha256, contentType, url, expiresAt);
    }

    /** @return true for images (the page shows a thumbnail), false for videos (a player) */
    public boolean isImage() {
        return "image".equals(kind) || (contentType != null && contentType.startsWith("image/"));
    }

    /** Keeps the presigned query string out of logs. */
    @Override
    public String toString() {
        return "AssetView[bucket=" + bucket + ", objectKey=" + objectKey + ", size=" + size + "]";
    }
}
