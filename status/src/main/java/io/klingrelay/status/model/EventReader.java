package io.klingrelay.status.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads the payload of any of the six topics as a JSON tree into a {@link RequestEvent}, tolerant
 * of unknown and missing fields (a newer producer's {@code units}, the campaign CLI's
 * {@code retryOf}, an older producer without them). A payload without a request id or an account
 * cannot be placed and is skipped. Field names are those of {@code io.klingrelay.common.event}.
 */
public final class EventReader {

    private static final long EPOCH_SECONDS_LIMIT = 100_000_000_000L;

    private EventReader() {
    }

    /**
     * @param kind            the topic's kind
     * @param payload         the record value as a JSON tree
     * @param recordTimestamp the record's timestamp, used when the payload carries no time
     * @return the event, or empty when it names no request id or no account
     */
    public static Optional<RequestEvent> read(EventKind kind, JsonNode payload, Instant recordTimestamp) {
        String requestId = text(payload, "requestId");
        String accountId = text(payload, "accountId");
        if (requestId == null || accountId == null || !payload.isObject()) {
            return Optional.empty();
        }
        Instant at = firstInstant(payload, timeFields(kind), recordTimestamp);
        String taskStatus = text(payload, "taskStatus");
        String source = text(payload, "source");
        String eventId = text(payload, "eventId");
        return Optional.of(new RequestEvent(kind,
                eventId != null ? eventId : derivedEventId(kind, accountId, requestId, taskStatus, source, at),
                requestId, accountId, text(payload, "campaignId"), text(payload, "product"), text(payload, "taskId"),
                text(payload, "retryOf"), taskStatus, source, at, decimal(payload, "units"), assets(kind, payload),
                failure(kind, payload, taskStatus)));
    }

    private static List<String> timeFields(EventKind kind) {
        return switch (kind) {
            case REQUESTED -> List.of("createdAt");
            case SUBMITTED -> List.of("submittedAt");
            case STATUS -> List.of("observedAt", "updatedAt");
            case COMPLETED -> List.of("completedAt");
            case ARCHIVED -> List.of("archivedAt");
            case FAILED -> List.of("failedAt");
        };
    }

    /** Without an event id, one request's event of a kind is identified by what it says. */
    private static String derivedEventId(EventKind kind, String accountId, String requestId,
            @Nullable String taskStatus, @Nullable String source, Instant at) {
        String detail = kind == EventKind.STATUS ? ":" + taskStatus + ":" + source + ":" + at : "";
        return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + accountId + "/" + requestId + detail;
    }

    private static @Nullable Failure failure(EventKind kind, JsonNode payload, @Nullable String taskStatus) {
        if (kind == EventKind.FAILED) {
            String stage = text(payload, "stage");
            String reason = text(payload, "reason");
            return new Failure(stage == null ? "unknown" : stage, reason == null ? "" : reason);
        }
        if (kind == EventKind.COMPLETED && "failed".equals(taskStatus)) {
            String message = text(payload, "taskStatusMsg");
            return new Failure("generation", message == null || message.isEmpty() ? "task failed" : message);
        }
        return null;
    }

    private static List<AssetView> assets(EventKind kind, JsonNode payload) {
        JsonNode assets = payload.get("assets");
        if (kind != EventKind.ARCHIVED || assets == null || !assets.isArray()) {
            return List.of();
        }
        List<AssetView> views = new ArrayList<>();
        for (JsonNode asset : assets) {
            String bucket = text(asset, "bucket");
            String objectKey = text(asset, "objectKey");
            if (bucket != null && objectKey != null) {
                views.add(new AssetView(orElse(text(asset, "kind"), "video"), asset.path("index").asInt(0), bucket,
                        objectKey, asset.path("size").asLong(0), text(asset, "sha256"), text(asset, "contentType"),
                        text(asset, "presignedUrl"), instant(asset.get("presignedUrlExpiresAt"))));
            }
        }
        return views;
    }

    private static String orElse(@Nullable String value, String fallback) {
        return value == null ? fallback : value;
    }

    /**
     * @param node  an object node
     * @param field a field name
     * @return the field as text, or null when missing, null or not a scalar
     */
    static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.isContainer()) {
            return null;
        }
        String text = value.asString();
        return text.isEmpty() && !value.isString() ? null : text;
    }

    private static @Nullable BigDecimal decimal(JsonNode node, String field) {
        String text = text(node, field);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant firstInstant(JsonNode node, List<String> fields, Instant fallback) {
        for (String field : fields) {
            Instant at = instant(node.get(field));
            if (at != null) {
                return at;
            }
        }
        return fallback;
    }

    /** ISO-8601 text, or a number: epoch seconds (with fraction) below 10^11, else epoch milliseconds. */
    private static @Nullable Instant instant(@Nullable JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            BigDecimal number = value.decimalValue();
            return number.abs().compareTo(BigDecimal.valueOf(EPOCH_SECONDS_LIMIT)) < 0
                    ? Instant.ofEpochMilli(number.movePointRight(3).longValue())
                    : Instant.ofEpochMilli(number.longValue());
        }
        try {
            return Instant.parse(value.asString());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
