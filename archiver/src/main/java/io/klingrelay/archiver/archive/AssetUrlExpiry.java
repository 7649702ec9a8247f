package io.klingrelay.archiver.archive;

import io.klingrelay.common.event.TaskAsset;
import io.klingrelay.common.event.TaskCompleted;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;

/**
 * Until when an asset URL works. Read from the signed URL's query when it carries an expiry:
 * <ul>
 *   <li>{@code Expires=<epoch seconds>}: Kling's CDN ({@code …mp4?…&Expires=1768112080&Signature=…
 *       &Key-Pair-Id=…}, kling-api.md §4.2 and §19 item 58: {@code updated_at} + 30 days), also
 *       CloudFront and OSS v1;</li>
 *   <li>{@code X-Amz-Date=<yyyyMMddTHHmmssZ>} + {@code X-Amz-Expires=<seconds>}: S3 SigV4 presigned URLs
 *       (gateways that re-host results);</li>
 *   <li>{@code X-Goog-Date} + {@code X-Goog-Expires}: Google Cloud Storage V4 signed URLs.</li>
 * </ul>
 * When none is present or parses, the expiry is the task's completion time plus Kling's
 * {@value #RETENTION_DAYS}-day result retention (kling-api.md §13 "Output retention").
 */
public final class AssetUrlExpiry {

    /** Kling's asset retention in days (kling-api.md §13). */
    public static final int RETENTION_DAYS = 30;

    private static final DateTimeFormatter SIGV4_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final String EPOCH_SECONDS = "\\d{1,12}";

    private AssetUrlExpiry() {
    }

    /**
     * @param asset       the asset
     * @param completedAt the task's {@code completedAt} (Kling's {@code updated_at} of the terminal status)
     * @return the instant the URL stops working: the signed expiry, else {@code completedAt} + 30 days
     */
    public static Instant of(TaskAsset asset, Instant completedAt) {
        return signed(asset.url()).orElseGet(() -> completedAt.plus(Duration.ofDays(RETENTION_DAYS)));
    }

    /**
     * @param task a completed task
     * @return the earliest expiry of its assets (the deadline of the whole task); {@code completedAt}
     *         + 30 days when it has none
     */
    public static Instant ofTask(TaskCompleted task) {
        return task.assets().stream().map(asset -> of(asset, task.completedAt())).min(Instant::compareTo)
                .orElseGet(() -> task.completedAt().plus(Duration.ofDays(RETENTION_DAYS)));
    }

    /**
     * @param url an asset URL
     * @return the expiry its signature carries, or empty when it carries none that parses
     */
    public static Optional<Instant> signed(String url) {
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null) {
            return Optional.empty();
        }
        Instant expires = epochSeconds(parsed.queryParameter("Expires"));
        if (expires != null) {
            return Optional.of(expires);
        }
        Instant amz = dated(parsed.queryParameter("X-Amz-Date"), parsed.queryParameter("X-Amz-Expires"));
        return Optional.ofNullable(amz != null ? amz
                : dated(parsed.queryParameter("X-Goog-Date"), parsed.queryParameter("X-Goog-Expires")));
    }

    private static @Nullable Instant epochSeconds(@Nullable String value) {
        return value == null || !value.matches(EPOCH_SECONDS) ? null : Instant.ofEpochSecond(Long.parseLong(value));
    }

    private static @Nullable Instant dated(@Nullable String date, @Nullable String seconds) {
        if (date == null || seconds == null || !seconds.matches(EPOCH_SECONDS)) {
            return null;
        }
        try {
            return LocalDateTime.parse(date, SIGV4_DATE).toInstant(ZoneOffset.UTC).plusSeconds(Long.parseLong(seconds));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
