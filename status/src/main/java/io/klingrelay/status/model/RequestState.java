package io.klingrelay.status.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a request stands, as the status service derives it from the topics (issue 11, the
 * status API contract). A request only moves forward; {@link #ARCHIVED} and {@link #FAILED} are
 * terminal. The rank orders the states; on the (by design impossible) sight of both outcomes,
 * {@link #ARCHIVED} wins, because its objects exist.
 */
public enum RequestState {
    /** Seen on {@code klingrelay.requests}. */
    QUEUED("queued", 0),
    /** Seen on {@code klingrelay.tasks.submitted}, or {@code task_status} {@code submitted}. */
    SUBMITTED("submitted", 1),
    /** {@code task_status} {@code processing} (or {@code failed} before the terminal event). */
    PROCESSING("processing", 2),
    /** {@code task_status} {@code succeed}: the archiver is copying the assets. */
    GENERATED("generated", 3),
    /** Terminal: seen on {@code klingrelay.requests.failed}, or {@code tasks.completed} {@code failed}. */
    FAILED("failed", 4),
    /** Terminal: seen on {@code klingrelay.assets.archived}. */
    ARCHIVED("archived", 5);

    private final String wireName;
    private final int rank;

    RequestState(String wireName, int rank) {
        this.wireName = wireName;
        this.rank = rank;
    }

    /** @return the lower-case JSON value, e.g. {@code archived} */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** @return true for {@link #ARCHIVED} and {@link #FAILED} */
    public boolean isTerminal() {
        return this == ARCHIVED || this == FAILED;
    }

    /**
     * The one transition table (STYLE.md 12): forward only, and nothing leaves a terminal state
     * except {@link #FAILED} → {@link #ARCHIVED} (the tie-break above).
     *
     * @param from the current state, or null when the request is new
     * @param to   the state an event proposes
     * @return whether the request moves to {@code to}
     */
    public static boolean isAllowed(@org.jspecify.annotations.Nullable RequestState from, RequestState to) {
        return from == null || to.rank > from.rank;
    }

    /**
     * @param value a wire name, e.g. {@code archived}
     * @return the state, or null when the value names none
     */
    @JsonCreator
    public static @org.jspecify.annotations.Nullable RequestState fromWire(@org.jspecify.annotations.Nullable String value) {
        for (RequestState state : values()) {
            if (state.wireName.equals(value)) {
                return state;
            }
        }
        return null;
    }
}
