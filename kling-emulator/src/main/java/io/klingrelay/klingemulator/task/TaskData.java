package io.klingrelay.klingemulator.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The task object of the legacy API: single-query {@code data}, list items and the callback body
 * (kling-api.md §10.2, §11.2). Null fields are omitted.
 *
 * @param taskId 18-digit numeric string
 * @param taskStatus {@code submitted|processing|succeed|failed}
 * @param taskStatusMessage "" except on {@code failed}; omitted in the create reply
 * @param taskInfo {@code {external_task_id}} or {@code {}}
 * @param taskResult present once {@code succeed}
 * @param finalUnitDeduction units charged, terminal tasks only (2026 field)
 * @param finalBalanceDeduction {@code {quota, list_price}}, terminal tasks only (2026 field)
 * @param watermarkInfo {@code {enabled}} echoed when the create asked for it
 * @param createdAt epoch ms
 * @param updatedAt epoch ms
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskData(
        @JsonProperty("task_id") String taskId,
        @JsonProperty("task_status") String taskStatus,
        @JsonProperty("task_status_msg") @Nullable String taskStatusMessage,
        @JsonProperty("task_info") @Nullable TaskInfo taskInfo,
        @JsonProperty("task_result") @Nullable TaskResult taskResult,
        @JsonProperty("final_unit_deduction") @Nullable String finalUnitDeduction,
        @JsonProperty("final_balance_deduction") @Nullable BalanceDeduction finalBalanceDeduction,
        @JsonProperty("watermark_info") @Nullable WatermarkInfo watermarkInfo,
        @JsonProperty("created_at") long createdAt,
        @JsonProperty("updated_at") long updatedAt) {

    /**
     * @param externalTaskId omitted when none was given, so the object is {@code {}}
     * @param parentVideo the source video of derived-video products (video-extend)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TaskInfo(
            @JsonProperty("parent_video") @Nullable ParentVideo parentVideo,
            @JsonProperty("external_task_id") @Nullable String externalTaskId) {

        public TaskInfo(@Nullable String externalTaskId) {
            this(null, externalTaskId);
        }
    }

    /** {@code task_info.parent_video}. */
    public record ParentVideo(String id, String url, String duration) {
    }

    /** @param enabled whether results carry {@code watermark_url} */
    public record WatermarkInfo(boolean enabled) {
    }

    /**
     * @param quota units taken from the quota, as a string
     * @param listPrice list price of the task, as a string
     */
    public record BalanceDeduction(String quota, @JsonProperty("list_price") String listPrice) {
    }

    /** All three arrays are always present, as in the real Dec 2025 callback (R2). */
    public record TaskResult(List<ImageItem> images, List<VideoItem> videos, List<Object> audios) {
    }

    /**
     * @param index 0 … n−1
     * @param url signed asset URL
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ImageItem(int index, String url, @JsonProperty("watermark_url") @Nullable String watermarkUrl) {
    }

    /**
     * @param id numeric string
     * @param url signed asset URL
     * @param duration seconds with decimals, e.g. {@code "5.1"}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VideoItem(String id, String url, @JsonProperty("watermark_url") @Nullable String watermarkUrl,
            String duration) {
    }
}
