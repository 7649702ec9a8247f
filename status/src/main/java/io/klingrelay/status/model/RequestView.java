package io.klingrelay.status.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Everything known about one request, folded from its events ({@code GET /requests/{accountId}/{requestId}}).
 * The fold is idempotent (an event id already in the history changes nothing) and does not depend
 * on arrival order across topics: the state is the highest the events allow
 * ({@link RequestState#isAllowed}), the history is sorted by the events' own times.
 *
 * @param requestId   the request id
 * @param accountId   the account
 * @param campaignId  the campaign, once an event named it
 * @param product     the product's wire name, once known
 * @param state       the current state
 * @param taskId      Kling's {@code task_id}, once submitted
 * @param retryOf     the request this one retries, when it is a retry
 * @param units       Kling's {@code final_unit_deduction}, once reported
 * @param history     the applied events, oldest first
 * @param assets      the archived objects (empty until archived)
 * @param failure     why it failed; null unless {@code failed}
 * @param requestedAt when it was requested (its {@code klingrelay.requests} time, else its first event)
 * @param updatedAt   the newest event's time
 * @param version     the number of events applied: grows with every change, so a consumer of
 *                    views can drop a stale or replayed one
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RequestView(
        String requestId,
        String accountId,
        @Nullable String campaignId,
        @Nullable String product,
        RequestState state,
        @Nullable String taskId,
        @Nullable String retryOf,
        @Nullable BigDecimal units,
        List<HistoryEntry> history,
        List<AssetView> assets,
        @Nullable Failure failure,
        Instant requestedAt,
        Instant updatedAt,
        long version) {

    private static final Comparator<HistoryEntry> BY_TIME = Comparator.comparing(HistoryEntry::at)
            .thenComparing(HistoryEntry::eventId);

    public RequestView {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(state, "state");
        history = history == null ? List.of() : List.copyOf(history);
        assets = assets == null ? List.of() : List.copyOf(assets);
    }

    /**
     * @param accountId the account
     * @param requestId the request id
     * @return the request store's key, {@code <accountId>/<requestId>} (neither contains {@code /})
     */
    public static String keyOf(String accountId, String requestId) {
        return accountId + "/" + requestId;
    }

    /** @return this request's store key */
    @JsonIgnore
    public String key() {
        return keyOf(accountId, requestId);
    }

    /**
     * Applies one event.
     *
     * @param current the view so far, or null for a request not seen yet
     * @param event   an event of this request
     * @return the new view, or {@code current} itself when the event was applied before
     */
    public static RequestView apply(@Nullable RequestView current, RequestEvent event) {
        if (current != null && current.hasApplied(event.eventId())) {
            return current;
        }
        RequestState proposed = event.proposedState();
        List<HistoryEntry> history = new ArrayList<>(current == null ? List.of() : current.history());
        history.add(new HistoryEntry(proposed, event.taskStatus(), sourceOf(event), event.at(), event.eventId()));
        history.sort(BY_TIME);
        RequestState state = current == null || RequestState.isAllowed(current.state(), proposed) ? proposed
                : current.state();
        Failure failure = state == RequestState.FAILED ? failureAfter(current, event) : null;
        return new RequestView(event.requestId(), event.accountId(),
                latest(current, RequestView::campaignId, event.campaignId()),
                latest(current, RequestView::product, event.product()), state,
                latest(current, RequestView::taskId, event.taskId()),
                latest(current, RequestView::retryOf, event.retryOf()),
                latest(current, RequestView::units, event.units()), history,
                event.kind() == EventKind.ARCHIVED ? event.assets() : current == null ? List.of() : current.assets(),
                failure, requestedAt(history), history.getLast().at(), history.size());
    }

    /**
     * @param eventId an event id
     * @return whether that event is already in the history
     */
    public boolean hasApplied(String eventId) {
        return history.stream().anyMatch(entry -> entry.eventId().equals(eventId));
    }

    /**
     * @param refresh maps each asset to a copy with a fresh presigned URL
     * @return this view with its assets mapped
     */
    public RequestView withAssets(UnaryOperator<AssetView> refresh) {
        return new RequestView(requestId, accountId, campaignId, product, state, taskId, retryOf, units, history,
                assets.stream().map(refresh).toList(), failure, requestedAt, updatedAt, version);
    }

    private static String sourceOf(RequestEvent event) {
        return event.source() != null ? event.source() : event.kind().topic().replace("klingrelay.", "");
    }

    /** {@code requests.failed} names the stage and reason authoritatively; a failed task's message is a fallback. */
    private static @Nullable Failure failureAfter(@Nullable RequestView current, RequestEvent event) {
        Failure previous = current == null ? null : current.failure();
        if (event.failure() == null) {
            return previous;
        }
        return event.kind() == EventKind.FAILED || previous == null ? event.failure() : previous;
    }

    private static <T> @Nullable T latest(@Nullable RequestView current,
            java.util.function.Function<RequestView, @Nullable T> field, @Nullable T fromEvent) {
        return fromEvent != null ? fromEvent : current == null ? null : field.apply(current);
    }

    private static Instant requestedAt(List<HistoryEntry> history) {
        return history.stream().filter(entry -> entry.state() == RequestState.QUEUED).map(HistoryEntry::at)
                .findFirst().orElse(history.getFirst().at());
    }
}
