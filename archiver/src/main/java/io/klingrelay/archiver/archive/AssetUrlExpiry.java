package io.klingrelay.archiver.archive;

import io.klingrelay.common.event.TaskAsset;
import java.time.Duration;
import java.time.Instant;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;

/**
 * Until when a Kling asset URL works. Kling signs result URLs with {@code Expires=<epoch seconds>}
 * ({@code …mp4?…&Expires=1768112080&Signature=…&Key-Pair-Id=…}, kling-api.md §4.2 and §19 item 58:
 * {@code updated_at} + 30 days); when the parameter is absent or not a number, the expiry is
 * assumed to be the task's completion time plus Kling's {@value #RETENTION_DAYS}-day retention.
 */
public final class AssetUrlExpiry {

    /** Kling's asset retention in days (kling-api.md §4.2). */
    public static final int RETENTION_DAYS = 30;

    private static final String EXPIRES = "Expires";

    private AssetUrlExpiry() {
    }

    /**
     * @param asset       the asset
     * @param completedAt the task's {@code completedAt} (Kling's {@code updated_at} of the terminal status)
     * @return the instant the URL stops working
     */
    public static Instant of(TaskAsset asset, Instant completedAt) {
        Instant signed = signedExpiry(asset.url());
        return signed != null ? signed : completedAt.plus(Duration.ofDays(RETENTION_DAYS));
    }

    private static @Nullable Instant signedExpiry(String url) {
        HttpUrl parsed = HttpUrl.parse(url);
        String expires = parsed == null ? null : parsed.queryParameter(EXPIRES);
        if (expires == null || !expires.matches("\\d{1,12}")) {
            return null;
        }
        return Instant.ofEpochSecond(Long.parseLong(expires));
    }
}
