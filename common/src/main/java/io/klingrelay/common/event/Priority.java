package io.klingrelay.common.event;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Dispatch priority within an account's waiting queue: every {@link #INTERACTIVE} request is
 * dispatched before any {@link #CAMPAIGN} request of the same account; within a priority,
 * arrival order holds.
 */
public enum Priority {
    /** A person is waiting for this one. */
    INTERACTIVE("interactive"),
    /** Batch work; the default when a request names no priority. */
    CAMPAIGN("campaign");

    private final String wireName;

    Priority(String wireName) {
        this.wireName = wireName;
    }

    /** @return the JSON value */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** @return the rank used in queue scores: lower is dispatched first */
    public int rank() {
        return ordinal();
    }
}
