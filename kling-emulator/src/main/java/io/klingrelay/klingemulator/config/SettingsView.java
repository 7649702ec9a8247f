package io.klingrelay.klingemulator.config;

import io.klingrelay.klingemulator.config.EmulatorProperties.DuplicatePolicy;
import java.util.Map;

/** Body of {@code GET /admin/settings}: the current run-time settings. */
public record SettingsView(
        boolean callbacksEnabled,
        boolean intermediateCallbacks,
        double timeScale,
        DuplicatePolicy duplicateExternalTaskId,
        double failureRate,
        String failurePromptMarker,
        Map<String, Integer> concurrency,
        String era,
        String unsupportedParameters,
        String taskResultBeforeSuccess,
        boolean taskInfoOnCreate,
        int unknownModelCode,
        int unknownTaskCode) {
}
