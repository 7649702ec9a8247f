package io.klingrelay.status.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One event of a request's history.
 *
 * @param state      the state the event proposes
 * @param taskStatus Kling's {@code task_status} the event carries, when it carries one
 * @param source     who observed it: {@code webhook}, {@code poller}, or the topic's short name
 * @param at         the event's own time (submitted, observed, completed, archived, failed at)
 * @param eventId    the event's id: a replayed or duplicated event is applied once
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record HistoryEntry(
        RequestState state,
        @Nullable String taskStatus,
        String source,
        Instant at,
        String eventId) {
}
