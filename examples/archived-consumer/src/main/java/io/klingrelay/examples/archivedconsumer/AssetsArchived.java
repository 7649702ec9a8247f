package io.klingrelay.examples.archivedconsumer;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;

/**
 * The fields of {@code AssetsArchived} (docs/schemas/AssetsArchived.json) this consumer uses; a
 * tolerant reader: unknown fields are ignored, so new optional fields never break it.
 *
 * @param eventId    the id to de-duplicate by (the same on a re-publication)
 * @param requestId  the request id, unique per account
 * @param accountId  the Kling account the request was billed to
 * @param taskId     Kling's {@code task_id}
 * @param assets     the stored objects, in Kling's order
 * @param archivedAt when the last object was stored
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AssetsArchived(String eventId, String requestId, String accountId, String taskId, List<Asset> assets,
        Instant archivedAt) {

    /**
     * One stored object.
     *
     * @param bucket                the S3 bucket
     * @param objectKey             the S3 object key
     * @param contentType           e.g. {@code video/mp4}
     * @param size                  bytes
     * @param sha256                lower-case hex SHA-256 of the bytes
     * @param presignedUrl          a GET URL valid until {@code presignedUrlExpiresAt}; do not log it
     * @param presignedUrlExpiresAt when the URL stops working (the object itself stays)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Asset(String bucket, String objectKey, String contentType, long size, String sha256,
            String presignedUrl, Instant presignedUrlExpiresAt) {

        /** Keeps the presigned URL out of logs. */
        @Override
        public String toString() {
            return "Asset[bucket=" + bucket + ", objectKey=" + objectKey + ", size=" + size + "]";
        }
    }
}
