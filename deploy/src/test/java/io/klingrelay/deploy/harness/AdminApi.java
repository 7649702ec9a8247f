package io.klingrelay.deploy.harness;

import io.klingrelay.common.json.EventJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The admin APIs of the emulator ({@code /admin/stats}, {@code /admin/settings},
 * {@code /admin/accounts/{id}/concurrency}, {@code /admin/tasks/{task_id}}) and of the submitter
 * ({@code /admin/accounts}), as JSON.
 */
public final class AdminApi {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;

    /** @param baseUrl e.g. {@code http://127.0.0.1:8090} */
    public AdminApi(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /**
     * @param accountId an emulator account
     * @return its counters: creates, duplicateExternalTaskIds, maxRunning, running, capacityRejections, errorCodes
     */
    public JsonNode emulatorAccountStats(String accountId) {
        JsonNode stats = get("/admin/stats").get("accounts").get(accountId);
        if (stats == null) {
            throw new IllegalStateException("the emulator has no stats for account " + accountId);
        }
        return stats;
    }

    /**
     * @param taskId a Kling {@code task_id}
     * @return the task's {@code created_at}, epoch ms
     */
    public long taskCreatedAt(String taskId) {
        return taskTimes(taskId).createdAt();
    }

    /**
     * @param taskId a Kling {@code task_id}
     * @return the task's {@code created_at} and {@code updated_at} (its end, once it ended)
     */
    public TaskTimes taskTimes(String taskId) {
        JsonNode task = get("/admin/tasks/" + taskId).get("task");
        return new TaskTimes(task.get("created_at").asLong(), task.get("updated_at").asLong());
    }

    /**
     * A task's times on the emulator's clock (the same machine's clock as the Kafka record timestamps).
     *
     * @param createdAt {@code created_at}, epoch ms
     * @param updatedAt {@code updated_at}, epoch ms: when it ended, for an ended task
     */
    public record TaskTimes(long createdAt, long updatedAt) {
    }

    /**
     * @param accountId an account configured on the submitter
     * @return its admission state ({@code effectiveLimit}, {@code queued}, {@code permitsInUse}, …)
     */
    public JsonNode submitterAccount(String accountId) {
        for (JsonNode account : get("/admin/accounts")) {
            if (accountId.equals(account.get("accountId").asString())) {
                return account;
            }
        }
        throw new IllegalStateException("the submitter does not know account " + accountId);
    }

    /**
     * @param path e.g. {@code /admin/stats}
     * @return the 2xx answer's JSON body
     */
    public JsonNode get(String path) {
        return EventJson.mapper().readTree(send("GET", path, null));
    }

    /**
     * @param method the HTTP method
     * @param path   the path
     * @param json   the JSON body, or null
     * @return the 2xx answer's body
     * @throws IllegalStateException on any other status
     */
    public String send(String method, String path, @Nullable String json) {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json);
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Content-Type", "application/json")
                .method(method, body).timeout(Duration.ofSeconds(30)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + baseUrl + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
