package io.klingrelay.coordination.dispatch;

import io.klingrelay.common.event.Product;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The Kling task a dispatch created or adopted, as {@link Dispatches#recordTask} records it.
 *
 * @param taskId      Kling's {@code task_id}
 * @param product     the product it was created under (its query path)
 * @param campaignId  the request's campaign, if any
 * @param submittedAt when the create call returned
 * @param permits     permits the task holds (1, or {@code n} for images)
 */
public record CreatedTask(String taskId, Product product, @Nullable String campaignId, Instant submittedAt,
        int permits) {

    public CreatedTask {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(submittedAt, "submittedAt");
    }
}
