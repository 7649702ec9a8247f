package io.klingrelay.klingemulator.product;

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
        @Nullable String externalTaskId) {
}
