package io.klingrelay.klingemulator.config;

import io.klingrelay.klingemulator.config.EmulatorProperties.DuplicatePolicy;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Settings that tests change at run time through {@code /admin/settings}; starts from
 * {@link EmulatorProperties}. Every field is volatile: readers see a change on their next request.
 */
@Component
public class EmulatorSettings {

    private volatile boolean callbacksEnabled;
    private volatile boolean intermediateCallbacks;
    private volatile double timeScale;
    private volatile DuplicatePolicy duplicatePolicy;
    private volatile double failureRate;
    private volatile String failureMarker;
    private volatile String era;
    private volatile boolean rejectUnsupportedParameters;
    private volatile boolean emptyResultBeforeSuccess;
    private volatile boolean taskInfoOnCreate;
    private volatile int unknownModelCode;
    private volatile int unknownTaskCode;
    private final Map<String, Integer> concurrency = new ConcurrentHashMap<>();

    public EmulatorSettings(EmulatorProperties properties) {
        this.callbacksEnabled = properties.callbacks().enabled();
        this.intermediateCallbacks = properties.callbacks().intermediate();
        this.timeScale = properties.timeScale();
        this.duplicatePolicy = properties.duplicateExternalTaskId();
        this.failureRate = properties.failures().rate();
        this.failureMarker = properties.failures().promptMarker();
        this.era = properties.era();
        this.rejectUnsupportedParameters = "reject".equals(properties.unsupportedParameters());
        this.emptyResultBeforeSuccess = "empty".equals(properties.taskResultBeforeSuccess());
        this.taskInfoOnCreate = properties.taskInfoOnCreate();
        this.unknownModelCode = properties.unknownModelCode();
        this.unknownTaskCode = properties.unknownTaskCode();
        properties.accounts().forEach(account -> concurrency.put(account.id(), account.concurrency()));
    }

    public boolean callbacksEnabled() {
        return callbacksEnabled;
    }

    public boolean intermediateCallbacks() {
        return intermediateCallbacks;
    }

    public double timeScale() {
        return timeScale;
    }

    public DuplicatePolicy duplicatePolicy() {
        return duplicatePolicy;
    }

    public double failureRate() {
        return failureRate;
    }

    public String failureMarker() {
        return failureMarker;
    }

    /** @return true for the 2026 result shape (with {@code final_unit_deduction}/{@code final_balance_deduction}) */
    public boolean era2026() {
        return "2026".equals(era);
    }

    /** @return true when {@code cfg_scale} on v2.x models and {@code mode} on kling-v2-master answer 1201 */
    public boolean rejectUnsupportedParameters() {
        return rejectUnsupportedParameters;
    }

    /** @return true when unfinished tasks carry {@code task_result} with empty arrays instead of none */
    public boolean emptyResultBeforeSuccess() {
        return emptyResultBeforeSuccess;
    }

    /** @return whether the create reply carries {@code task_info} */
    public boolean taskInfoOnCreate() {
        return taskInfoOnCreate;
    }

    /**
     * @return the code answered for an unknown {@code model_name} or one the product does not offer: 1201 (HTTP
     *     400, default) or 1203 (HTTP 404); kling-api.md §19 item 25 ❓
     */
    public int unknownModelCode() {
        return unknownModelCode;
    }

    /**
     * @return the code answered for a query whose id matches neither a {@code task_id} nor an
     *     {@code external_task_id}: 1203 (HTTP 404, default) or 1201 (HTTP 400); kling-api.md §19 item 37 ❓
     */
    public int unknownTaskCode() {
        return unknownTaskCode;
    }

    /** @return the account's slot limit, empty for an unknown account */
    public Optional<Integer> concurrency(String accountId) {
        return Optional.ofNullable(concurrency.get(accountId));
    }

    /** @return false when the account is unknown */
    public boolean setConcurrency(String accountId, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("concurrency must be greater than or equal to 1");
        }
        return concurrency.computeIfPresent(accountId, (id, old) -> limit) != null;
    }

    /** Applies the non-null fields of a patch; rejects out-of-range values before changing anything. */
    public synchronized void apply(SettingsPatch patch) {
        patch.validate();
        if (patch.callbacksEnabled() != null) {
            callbacksEnabled = patch.callbacksEnabled();
        }
        if (patch.intermediateCallbacks() != null) {
            intermediateCallbacks = patch.intermediateCallbacks();
        }
        if (patch.timeScale() != null) {
            timeScale = patch.timeScale();
        }
        if (patch.duplicateExternalTaskId() != null) {
            duplicatePolicy = patch.duplicateExternalTaskId();
        }
        if (patch.failureRate() != null) {
            failureRate = patch.failureRate();
        }
        if (patch.failurePromptMarker() != null) {
            failureMarker = patch.failurePromptMarker();
        }
        if (patch.era() != null) {
            era = patch.era();
        }
        if (patch.unsupportedParameters() != null) {
            rejectUnsupportedParameters = "reject".equals(patch.unsupportedParameters());
        }
        if (patch.taskResultBeforeSuccess() != null) {
            emptyResultBeforeSuccess = "empty".equals(patch.taskResultBeforeSuccess());
        }
        if (patch.taskInfoOnCreate() != null) {
            taskInfoOnCreate = patch.taskInfoOnCreate();
        }
        if (patch.unknownModelCode() != null) {
            unknownModelCode = patch.unknownModelCode();
        }
        if (patch.unknownTaskCode() != null) {
            unknownTaskCode = patch.unknownTaskCode();
        }
    }

    public SettingsView view() {
        return new SettingsView(callbacksEnabled, intermediateCallbacks, timeScale, duplicatePolicy,
                failureRate, failureMarker, Map.copyOf(concurrency), era,
                rejectUnsupportedParameters ? "reject" : "ignore", emptyResultBeforeSuccess ? "empty" : "omit",
                taskInfoOnCreate, unknownModelCode, unknownTaskCode);
    }
}
