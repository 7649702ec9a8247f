package io.klingrelay.coordination.task;

import io.klingrelay.common.event.Product;
import org.jspecify.annotations.Nullable;

/**
 * What a task's generation time depends on, from the request's {@code input} as the submitter parked
 * it ({@code record-task.lua} copies the fields into the task hash): the poller learns an expected
 * duration per shape (issue 9, "Adaptive schedule"). Every field but the product may be absent (a
 * request without it, or a task recorded before this field existed).
 *
 * @param product   the product
 * @param modelName {@code model_name}, e.g. {@code kling-v1-6}
 * @param mode      {@code mode}, e.g. {@code std} or {@code pro}
 * @param duration  {@code duration} in seconds as sent, e.g. {@code 5}
 */
public record TaskShape(Product product, @Nullable String modelName, @Nullable String mode,
        @Nullable String duration) {

    /** @return a stable text key, e.g. {@code text-to-video/kling-v1-6/std/5} ({@code -} for an absent field) */
    public String key() {
        return product.wireName() + "/" + orDash(modelName) + "/" + orDash(mode) + "/" + orDash(duration);
    }

    private static String orDash(@Nullable String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }
}
