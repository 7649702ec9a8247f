package io.klingrelay.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Success: every asset of a task is in object storage. Published on
 * {@code klingrelay.assets.archived} (key: request id) with
 * {@code eventId = EventIds.forRequest(accountId, requestId, "archived")}.
 *
 * @param schemaVersion payload schema version
 * @param eventId       deterministic event id
 * @param requestId     the request id
 * @param accountId     the account
 * @param campaignId    the campaign, when known
 * @param product       the Kling product, when known
 * @param taskId        Kling's {@code task_id}
 * @param assets        the stored objects, in Kling's order
 * @param archivedAt    when the last object was stored
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AssetsArchived(
        int schemaVersion,
        String eventId,
        String requestId,
        String accountId,
        @Nullable String campaignId,
        @Nullable Product product,
        String taskId,
        List<ArchivedAsset> assets,
        Instant archivedAt) implements KlingRelayEvent {

    public AssetsArchived {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(taskId, "taskId");
        assets = assets == null ? List.of() : List.copyOf(assets);
        Objects.requireNonNull(archivedAt, "archivedAt");
        eventId = eventId == null ? EventIds.forRequest(accountId, requestId, "archived") : eventId;
    }
}
