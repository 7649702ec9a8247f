package io.klingrelay.klingclient.request;

import jakarta.validation.constraints.NotBlank;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What one model accepts for one product (kling-api.md §14; the 2026 names §15): one entry of
 * {@code klingrelay.models.products.<product>[i]}. An empty list is not checked.
 *
 * @param name         Kling's model name, e.g. {@code kling-v2-6} or {@code kling-3.0}; names starting
 *                     with {@code kling-v} use the legacy API, all others the 2026 API
 * @param modes        allowed {@code mode} values ({@code std}, {@code pro}, {@code 4k})
 * @param durations    allowed {@code duration} values, seconds as strings ({@code "5"}, {@code "10"})
 * @param aspectRatios allowed {@code aspect_ratio} values ({@code 16:9}, …)
 * @param resolutions  allowed {@code resolution} values ({@code 1k}/{@code 2k} for images,
 *                     {@code 720p}/{@code 1080p}/{@code 4k} for 2026 videos)
 */
public record ModelRules(
        @NotBlank String name,
        @DefaultValue List<String> modes,
        @DefaultValue List<String> durations,
        @DefaultValue List<String> aspectRatios,
        @DefaultValue List<String> resolutions) {

    public ModelRules {
        modes = copy(modes);
        durations = copy(durations);
        aspectRatios = copy(aspectRatios);
        resolutions = copy(resolutions);
    }

    private static List<String> copy(@Nullable List<String> values) {
        return values == null ? List.of() : List.copyOf(values);
    }
}
