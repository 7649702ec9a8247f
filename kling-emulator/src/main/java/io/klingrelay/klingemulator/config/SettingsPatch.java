package io.klingrelay.klingemulator.config;

import io.klingrelay.klingemulator.config.EmulatorProperties.DuplicatePolicy;
import org.jspecify.annotations.Nullable;

/**
 * Body of {@code PATCH /admin/settings}; absent (null) fields stay unchanged.
 *
 * @param callbacksEnabled send callbacks at all
 * @param intermediateCallbacks also deliver {@code submitted}/{@code processing}
 * @param timeScale phase-duration factor, &gt; 0; applies to phases scheduled afterwards
 * @param duplicateExternalTaskId {@code REJECT}, {@code RETURN_EXISTING} or {@code ACCEPT_NEW}
 * @param failureRate probability in [0,1] of a task failing
 * @param failurePromptMarker prompts containing it fail; "" = off
 */
public record SettingsPatch(
        @Nullable Boolean callbacksEnabled,
        @Nullable Boolean intermediateCallbacks,
        @Nullable Double timeScale,
        @Nullable DuplicatePolicy duplicateExternalTaskId,
        @Nullable Double failureRate,
        @Nullable String failurePromptMarker) {

    void validate() {
        if (timeScale != null && !(timeScale > 0)) {
            throw new IllegalArgumentException("timeScale: must be greater than 0");
        }
        if (failureRate != null && !(failureRate >= 0 && failureRate <= 1)) {
            throw new IllegalArgumentException("failureRate: must be between 0 and 1");
        }
    }
}
