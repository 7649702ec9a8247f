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
        @JsonProperty("created_at") long createdAt,
        @JsonProperty("updated_at") long updatedAt) {

    /** @param externalTaskId omitted when none was given, so the object is {@code {}} */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TaskInfo(@JsonProperty("external_task_id") @Nullable String externalTaskId) {
    }

    /** All three arrays are always present, as in the real Dec 2025 callback (R2). */
    public record TaskResult(List<ImageItem> images, List<VideoItem> videos, List<Object> audios) {
    }

    /**
     * @param index 0 … n−1
     * @param url signed asset URL
     */
    public record ImageItem(int index, String url) {
    }

    /**
     * @param id numeric string
     * @param url signed asset URL
     * @param duration seconds with decimals, e.g. {@code "5.1"}
     */
    public record VideoItem(String id, String url, String duration) {
    }
}
