package io.klingrelay.klingclient.api;

import org.jspecify.annotations.Nullable;

/**
 * Which of Kling's two API surfaces a request speaks, chosen by its model name (kling-api.md §2,
 * §15): the legacy {@code /v1} surface for the {@code kling-v*} names (including
 * {@code kling-video-o1}), the 2026 path-per-model surface for every other name
 * ({@code kling-3.0}, {@code kling-3.0-turbo}, {@code kling-3.0-omni}, {@code kling-o1},
 * {@code kling-2.6}, {@code kling-2.5-turbo}, …). The 2026 surface accepts an API key only (§3.3).
 */
public enum KlingSurface {
    /** {@code /v1/...} with {@code model_name} in the body; AK/SK JWT or API key. */
    LEGACY,
    /** {@code POST /<product>/{model}}, {@code contents}/{@code settings}/{@code options}; API key only. */
    NEW_API;

    private static final String LEGACY_PREFIX = "kling-v";

    /**
     * @param modelName the request's model name, or null (the product's legacy default)
     * @return {@link #LEGACY} for null and {@code kling-v*} names, else {@link #NEW_API}
     */
    public static KlingSurface ofModel(@Nullable String modelName) {
        return modelName == null || modelName.startsWith(LEGACY_PREFIX) ? LEGACY : NEW_API;
    }
}
