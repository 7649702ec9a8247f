package io.klingrelay.klingemulator.task;

import io.klingrelay.klingemulator.spec.Product;
import io.klingrelay.klingemulator.spec.TaskSpec;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One task; immutable, replaced in {@link TaskStore} on each transition.
 *
 * @param taskId 18-digit numeric string
 * @param accountId owner
 * @param product the product whose path created it (the only path it is visible under)
 * @param spec the validated create request
 * @param status current status
 * @param statusMessage {@code task_status_msg}: "" except on {@code failed}
 * @param createdAt epoch ms
 * @param updatedAt epoch ms, changes on every transition
 * @param failureMessage decided at create: the {@code task_status_msg} the task ends {@code failed} with;
 *     null = it ends {@code succeed}
 * @param outputIds result item ids (video {@code id}s), one per output
 * @param sequence creation order, for newest-first lists
 */
public record Task(
        String taskId,
        String accountId,
        Product product,
        TaskSpec spec,
        TaskStatus status,
        String statusMessage,
        long createdAt,
        long updatedAt,
        @Nullable String failureMessage,
        List<String> outputIds,
        long sequence) {

    public Task moveTo(TaskStatus next, long now, String message) {
        if (!TaskStatus.isAllowed(status, next)) {
            throw new IllegalStateException("illegal status transition " + status + " -> " + next + " of task " + taskId);
        }
        return new Task(taskId, accountId, product, spec, next, message, createdAt, Math.max(now, updatedAt + 1),
                failureMessage, outputIds, sequence);
    }

    public boolean willFail() {
        return failureMessage != null;
    }
}
