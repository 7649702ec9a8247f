package io.klingrelay.deploy.demo;

import io.klingrelay.common.event.AssetsArchived;
import io.klingrelay.common.event.RequestFailed;
import io.klingrelay.common.event.TaskStatus;
import io.klingrelay.common.event.TaskStatusChanged;
import io.klingrelay.common.event.TaskSubmitted;
import io.klingrelay.common.json.EventJson;
import io.klingrelay.common.kafka.Topics;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * Follows this run's requests through the events on {@code tasks.submitted}, {@code tasks.status},
 * {@code assets.archived} and {@code requests.failed}; events of other runs are ignored.
 * Not thread-safe: one consumer thread feeds it.
 */
public final class RequestTracker {

    /** The topics the tracker reads. */
    public static final List<String> TOPICS = List.of(
            Topics.TASKS_SUBMITTED, Topics.TASKS_STATUS, Topics.ASSETS_ARCHIVED, Topics.REQUESTS_FAILED);

    private static final Logger log = LoggerFactory.getLogger(RequestTracker.class);

    private final Map<String, RequestRow> rows = new LinkedHashMap<>();

    /**
     * Starts tracking a published request.
     *
     * @param entry   the campaign line
     * @param trackId the request id, or for a raw line its {@code klingrelay.requests-<partition>@<offset>} locator
     */
    public void track(CampaignEntry entry, String trackId) {
        rows.put(trackId, RequestRow.pending(entry, trackId));
    }

    /**
     * Applies one event.
     *
     * @param topic the topic it came from
     * @param json  the record value
     * @return whether a tracked request changed state
     */
    public boolean apply(String topic, @Nullable String json) {
        if (json == null) {
            return false;
        }
        try {
            return switch (topic) {
                case Topics.TASKS_SUBMITTED -> submitted(read(json, TaskSubmitted.class));
                case Topics.TASKS_STATUS -> status(read(json, TaskStatusChanged.class));
                case Topics.ASSETS_ARCHIVED -> archived(read(json, AssetsArchived.class));
                case Topics.REQUESTS_FAILED -> failed(read(json, RequestFailed.class));
                default -> false;
            };
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            log.debug("ignoring an unreadable record on {}: {}", topic, e.toString());
            return false;
        }
    }

    private static <T> T read(String json, Class<T> type) {
        return EventJson.mapper().readValue(json, type);
    }

    private boolean submitted(TaskSubmitted event) {
        return move(event.requestId(), row -> row.withState(RequestState.SUBMITTED), RequestState.SUBMITTED);
    }

    private boolean status(TaskStatusChanged event) {
        RequestState next = switch (event.taskStatus()) {
            case SUBMITTED -> RequestState.SUBMITTED;
            case PROCESSING -> RequestState.PROCESSING;
            case SUCCEED -> RequestState.ARCHIVING;
            case FAILED -> RequestState.FAILED;
        };
        if (event.taskStatus() == TaskStatus.FAILED) {
            return move(event.requestId(), row -> row.failed("generation: task failed on Kling"), next);
        }
        return move(event.requestId(), row -> row.withState(next), next);
    }

    private boolean archived(AssetsArchived event) {
        return move(event.requestId(), row -> row.archived(event.assets()), RequestState.ARCHIVED);
    }

    private boolean failed(RequestFailed event) {
        String why = event.stage().wireName() + ": " + event.reason();
        return move(event.requestId(), row -> row.failed(why), RequestState.FAILED);
    }

    private boolean move(String requestId, UnaryOperator<RequestRow> change, RequestState next) {
        RequestRow row = rows.get(requestId);
        if (row == null || !row.state().canMoveTo(next)) {
            return false;
        }
        rows.put(requestId, change.apply(row));
        return true;
    }

    /** @return every tracked request, in publication order */
    public List<RequestRow> rows() {
        return new ArrayList<>(rows.values());
    }

    /** @return how many requests are in each state (every state present, zeros included) */
    public Map<RequestState, Integer> counts() {
        Map<RequestState, Integer> counts = new EnumMap<>(RequestState.class);
        for (RequestState state : RequestState.values()) {
            counts.put(state, 0);
        }
        rows.values().forEach(row -> counts.merge(row.state(), 1, Integer::sum));
        return counts;
    }

    /** @return whether every tracked request has ended */
    public boolean allTerminal() {
        return rows.values().stream().allMatch(row -> row.state().isTerminal());
    }
}
