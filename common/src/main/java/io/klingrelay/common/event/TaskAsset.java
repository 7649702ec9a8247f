package io.klingrelay.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One generated asset as Kling reports it in {@code task_result} (kling-api.md §10.2).
 * The URL is a signed CDN URL that expires (30 days on Kling, less through gateways): never log it.
 *
 * @param kind     video or image
 * @param index    position within its list ({@code images[].index}, or the list position for videos)
 * @param id       Kling's asset id (videos only; opaque)
 * @param url      the signed download URL
 * @param duration for videos, Kling's duration string in seconds with decimals (e.g. {@code "5.1"})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskAsset(AssetKind kind, int index, @Nullable String id, String url, @Nullable String duration) {

    public TaskAsset {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(url, "url");
    }

    /** Keeps the signed URL out of logs. */
    @Override
    public String toString() {
        return "TaskAsset[kind=" + kind + ", index=" + index + ", id=" + id + "]";
    }
}
