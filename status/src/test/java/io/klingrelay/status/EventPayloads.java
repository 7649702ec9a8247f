package io.klingrelay.status;

import io.klingrelay.common.json.EventJson;
import io.klingrelay.common.kafka.Topics;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON payloads the pipeline publishes on the six topics, as field maps (what a producer
 * writes on the wire), for one request of one campaign. Built as trees rather than through the
 * event records so that they also show the service reads fields it does not know yet.
 *
 * @param accountId  the account
 * @param requestId  the request id
 * @param campaignId the campaign
 */
public record EventPayloads(String accountId, String requestId, @Nullable String campaignId) {

    /** One record to publish: topic, key (as the pipeline keys it) and JSON value. */
    public record Payload(String topic, String key, String json) {
    }

    /**
     * @param at      the request time
     * @param retryOf the request it retries, or null
     * @return the {@code klingrelay.requests} record (key: account id)
     */
    public Payload requested(Instant at, @Nullable String retryOf) {
        ObjectNode node = base("rq-" + requestId)
                .put("priority", "campaign").put("product", "image-generation").put("createdAt", at.toString());
        node.putObject("input").put("model_name", "kling-v2").put("prompt", "a paper boat");
        if (retryOf != null) {
            node.put("retryOf", retryOf);
        }
        return new Payload(Topics.REQUESTS, accountId, node.toString());
    }

    /**
     * @param at when the create call returned
     * @return the {@code klingrelay.tasks.submitted} record (key: request id)
     */
    public Payload submitted(Instant at) {
        return byRequest(Topics.TASKS_SUBMITTED, base("sub-" + requestId).put("product", "image-generation")
                .put("taskId", taskId()).put("permits", 1).put("submittedAt", at.toString()));
    }

    /**
     * @param taskStatus {@code submitted}, {@code processing}, {@code succeed} or {@code failed}
     * @param at         when it was observed
     * @return a {@code klingrelay.tasks.status} record (key: request id)
     */
    public Payload status(String taskStatus, Instant at) {
        ObjectNode node = EventJson.mapper().createObjectNode().put("schemaVersion", 1)
                .put("eventId", UUID.nameUUIDFromBytes((requestId + taskStatus).getBytes()).toString())
                .put("requestId", requestId).put("accountId", accountId).put("taskId", taskId())
                .put("taskStatus", taskStatus).put("source", "webhook").put("observedAt", at.toString());
        return byRequest(Topics.TASKS_STATUS, node);
    }

    /**
     * @param succeed whether the task succeeded
     * @param units   Kling's {@code final_unit_deduction}, or null when not reported
     * @param at      when it completed
     * @return the {@code klingrelay.tasks.completed} record (key: request id)
     */
    public Payload completed(boolean succeed, @Nullable String units, Instant at) {
        ObjectNode node = base("done-" + requestId).put("product", "image-generation").put("taskId", taskId())
                .put("taskStatus", succeed ? "succeed" : "failed")
                .put("taskStatusMsg", succeed ? "" : "content policy").put("source", "poller")
                .put("completedAt", at.toString());
        node.putArray("assets");
        if (units != null) {
            node.put("units", units);
        }
        return byRequest(Topics.TASKS_COMPLETED, node);
    }

    /**
     * @param bucket    the bucket
     * @param objectKey the object key
     * @param url       the presigned URL the archiver signed
     * @param at        when it was archived
     * @return the {@code klingrelay.assets.archived} record (key: request id)
     */
    public Payload archived(String bucket, String objectKey, String url, Instant at) {
        ObjectNode node = base("arch-" + requestId).put("product", "image-generation").put("taskId", taskId())
                .put("archivedAt", at.toString());
        node.putArray("assets").addObject().put("kind", "image").put("index", 0).put("bucket", bucket)
                .put("objectKey", objectKey).put("size", 1234).put("sha256", "ab".repeat(32))
                .put("contentType", "image/png").put("presignedUrl", url)
                .put("presignedUrlExpiresAt", at.plusSeconds(3600).toString()).put("someNewField", true);
        return byRequest(Topics.ASSETS_ARCHIVED, node);
    }

    /**
     * @param stage  the failure stage
     * @param reason the reason
     * @param at     when it failed
     * @return the {@code klingrelay.requests.failed} record (key: request id)
     */
    public Payload failed(String stage, String reason, Instant at) {
        return byRequest(Topics.REQUESTS_FAILED, base("fail-" + requestId).put("stage", stage).put("reason", reason)
                .put("taskId", taskId()).put("failedAt", at.toString()));
    }

    /**
     * The events of a request that ends archived.
     *
     * @param start the request time; later events follow at one-second steps
     * @param units the units Kling reports
     * @return requested, submitted, processing, completed, archived
     */
    public List<Payload> archivedJourney(Instant start, String units) {
        return List.of(requested(start, null), submitted(start.plusSeconds(1)), status("processing", start.plusSeconds(2)),
                completed(true, units, start.plusSeconds(3)),
                archived("bucket-a", accountId + "/" + requestId + "/image-0.png", "http://s3.local/x?sig=1",
                        start.plusSeconds(4)));
    }

    private String taskId() {
        return "task-" + requestId;
    }

    private ObjectNode base(String eventSeed) {
        ObjectNode node = EventJson.mapper().createObjectNode().put("schemaVersion", 1)
                .put("eventId", UUID.nameUUIDFromBytes((accountId + "/" + eventSeed).getBytes()).toString())
                .put("requestId", requestId).put("accountId", accountId).put("unknownFutureField", "ignored");
        if (campaignId != null) {
            node.put("campaignId", campaignId);
        }
        return node;
    }

    private Payload byRequest(String topic, ObjectNode node) {
        return new Payload(topic, requestId, node.toString());
    }
}
