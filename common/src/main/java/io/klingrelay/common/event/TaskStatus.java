package io.klingrelay.common.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Kling's {@code task_status} with its exact wire spellings (kling-api.md §10.1):
 * {@code submitted} → {@code processing} → {@code succeed} | {@code failed}. Note {@code succeed},
 * not "succeeded" (that is the 2026 new API, which this project does not speak).
 */
public enum TaskStatus {
    SUBMITTED("submitted"),
    PROCESSING("processing"),
    SUCCEED("succeed"),
    FAILED("failed");

    private static final Map<TaskStatus, Set<TaskStatus>> ALLOWED = Map.of(
            SUBMITTED, Set.of(PROCESSING, SUCCEED, FAILED),
            PROCESSING, Set.of(SUCCEED, FAILED),
            SUCCEED, Set.of(),
            FAILED, Set.of());

    private final String wireName;

    TaskStatus(String wireName) {
        this.wireName = wireName;
    }

    /** @return Kling's spelling, e.g. {@code succeed} */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** @return true for {@code succeed} and {@code failed}, after which the task holds no slot */
    public boolean isTerminal() {
        return this == SUCCEED || this == FAILED;
    }

    /**
     * The one transition table (STYLE.md 12): a status may only move forward.
     *
     * @param from the current status, or null when none is known yet
     * @param to   the proposed status
     * @return whether the move is legal
     */
    public static boolean isAllowed(@Nullable TaskStatus from, TaskStatus to) {
        return from == null || ALLOWED.get(from).contains(to);
    }

    /**
     * @param value Kling's spelling
     * @return the status
     * @throws IllegalArgumentException for any other value (e.g. {@code succeeded})
     */
    @JsonCreator
    public static TaskStatus fromWire(String value) {
        for (TaskStatus status : values()) {
            if (status.wireName.equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown task_status: " + value);
    }
}
