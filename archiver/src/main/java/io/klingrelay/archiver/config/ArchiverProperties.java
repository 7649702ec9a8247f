package io.klingrelay.archiver.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The archiver's settings, under {@code klingrelay.archiver} (common.md, "Service configuration").
 *
 * @param s3                    the object store; required
 * @param bucket                the bucket assets are stored in; created at start-up when missing
 * @param allowedHosts          host names or IP literals assets may be downloaded from: exact
 *                              names, or {@code *.domain} patterns that match any sub-domain
 *                              (not {@code domain} itself); default Kling's CDN {@code *.klingai.com}
 * @param allowPrivateAddresses whether hosts resolving to loopback, link-local, private,
 *                              multicast or any-local addresses are allowed (local demo only)
 * @param presignedUrlExpiry    validity of the presigned GET URL in {@code assets.archived};
 *                              between 1 s and 7 days (the S3 SigV4 limit)
 * @param maxAssetSize          the largest asset accepted, in bytes (Content-Length and counted bytes);
 *                              at most 5 GB, the S3 server-side copy limit
 * @param partSize              multipart part size; between 5 MB and 5 GB (S3 limits); one part
 *                              is buffered per upload, so this bounds memory per concurrent task
 * @param concurrency           how many tasks are archived at once (taken from the Redis archive queue,
 *                              earliest URL expiry first); memory: up to concurrency × asset-concurrency
 *                              parts in flight
 * @param assetConcurrency      how many assets of one task are archived at once (image tasks have up to 9)
 * @param inFlightLease         how long a task taken from the queue stays leased to this archiver without
 *                              renewal (renewed every third of it): after a crash its tasks are taken
 *                              again this long later. At least 3 s
 * @param connectTimeout        asset download connect timeout
 * @param readTimeout           asset download read timeout (between two reads, not the whole body)
 * @param downloadDeadline      the longest one asset's download may take: every attempt (redirects,
 *                              headers, body, the upload it streams into) and the waits between
 *                              attempts; at the deadline the download is cancelled as a transient
 *                              error. At least 1 s
 * @param retry                 the budget per asset for transient errors (5xx, connection errors, S3 down)
 *                              within one take of a task
 * @param downloadRetry         when a task whose download kept failing past {@code retry} while its URL
 *                              is valid is taken again (never blocking other tasks), bounded by the URL's expiry
 * @param storeOutage           how archiving pauses while the object store is down past {@code retry}
 */
@Validated
@ConfigurationProperties("klingrelay.archiver")
public record ArchiverProperties(
        @Valid @NotNull S3 s3,
        @NotBlank @DefaultValue("klingrelay-assets") String bucket,
        @NotEmpty @DefaultValue("*.klingai.com") List<@NotBlank String> allowedHosts,
        @DefaultValue("false") boolean allowPrivateAddresses,
        @NotNull @DefaultValue("7d") Duration presignedUrlExpiry,
        @NotNull @DefaultValue("2GB") DataSize maxAssetSize,
        @NotNull @DefaultValue("16MB") DataSize partSize,
        @Min(1) @Max(256) @DefaultValue("4") int concurrency,
        @Min(1) @Max(9) @DefaultValue("3") int assetConcurrency,
        @NotNull @DefaultValue("60s") Duration inFlightLease,
        @NotNull @DefaultValue("10s") Duration connectTimeout,
        @NotNull @DefaultValue("60s") Duration readTimeout,
        @NotNull @DefaultValue("2m") Duration downloadDeadline,
        @Valid @NotNull @DefaultValue Retry retry,
        @Valid @NotNull @DefaultValue DownloadRetry downloadRetry,
        @Valid @NotNull @DefaultValue StoreOutage storeOutage) {

    private static final String PREFIX = "klingrelay.archiver.";
    private static final Duration MAX_PRESIGN = Duration.ofDays(7);
    private static final Duration MAX_DOWNLOAD_DEADLINE = Duration.ofHours(1);
    private static final DataSize MIN_PART = DataSize.ofMegabytes(5);
    private static final DataSize MAX_PART = DataSize.ofGigabytes(5);
    private static final DataSize MAX_OBJECT = DataSize.ofGigabytes(5);

    public ArchiverProperties {
        requireBetween(presignedUrlExpiry, Duration.ofSeconds(1), MAX_PRESIGN, "presigned-url-expiry");
        requireBetween(downloadDeadline, Duration.ofSeconds(1), MAX_DOWNLOAD_DEADLINE, "download-deadline");
        requireBetween(inFlightLease, Duration.ofSeconds(3), Duration.ofHours(1), "in-flight-lease");
        requirePartSize(partSize);
        requirePositive(maxAssetSize, "max-asset-size");
        requireHostPatterns(allowedHosts);
    }

    private static void requireBetween(@Nullable Duration value, Duration min, Duration max, String key) {
        if (value != null && (value.compareTo(min) < 0 || value.compareTo(max) > 0)) {
            throw new IllegalArgumentException(PREFIX + key + " must be between " + min + " and " + max
                    + ", got " + value);
        }
    }

    private static void requirePartSize(@Nullable DataSize value) {
        if (value != null && (value.compareTo(MIN_PART) < 0 || value.compareTo(MAX_PART) > 0)) {
            throw new IllegalArgumentException(PREFIX + "part-size must be between 5MB and 5GB, got " + value);
        }
    }

    private static void requirePositive(@Nullable DataSize value, String key) {
        if (value != null && (value.toBytes() <= 0 || value.compareTo(MAX_OBJECT) > 0)) {
            throw new IllegalArgumentException(PREFIX + key + " must be positive and at most 5GB (the S3 "
                    + "server-side copy limit), got " + value);
        }
    }

    private static void requireHostPatterns(@Nullable List<String> patterns) {
        if (patterns == null) {
            return;
        }
        for (int i = 0; i < patterns.size(); i++) {
            if (!isHostPattern(patterns.get(i))) {
                throw new IllegalArgumentException(PREFIX + "allowed-hosts[" + i + "] must be a host name, an IP "
                        + "literal or a *.domain pattern, got '" + patterns.get(i) + "'");
            }
        }
    }

    private static boolean isHostPattern(@Nullable String pattern) {
        if (pattern == null || pattern.isBlank()) {
            return false;
        }
        String rest = pattern.startsWith("*.") ? pattern.substring(2) : pattern;
        return !rest.isEmpty() && !rest.contains("*") && !rest.contains("/") && !rest.contains(" ");
    }

    /**
     * The S3-compatible object store, reached through the MinIO Java SDK.
     *
     * @param endpoint  e.g. {@code http://127.0.0.1:9000}; required
     * @param accessKey the access key; required
     * @param secretKey the secret key; required, never logged
     * @param region    the region used for signing
     */
    public record S3(
            @NotBlank String endpoint,
            @NotBlank String accessKey,
            @NotBlank String secretKey,
            @NotBlank @DefaultValue("us-east-1") String region) {

        /** Keeps the secret key out of logs. */
        @Override
        public String toString() {
            return "S3[endpoint=" + endpoint + ", accessKey=" + accessKey + ", secretKey=***, region=" + region + "]";
        }
    }

    /**
     * Exponential backoff with full jitter for transient errors: before retry {@code n} (1-based)
     * the wait is uniformly random in {@code [0, min(maxDelay, initialDelay * 2^(n-1))]}.
     *
     * @param maxAttempts  attempts per asset, the first included
     * @param initialDelay the cap of the first wait
     * @param maxDelay     the cap of every wait
     */
    public record Retry(
            @Min(1) @Max(20) @DefaultValue("5") int maxAttempts,
            @NotNull @DefaultValue("500ms") Duration initialDelay,
            @NotNull @DefaultValue("10s") Duration maxDelay) {
    }

    /**
     * When a task whose download kept failing transiently (5xx, timeouts, the download deadline;
     * or 403/404/410 before the URL's signed expiry) for a whole {@link Retry} budget is taken
     * again: after {@code initialDelay}, doubling per retry up to {@code maxDelay}, with jitter, and
     * never later than half the time its URL has left; once the URL has expired, a failing download
     * fails the request (stage {@code archive}). Other tasks are archived meanwhile.
     *
     * @param initialDelay the first delay
     * @param maxDelay     the longest delay
     */
    public record DownloadRetry(
            @NotNull @DefaultValue("10s") Duration initialDelay,
            @NotNull @DefaultValue("1h") Duration maxDelay) {
    }

    /**
     * The object store down past a task's {@link Retry} budget fails nothing: the task goes back
     * to the queue and the workers take nothing for a pause doubling from {@code initialDelay} up
     * to {@code maxDelay}, then carry on with the task that expires first. A task that still
     * cannot be stored {@code giveUpAfter} after its first such failure ends its request with
     * {@code requests.failed} (stage {@code archive}) and is dead-lettered to
     * {@code klingrelay.tasks.completed.dlt}, from where it can be replayed. Keep {@code giveUpAfter}
     * well inside Kling's asset retention (30 days, kling-api.md §13).
     *
     * @param initialDelay the first pause
     * @param maxDelay     the longest pause; also the delay before retrying a task whose outcome
     *                     Kafka did not acknowledge
     * @param giveUpAfter  how long after its first store failure a task's request fails
     */
    public record StoreOutage(
            @NotNull @DefaultValue("1s") Duration initialDelay,
            @NotNull @DefaultValue("30s") Duration maxDelay,
            @NotNull @DefaultValue("24h") Duration giveUpAfter) {
    }
}
