package io.klingrelay.klingemulator.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.klingrelay.klingemulator.task.NewTaskData;
import io.klingrelay.klingemulator.task.Task;
import io.klingrelay.klingemulator.task.TaskRenderer;
import io.klingrelay.klingemulator.task.TaskStatus;
import io.klingrelay.klingemulator.task.TaskStore;
import io.klingrelay.klingemulator.wire.KlingApiException;
import io.klingrelay.klingemulator.wire.KlingCode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /tasks} (kling-api.md §15): the account's tasks of both surfaces in the 2026 shape, newest first [I],
 * {@code create_time} within {@code [start_time, end_time]} (epoch ms, numbers or numeric strings; {@code end_time}
 * defaults to now, {@code start_time} to {@code end_time} − 30 days), optionally filtered by {@code status} and
 * {@code product_type} ({@code video|image|try_on}), {@code limit} 1–500 (default 100) per page. The opaque
 * {@code next_cursor} carries the window and the position, so a later page ignores {@code start_time} and
 * {@code end_time} (as the docs say) and the listing neither repeats nor skips a task while others are created.
 * {@code next_cursor} is {@code ""} and {@code has_more} false on the last page. Bad values → 400 / 1201.
 */
@Component
class TaskCursorListing {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;
    static final Duration DEFAULT_WINDOW = Duration.ofDays(30);
    private static final List<String> PRODUCT_TYPES = List.of("video", "image", "try_on");

    private final TaskStore store;
    private final TaskRenderer renderer;
    private final Clock clock;

    TaskCursorListing(TaskStore store, TaskRenderer renderer, Clock clock) {
        this.store = store;
        this.renderer = renderer;
        this.clock = clock;
    }

    /** @return {@code data{result[], count, next_cursor, has_more}} */
    Page list(String accountId, JsonNode body) {
        if (!body.isObject()) {
            throw new KlingApiException(KlingCode.INVALID_REQUEST, "request body must be a JSON object");
        }
        Position position = position(body);
        int limit = limit(body);
        Predicate<Task> accept = filters(body.path("filters"))
                .and(task -> task.createdAt() >= position.start() && task.createdAt() <= position.end());
        List<Task> found = store.accountTasksBelow(accountId, position.belowSequence(), accept, limit);
        boolean hasMore = found.size() > limit;
        List<Task> page = hasMore ? found.subList(0, limit) : found;
        String next = hasMore ? new Position(page.getLast().sequence(), position.start(), position.end()).encode() : "";
        return new Page(page.stream().map(renderer::renderNewApi).toList(), page.size(), next, hasMore);
    }

    private Position position(JsonNode body) {
        String cursor = body.path("cursor").isString() ? body.path("cursor").stringValue() : "";
        if (!cursor.isEmpty()) {
            return Position.decode(cursor);
        }
        long end = millis(body, "end_time", clock.millis());
        long start = millis(body, "start_time", end - DEFAULT_WINDOW.toMillis());
        if (start >= end) {
            throw KlingApiException.invalidParameter("start_time: must be earlier than end_time");
        }
        return new Position(Long.MAX_VALUE, start, end);
    }

    private static int limit(JsonNode body) {
        JsonNode node = body.path("limit");
        if (node.isMissingNode() || node.isNull()) {
            return DEFAULT_LIMIT;
        }
        if (!node.isIntegralNumber() || node.asLong() < 1 || node.asLong() > MAX_LIMIT) {
            throw KlingApiException.invalidParameter("limit: must be between 1 and " + MAX_LIMIT);
        }
        return node.intValue();
    }

    /** Epoch ms as a number or a numeric string (the docs show both, §15). */
    private static long millis(JsonNode body, String field, long fallback) {
        JsonNode node = body.path(field);
        if (node.isMissingNode() || node.isNull() || (node.isString() && node.stringValue().isEmpty())) {
            return fallback;
        }
        try {
            long value = node.isIntegralNumber() ? node.asLong() : Long.parseLong(node.stringValue());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException | IllegalStateException | UnsupportedOperationException e) {
            // falls through to the message
        }
        throw KlingApiException.invalidParameter(field + ": must be epoch milliseconds");
    }

    private static Predicate<Task> filters(JsonNode filters) {
        if (filters.isMissingNode() || filters.isNull()) {
            return task -> true;
        }
        if (!filters.isArray()) {
            throw KlingApiException.invalidParameter("filters: must be an array");
        }
        Predicate<Task> all = task -> true;
        for (int i = 0; i < filters.size(); i++) {
            all = all.and(filter(filters.get(i), "filters[" + i + "]"));
        }
        return all;
    }

    private static Predicate<Task> filter(JsonNode filter, String path) {
        String key = filter.path("key").isString() ? filter.path("key").stringValue() : "";
        Set<String> values = values(filter.path("values"), path);
        return switch (key) {
            case "status" -> {
                Set<TaskStatus> statuses = new HashSet<>();
                values.forEach(value -> statuses.add(TaskStatus.ofNewApiWire(value).orElseThrow(() ->
                        KlingApiException.invalidParameter(path + ".values: allowed values: submitted, processing, "
                                + "succeeded, failed"))));
                yield task -> statuses.contains(task.status());
            }
            case "product_type" -> {
                if (!PRODUCT_TYPES.containsAll(values)) {
                    throw KlingApiException.invalidParameter(path + ".values: allowed values: "
                            + String.join(", ", PRODUCT_TYPES));
                }
                yield task -> values.contains(task.product().productType());
            }
            default -> throw KlingApiException.invalidParameter(path + ".key: allowed values: status, product_type");
        };
    }

    private static Set<String> values(JsonNode values, String path) {
        if (!values.isArray()) {
            throw KlingApiException.invalidParameter(path + ".values: must be an array");
        }
        Set<String> result = new HashSet<>();
        for (JsonNode value : values) {
            if (!value.isString()) {
                throw KlingApiException.invalidParameter(path + ".values: must be strings");
            }
            result.add(value.stringValue());
        }
        return result;
    }

    /**
     * One page of the cursor listing.
     *
     * @param result the tasks, 2026 shape
     * @param count {@code result.size()}
     * @param nextCursor where the next page starts; "" on the last page
     * @param hasMore whether there is a next page
     */
    record Page(List<NewTaskData> result, int count, @JsonProperty("next_cursor") String nextCursor,
            @JsonProperty("has_more") boolean hasMore) {
    }

    /** The cursor: list below this sequence number within this window; URL-safe Base64 of {@code v1:seq:start:end}. */
    private record Position(long belowSequence, long start, long end) {

        String encode() {
            String raw = "v1:" + belowSequence + ":" + start + ":" + end;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
        }

        static Position decode(String cursor) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII).split(":");
                if (parts.length == 4 && parts[0].equals("v1")) {
                    return new Position(Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3]));
                }
            } catch (IllegalArgumentException e) {
                // falls through to the message (NumberFormatException is an IllegalArgumentException)
            }
            throw KlingApiException.invalidParameter("cursor: invalid");
        }
    }
}
