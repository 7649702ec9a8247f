package io.klingrelay.klingclient.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.klingrelay.common.event.AssetKind;
import io.klingrelay.common.event.TaskAsset;
import io.klingrelay.common.event.TaskStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A Kling task as the single query's {@code data} and the callback body carry it
 * (kling-api.md §10.2, §11.2); the same object for create (where only id, status, info and
 * times are set). Unknown fields are ignored; optional parts ({@code task_info},
 * {@code task_result}, {@code images[].index}) may be absent (§8, §16). A task of the 2026 API
 * (§15) is read into the same shape by {@link #fromNewApi(JsonNode)}, so the relay handles both
 * surfaces alike.
 *
 * @param taskId        {@code task_id}, an opaque string (18 digits today)
 * @param taskStatus    {@code task_status}, Kling's spelling
 * @param taskStatusMsg {@code task_status_msg}: "" except on {@code failed}
 * @param taskInfo      {@code task_info}, may be absent (Feb 2025 shape)
 * @param taskResult    {@code task_result}, absent or empty before {@code succeed}
 * @param createdAt     {@code created_at}, epoch milliseconds
 * @param updatedAt     {@code updated_at}, epoch milliseconds
 * @param finalUnitDeduction {@code final_unit_deduction}, the units the task cost, a decimal string
 *                      such as {@code "8"} or {@code "0.04"} (kling-api.md §4.2, since 2026-01-23);
 *                      absent before the task ends and in older answers. For a 2026 task, the sum of
 *                      its {@code billing[]} entries of {@code charge_type} {@code unit}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record KlingTask(
        @JsonProperty("task_id") String taskId,
        @JsonProperty("task_status") String taskStatus,
        @JsonProperty("task_status_msg") @Nullable String taskStatusMsg,
        @JsonProperty("task_info") @Nullable TaskInfo taskInfo,
        @JsonProperty("task_result") @Nullable TaskResult taskResult,
        @JsonProperty("created_at") @Nullable Long createdAt,
        @JsonProperty("updated_at") @Nullable Long updatedAt,
        @JsonProperty("final_unit_deduction") @Nullable String finalUnitDeduction) {

    /** The 2026 API's success spelling (kling-api.md §10.1, §15), read as the relay's {@code succeed}. */
    public static final String NEW_API_SUCCEEDED = "succeeded";

    /**
     * A task without a known unit deduction (the shape before 2026-01-23).
     *
     * @param taskId        {@code task_id}
     * @param taskStatus    {@code task_status}
     * @param taskStatusMsg {@code task_status_msg}
     * @param taskInfo      {@code task_info}
     * @param taskResult    {@code task_result}
     * @param createdAt     {@code created_at}, epoch milliseconds
     * @param updatedAt     {@code updated_at}, epoch milliseconds
     */
    public KlingTask(String taskId, String taskStatus, @Nullable String taskStatusMsg, @Nullable TaskInfo taskInfo,
            @Nullable TaskResult taskResult, @Nullable Long createdAt, @Nullable Long updatedAt) {
        this(taskId, taskStatus, taskStatusMsg, taskInfo, taskResult, createdAt, updatedAt, null);
    }

    /**
     * Reads one task of the 2026 API (kling-api.md §15): a create answer's {@code data}, one entry
     * of {@code GET /tasks?task_ids=…}'s {@code data[]} or a 2026 callback body, into the relay's
     * shape: {@code id} → {@code task_id}; {@code status} {@code submitted|processing|succeeded|failed}
     * with {@code succeeded} normalised to {@code succeed}; {@code message} (or {@code status_msg})
     * → {@code task_status_msg}; {@code external_id} (or {@code external_task_id}) →
     * {@code task_info.external_task_id}; {@code outputs[]} entries of {@code type} {@code video}
     * ({@code id}, {@code url}, {@code duration}) and {@code image} ({@code index}, {@code url}) →
     * {@code task_result}; {@code billing[]} entries of {@code charge_type} {@code unit} (their
     * {@code amount}, {@code quantity} or {@code value}, number or decimal string), summed →
     * {@link #finalUnitDeduction()}; {@code create_time}/{@code update_time} (epoch milliseconds) →
     * {@code created_at}/{@code updated_at}. Other output types (audio, voice, element) and unknown
     * fields are ignored. Pure function; thread-safe.
     *
     * @param data one 2026 task object
     * @return the task; {@code taskId}/{@code taskStatus} are null when {@code id}/{@code status}
     *         are missing (callers treat such an answer as unusable)
     */
    public static KlingTask fromNewApi(JsonNode data) {
        String externalId = NewApiTask.text(data, "external_id", "external_task_id");
        Long createdAt = NewApiTask.epochMillis(data, "create_time", "created_at");
        Long updatedAt = NewApiTask.epochMillis(data, "update_time", "updated_at");
        return new KlingTask(NewApiTask.text(data, "id", "task_id"), normaliseStatus(NewApiTask.text(data, "status")),
                NewApiTask.text(data, "message", "status_msg"), externalId == null ? null : new TaskInfo(externalId),
                NewApiTask.result(data.get("outputs")), createdAt, updatedAt, NewApiTask.units(data.get("billing")));
    }

    /**
     * @param status a {@code status} of either surface, or null
     * @return {@code succeed} for the 2026 {@code succeeded}, otherwise the value as is
     */
    public static @Nullable String normaliseStatus(@Nullable String status) {
        return NEW_API_SUCCEEDED.equals(status) ? TaskStatus.SUCCEED.wireName() : status;
    }

    /**
     * The units the task cost: {@code final_unit_deduction} at the top level (kling-api.md §10.2,
     * §11.2), else in {@code task_info}; for a 2026 task its unit {@code billing[]}.
     *
     * @return the units, empty when Kling did not say or sent something that is not a decimal number
     */
    public Optional<BigDecimal> units() {
        String raw = finalUnitDeduction != null ? finalUnitDeduction
                : taskInfo == null ? null : taskInfo.finalUnitDeduction();
        return NewApiTask.decimal(raw);
    }

    /**
     * @return the parsed status
     * @throws IllegalArgumentException when Kling sent a status outside §10.1
     */
    public TaskStatus status() {
        return TaskStatus.fromWire(taskStatus);
    }

    /** @return {@code task_info.external_task_id}, when present */
    public Optional<String> externalTaskId() {
        return Optional.ofNullable(taskInfo).map(TaskInfo::externalTaskId);
    }

    /** @return {@code updated_at} as an instant, when present */
    public Optional<Instant> updatedAtInstant() {
        return Optional.ofNullable(updatedAt).map(Instant::ofEpochMilli);
    }

    /**
     * What makes a {@code succeed} answer unusable, if anything: no video and no image in
     * {@code task_result}, or an entry without a {@code url} (kling-api.md §10.2 promises one per
     * entry; a gateway or a partial answer may not carry it).
     *
     * @return the defect in words, empty when the task is not {@code succeed} or its result is usable
     */
    public Optional<String> resultDefect() {
        if (!TaskStatus.SUCCEED.wireName().equals(taskStatus)) {
            return Optional.empty();
        }
        List<Video> videos = taskResult == null || taskResult.videos() == null ? List.of() : taskResult.videos();
        List<Image> images = taskResult == null || taskResult.images() == null ? List.of() : taskResult.images();
        if (videos.isEmpty() && images.isEmpty()) {
            return Optional.of("Kling reported succeed without any video or image in task_result");
        }
        for (int i = 0; i < videos.size(); i++) {
            if (videos.get(i) == null || isBlank(videos.get(i).url())) {
                return Optional.of("Kling reported succeed but task_result.videos[" + i + "] has no url");
            }
        }
        for (int i = 0; i < images.size(); i++) {
            if (images.get(i) == null || isBlank(images.get(i).url())) {
                return Optional.of("Kling reported succeed but task_result.images[" + i + "] has no url");
            }
        }
        return Optional.empty();
    }

    /**
     * The task as the relay treats it: a {@code succeed} answer with a {@link #resultDefect()} is a
     * generation failure ({@code failed}, the defect as {@code task_status_msg}, no result), so it
     * ends the request with a clear reason instead of wedging it; any other task is returned as is.
     *
     * @return this task, or its failed reading
     */
    public KlingTask withUsableResult() {
        return resultDefect()
                .map(defect -> new KlingTask(taskId, TaskStatus.FAILED.wireName(), defect, taskInfo, null, createdAt,
                        updatedAt, finalUnitDeduction))
                .orElse(this);
    }

    private static boolean isBlank(@Nullable String value) {
        return value == null || value.isBlank();
    }

    /**
     * @return every video then every image of {@code task_result}, in Kling's order; empty before
     *         success. Entries without a {@code url} are left out (see {@link #resultDefect()}).
     */
    public List<TaskAsset> assets() {
        List<TaskAsset> assets = new ArrayList<>();
        if (taskResult == null) {
            return assets;
        }
        List<Video> videos = taskResult.videos() == null ? List.of() : taskResult.videos();
        for (int i = 0; i < videos.size(); i++) {
            Video video = videos.get(i);
            if (video == null || isBlank(video.url())) {
                continue;
            }
            assets.add(new TaskAsset(AssetKind.VIDEO, i, video.id(), video.url(), video.duration()));
        }
        List<Image> images = taskResult.images() == null ? List.of() : taskResult.images();
        for (int i = 0; i < images.size(); i++) {
            Image image = images.get(i);
            if (image == null || isBlank(image.url())) {
                continue;
            }
            assets.add(new TaskAsset(AssetKind.IMAGE, image.index() == null ? i : image.index(), null, image.url(), null));
        }
        return assets;
    }

    /**
     * @param externalTaskId     {@code external_task_id}, absent when none was given
     * @param finalUnitDeduction {@code final_unit_deduction} where an answer carries it inside
     *                           {@code task_info} (a decimal string), absent otherwise
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TaskInfo(@JsonProperty("external_task_id") @Nullable String externalTaskId,
            @JsonProperty("final_unit_deduction") @Nullable String finalUnitDeduction) {

        /** @param externalTaskId {@code external_task_id}, absent when none was given */
        public TaskInfo(@Nullable String externalTaskId) {
            this(externalTaskId, null);
        }
    }

    /**
     * @param videos {@code task_result.videos}
     * @param images {@code task_result.images}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TaskResult(@Nullable List<Video> videos, @Nullable List<Image> images) {
    }

    /**
     * @param id       video id (opaque: UUID or numeric string)
     * @param url      signed download URL (absent only in a defective answer, see {@link KlingTask#resultDefect()})
     * @param duration seconds with decimals, e.g. {@code "5.1"}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Video(@Nullable String id, @Nullable String url, @Nullable String duration) {
        @Override
        public String toString() {
            return "Video[id=" + id + ", duration=" + duration + "]";
        }
    }

    /**
     * @param index 0 … n−1; absent in some 2024 answers
     * @param url   signed download URL (absent only in a defective answer, see {@link KlingTask#resultDefect()})
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Image(@Nullable Integer index, @Nullable String url) {
        @Override
        public String toString() {
            return "Image[index=" + index + "]";
        }
    }
}
