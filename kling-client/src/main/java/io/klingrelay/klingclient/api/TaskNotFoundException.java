package io.klingrelay.klingclient.api;

import io.klingrelay.common.error.PermanentException;
import org.jspecify.annotations.Nullable;

/**
 * Kling's own envelope says the queried task does not exist (kling-api.md §12.1: 1203 with HTTP 404,
 * or 1201 with HTTP 400 for an unknown id, §17 item 3). This is the only answer a caller may read
 * as "absent": a failed lookup, a timeout or a proxy's 404 page is a
 * {@link io.klingrelay.common.error.TransientException} ("unknown"), see {@link KlingErrors#isTaskAbsent}.
 */
public final class TaskNotFoundException extends PermanentException {

    /**
     * @param detail     what was looked up, without secrets
     * @param klingCode  1203 or 1201
     * @param httpStatus 404 or 400
     * @param taskId     the {@code task_id} looked up, null for a lookup by {@code external_task_id}
     */
    public TaskNotFoundException(String detail, @Nullable Integer klingCode, int httpStatus, @Nullable String taskId) {
        super(detail, klingCode, httpStatus, taskId, null);
    }
}
