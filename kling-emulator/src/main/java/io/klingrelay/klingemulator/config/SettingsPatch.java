package io.klingrelay.klingemulator.config;

import io.klingrelay.klingemulator.config.EmulatorProperties.DuplicatePolicy;
import java.util.List;
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
 * @param era {@code 2025} or {@code 2026} result shape
 * @param unsupportedParameters {@code ignore} or {@code reject} ({@code cfg_scale} on v2.x, {@code mode} on
 *     kling-v2-master)
 * @param taskResultBeforeSuccess {@code omit} or {@code empty}
 * @param taskInfoOnCreate whether the create reply carries {@code task_info}
 * @param unknownModelCode {@code 1201} (HTTP 400) or {@code 1203} (HTTP 404) for an unknown {@code model_name}
 * @param unknownTaskCode {@code 1203} (HTTP 404) or {@code 1201} (HTTP 400) for a query id matching no task
 */
public record SettingsPatch(
        @Nullable Boolean callbacksEnabled,
        @Nullable Boolean intermediateCallbacks,
        @Nullable Double timeScale,
        @Nullable DuplicatePolicy duplicateExternalTaskId,
        @Nullable Double failureRate,
        @Nullable String failurePromptMarker,
        @Nullable String era,
        @Nullable String unsupportedParameters,
        @Nullable String taskResultBeforeSuccess,
        @Nullable Boolean taskInfoOnCreate,
        @Nullable Integer unknownModelCode,
        @Nullable Integer unknownTaskCode) {

    public SettingsPatch(@Nullable Boolean callbacksEnabled, @Nullable Boolean intermediateCallbacks,
            @Nullable Double timeScale, @Nullable DuplicatePolicy duplicateExternalTaskId, @Nullable Double failureRate,
            @Nullable String failurePromptMarker) {
        this(callbacksEnabled, intermediateCallbacks, timeScale, duplicateExternalTaskId, failureRate,
                failurePromptMarker, null, null, null, null, null, null);
    }

    void validate() {
        if (unsupportedParameters != null && !List.of("ignore", "reject").contains(unsupportedParameters)) {
            throw new IllegalArgumentException("unsupportedParameters: allowed values: ignore, reject");
        }
        if (taskResultBeforeSuccess != null && !List.of("omit", "empty").contains(taskResultBeforeSuccess)) {
            throw new IllegalArgumentException("taskResultBeforeSuccess: allowed values: omit, empty");
        }
        if (era != null && !"2025".equals(era) && !"2026".equals(era)) {
            throw new IllegalArgumentException("era: allowed values: 2025, 2026");
        }
        if (unknownModelCode != null && unknownModelCode != 1201 && unknownModelCode != 1203) {
            throw new IllegalArgumentException("unknownModelCode: allowed values: 1201, 1203");
        }
        if (unknownTaskCode != null && unknownTaskCode != 1201 && unknownTaskCode != 1203) {
            throw new IllegalArgumentException("unknownTaskCode: allowed values: 1201, 1203");
        }
        if (timeScale != null && !(timeScale > 0)) {
            throw new IllegalArgumentException("timeScale: must be greater than 0");
        }
        if (failureRate != null && !(failureRate >= 0 && failureRate <= 1)) {
            throw new IllegalArgumentException("failureRate: must be between 0 and 1");
        }
    }
}
