package io.klingrelay.klingemulator.admin;

import io.klingrelay.klingemulator.task.TaskData;
import java.util.List;

/**
 * Body of {@code GET /admin/tasks/{task_id}}.
 *
 * @param accountId owner
 * @param product base path of the product
 * @param task the task object as the query API returns it
 * @param assets one entry per output once {@code succeed}
 */
public record AdminTaskView(String accountId, String product, TaskData task, List<Asset> assets) {

    /**
     * @param url the signed URL
     * @param sha256 lower-case hex of the exact bytes served
     * @param size bytes
     */
    public record Asset(String url, String sha256, long size) {
    }
}
