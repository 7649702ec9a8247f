package io.klingrelay.klingemulator.spec;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * A validated create request, product-independent.
 *
 * @param modelName resolved {@code model_name} ({@code kling-v1} when absent)
 * @param mode {@code std}/{@code pro}/{@code 4k}
 * @param prompt the prompt, "" when none (i2v)
 * @param aspectRatio {@code aspect_ratio} (i2v: {@code 16:9}, it is not part of its schema)
 * @param duration request {@code duration} in seconds as sent ({@code "5"}), null for images
 * @param outputs number of result items (videos: 1, images: {@code n})
 * @param slots concurrency slots the task holds while running (videos: 1, images: {@code n})
 * @param callbackUrl {@code callback_url} or null
 * @param externalTaskId {@code external_task_id} or null
 * @param watermark {@code watermark_info.enabled}: result items also carry {@code watermark_url}
 * @param parentVideo the source video of a derived-video product (video-extend), echoed as
 *     {@code task_info.parent_video}
 * @param failureReason set when the request is accepted but the task must end {@code failed} (e.g. a motion-brush
 *     mask whose size does not match the image, §19 item 23); null otherwise
 * @param units the units a successful task is charged, from the units table (2026 models, legacy names of the
 *     same models); null = the legacy rule of {@code Units}
 */
public record TaskSpec(
        String modelName,
        String mode,
        String prompt,
        String aspectRatio,
        @Nullable String duration,
        int outputs,
        int slots,
        @Nullable String callbackUrl,
        @Nullable String externalTaskId,
        boolean watermark,
        @Nullable ParentVideo parentVideo,
        @Nullable String failureReason,
        @Nullable BigDecimal units) {

    public TaskSpec(String modelName, String mode, String prompt, String aspectRatio, @Nullable String duration,
            int outputs, int slots, @Nullable String callbackUrl, @Nullable String externalTaskId) {
        this(modelName, mode, prompt, aspectRatio, duration, outputs, slots, callbackUrl, externalTaskId, false, null,
                null, null);
    }

    /** The constructor before {@code units} existed: units from the legacy rule. */
    public TaskSpec(String modelName, String mode, String prompt, String aspectRatio, @Nullable String duration,
            int outputs, int slots, @Nullable String callbackUrl, @Nullable String externalTaskId, boolean watermark,
            @Nullable ParentVideo parentVideo, @Nullable String failureReason) {
        this(modelName, mode, prompt, aspectRatio, duration, outputs, slots, callbackUrl, externalTaskId, watermark,
                parentVideo, failureReason, null);
    }

    /** @return a copy charged {@code chargedUnits} on success (null = the legacy rule) */
    public TaskSpec withUnits(@Nullable BigDecimal chargedUnits) {
        return new TaskSpec(modelName, mode, prompt, aspectRatio, duration, outputs, slots, callbackUrl,
                externalTaskId, watermark, parentVideo, failureReason, chargedUnits);
    }

    /** @return a copy with the {@code watermark_info.enabled} flag */
    public TaskSpec withWatermark(boolean enabled) {
        return new TaskSpec(modelName, mode, prompt, aspectRatio, duration, outputs, slots, callbackUrl,
                externalTaskId, enabled, parentVideo, failureReason, units);
    }

    /** @return a copy whose task will end {@code failed} with {@code reason} */
    public TaskSpec withFailureReason(@Nullable String reason) {
        return new TaskSpec(modelName, mode, prompt, aspectRatio, duration, outputs, slots, callbackUrl,
                externalTaskId, watermark, parentVideo, reason, units);
    }

    /**
     * @param id the source video's {@code id}
     * @param url its URL
     * @param duration its result duration, e.g. {@code "5.1"}
     */
    public record ParentVideo(String id, String url, String duration) {
    }
}
