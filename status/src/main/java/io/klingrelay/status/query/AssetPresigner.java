package io.klingrelay.status.query;

import io.klingrelay.status.model.AssetView;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.MinioClient;
import io.minio.errors.MinioException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs fresh presigned GET URLs for archived objects (S3 {@code GetObject}, query-string
 * authentication), locally, with no call to the store (the region is configured). Without S3
 * settings it leaves assets as the archiver reported them.
 */
public final class AssetPresigner {

    private static final Logger log = LoggerFactory.getLogger(AssetPresigner.class);

    private final @Nullable MinioClient client;
    private final Duration expiry;
    private final Clock clock;

    /**
     * @param client the MinIO client, or null when no S3 is configured
     * @param expiry how long a URL works (at most 7 days)
     * @param clock  the clock for {@code presignedUrlExpiresAt}
     */
    public AssetPresigner(@Nullable MinioClient client, Duration expiry, Clock clock) {
        this.client = client;
        this.expiry = expiry;
        this.clock = clock;
    }

    /**
     * @param asset an archived object
     * @return the asset with a fresh URL, or the asset unchanged when presigning is off or fails
     */
    public AssetView presign(AssetView asset) {
        if (client == null) {
            return asset;
        }
        Instant expiresAt = clock.instant().plus(expiry);
        try {
            return asset.withPresignedUrl(client.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                    .method(Http.Method.GET).bucket(asset.bucket()).object(asset.objectKey())
                    .expiry(Math.toIntExact(expiry.toSeconds())).build()), expiresAt);
        } catch (MinioException | RuntimeException e) {
            log.warn("cannot presign {} in bucket {}: {}", asset.objectKey(), asset.bucket(), e.getClass().getSimpleName());
            return asset;
        }
    }
}
