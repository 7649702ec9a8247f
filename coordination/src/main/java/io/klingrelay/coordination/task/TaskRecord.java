package io.klingrelay.coordination.task;

import io.klingrelay.common.event.Product;
import io.klingrelay.common.event.TaskStatus;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A recorded task (the {@code task} hash of {@code RedisKeys}).
 *
 * @param requestId   the request id ({@code external_task_id})
 * @param accountId   the account
 * @param taskId      Kling's {@code task_id}
 * @param product     the product
 * @param campaignId  the campaign, if any
 * @param status      the last status accepted
 * @param submittedAt when the create call returned
 * @param permits     permits held for the task
 * @param published   whether the terminal event has been published
 */
public record TaskRecord(
        String requestId,
        String accountId,
        String taskId,
        Product product,
        @Nullable String campaignId,
        TaskStatus status,
        Instant submittedAt,
        int permits,
        boolean published) {
}
