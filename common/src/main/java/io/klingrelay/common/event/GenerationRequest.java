package io.klingrelay.common.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A generation request on {@code klingrelay.requests} (key: account id).
 *
 * <p>The record is deliberately lenient: every field may be missing so that a malformed request
 * still deserializes and can be answered with a {@code klingrelay.requests.failed} event naming
 * what is wrong, instead of vanishing into a deserialization error. The submitter validates it.
 *
 * <p>Example:
 * <pre>{@code
 * {"schemaVersion":1,"requestId":"spring-sale-0001","accountId":"brand-a","campaignId":"spring-sale",
 *  "priority":"campaign","product":"text-to-video",
 *  "input":{"model_name":"kling-v1-6","prompt":"A paper boat ...","duration":"5","aspect_ratio":"16:9"}}
 * }</pre>
 *
 * @param schemaVersion payload schema version; 0 (absent or null) is read as {@link #CURRENT_SCHEMA_VERSION}
 * @param eventId       unique id of this record; generated when absent
 * @param requestId     caller-chosen unique id, sent to Kling as {@code external_task_id}
 *                      (ASCII letters, digits, {@code -_.:}, 1–128 chars, {@code RedisKeys.isSafeId}); required
 * @param accountId     the configured Kling account to bill; required
 * @param campaignId    optional campaign the request belongs to (for pause/cancel by campaign)
 * @param priority      dispatch priority; {@link Priority#CAMPAIGN} when absent
 * @param product       which Kling product to call; required
 * @param input         the Kling create body with Kling's own snake_case field names
 *                      (kling-api.md §6–§8), minus {@code callback_url} and
 *                      {@code external_task_id}, which the submitter sets
 * @param createdAt     when the upstream created the request; optional
 * @param retryOf       the request id this request retries (set by {@code campaign retry}, which derives
 *                      this request's id from it, e.g. {@code spring-sale-0001.r1}); null for a first attempt.
 *                      Optional, added without a schema version bump: older readers ignore it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GenerationRequest(
        int schemaVersion,
        @Nullable String eventId,
        @Nullable String requestId,
        @Nullable String accountId,
        @Nullable String campaignId,
        @Nullable Priority priority,
        @Nullable Product product,
        @Nullable Map<String, Object> input,
        @Nullable Instant createdAt,
        @Nullable String retryOf) implements KlingRelayEvent {

    public GenerationRequest {
        schemaVersion = schemaVersion == 0 ? CURRENT_SCHEMA_VERSION : schemaVersion;
        eventId = eventId == null ? EventIds.random() : eventId;
        priority = priority == null ? Priority.CAMPAIGN : priority;
        input = input == null ? Map.of() : input;
    }

    /**
     * A first attempt (no {@code retryOf}); the components as above.
     *
     * @param schemaVersion payload schema version
     * @param eventId       unique id of this record; generated when null
     * @param requestId     caller-chosen unique id
     * @param accountId     the Kling account to bill
     * @param campaignId    optional campaign
     * @param priority      dispatch priority; campaign when null
     * @param product       which Kling product to call
     * @param input         the Kling create body
     * @param createdAt     when the upstream created the request; optional
     */
    public GenerationRequest(int schemaVersion, @Nullable String eventId, @Nullable String requestId,
            @Nullable String accountId, @Nullable String campaignId, @Nullable Priority priority,
            @Nullable Product product, @Nullable Map<String, Object> input, @Nullable Instant createdAt) {
        this(schemaVersion, eventId, requestId, accountId, campaignId, priority, product, input, createdAt, null);
    }

    /**
     * The JSON creator: tolerates a missing or null {@code schemaVersion} (Jackson 3 refuses null
     * for a primitive component).
     */
    @JsonCreator
    static GenerationRequest fromJson(
            @JsonProperty("schemaVersion") @Nullable Integer schemaVersion,
            @JsonProperty("eventId") @Nullable String eventId,
            @JsonProperty("requestId") @Nullable String requestId,
            @JsonProperty("accountId") @Nullable String accountId,
            @JsonProperty("campaignId") @Nullable String campaignId,
            @JsonProperty("priority") @Nullable Priority priority,
            @JsonProperty("product") @Nullable Product product,
            @JsonProperty("input") @Nullable Map<String, Object> input,
            @JsonProperty("createdAt") @Nullable Instant createdAt,
            @JsonProperty("retryOf") @Nullable String retryOf) {
        return new GenerationRequest(schemaVersion == null ? 0 : schemaVersion, eventId, requestId, accountId,
                campaignId, priority, product, input, createdAt, retryOf);
    }

    @Override
    public String eventId() {
        return java.util.Objects.requireNonNull(eventId);
    }

    /** @return the effective priority, never null */
    @Override
    public Priority priority() {
        return java.util.Objects.requireNonNull(priority);
    }

    /** @return the Kling create body fields, never null (empty when absent) */
    @Override
    public Map<String, Object> input() {
        return java.util.Objects.requireNonNull(input);
    }
}
