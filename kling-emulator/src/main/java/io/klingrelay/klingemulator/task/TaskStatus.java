package io.klingrelay.klingemulator.task;

import java.util.Arrays;
import java.util.Optional;

/**
 * Kling's task statuses, spelled exactly as on the wire: {@link #wire()} for the legacy API (kling-api.md §10.1),
 * {@link #newApiWire()} for the 2026 API (§15: {@code succeeded}). One lifecycle serves both.
 */
public enum TaskStatus {
    SUBMITTED("submitted"),
    PROCESSING("processing"),
    SUCCEED("succeed"),
    FAILED("failed");

    private final String wire;

    TaskStatus(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** @return the spelling of the 2026 API (kling-api.md §15): {@code succeeded} instead of {@code succeed} */
    public String newApiWire() {
        return this == SUCCEED ? "succeeded" : wire;
    }

    /** @return the status whose 2026 spelling is {@code wire}, if any */
    public static Optional<TaskStatus> ofNewApiWire(String wire) {
        return Arrays.stream(values()).filter(status -> status.newApiWire().equals(wire)).findFirst();
    }

    public boolean isTerminal() {
        return this == SUCCEED || this == FAILED;
    }

    /** The one transition table: submitted → processing → succeed | failed. */
    public static boolean isAllowed(TaskStatus from, TaskStatus to) {
        return switch (from) {
            case SUBMITTED -> to == PROCESSING;
            case PROCESSING -> to.isTerminal();
            case SUCCEED, FAILED -> false;
        };
    }
}
