package io.klingrelay.klingemulator.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The task object of the 2026 API (kling-api.md §15): create reply {@code data}, batch-query {@code data[]} items,
 * cursor-listing {@code data.result[]} items and the callback body. Null fields are omitted.
 *
 * @param id the task id (the same 18-digit numeric string the legacy surface calls {@code task_id})
 * @param status {@code submitted|processing|succeeded|failed}
 * @param message "" except on {@code failed}, where it is the failure reason
 * @param createTime epoch ms
 * @param updateTime epoch ms, changes on every status change
 * @param externalId the caller's {@code options.external_task_id}; omitted when none was given
 * @param outputs results: empty until {@code succeeded}; omitted in the create reply
 * @param billing charges: one {@code unit} entry once {@code succeeded}, empty before and on {@code failed};
 *     omitted in the create reply
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NewTaskData(
        String id,
        String status,
        String message,
        @JsonProperty("create_time") long createTime,
        @JsonProperty("update_time") long updateTime,
        @JsonProperty("external_id") @Nullable String externalId,
        @Nullable List<Output> outputs,
        @Nullable List<Billing> billing) {

    /**
     * One result item; {@code type} decides which fields are set.
     *
     * @param type {@code video} or {@code image}
     * @param id video id (numeric string); images have none (§15)
     * @param url signed asset URL
     * @param watermarkUrl the watermarked copy, when {@code options.watermark_info.enabled}
     * @param duration videos: seconds with decimals, as a string ({@code "5.1"})
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Output(
            String type,
            @Nullable String id,
            String url,
            @JsonProperty("watermark_url") @Nullable String watermarkUrl,
            @Nullable String duration) {
    }

    /**
     * One charge. The emulator only charges resource-pack units.
     *
     * @param chargeType {@code unit}
     * @param amount units as a decimal string, equal to the legacy {@code final_unit_deduction}
     * @param packageType {@code video} or {@code image}
     */
    public record Billing(
            @JsonProperty("charge_type") String chargeType,
            String amount,
            @JsonProperty("package_type") String packageType) {
    }
}
