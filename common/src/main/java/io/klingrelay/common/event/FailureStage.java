package io.klingrelay.common.event;

import com.fasterxml.jackson.annotation.JsonValue;

/** The pipeline stage at which a request ended without archived assets. */
public enum FailureStage {
    /** The request was malformed or broke a Kling rule; nothing was sent to Kling. */
    VALIDATION("validation"),
    /** Kling refused the create call permanently, or the retry budget ran out. */
    SUBMISSION("submission"),
    /** The task was created but ended {@code failed} on Kling's side. */
    GENERATION("generation"),
    /** The task succeeded but an asset could not be copied (e.g. its URL expired). */
    ARCHIVE("archive"),
    /** An operator cancelled the request before it was dispatched. */
    CANCELLED("cancelled");

    private final String wireName;

    FailureStage(String wireName) {
        this.wireName = wireName;
    }

    /** @return the JSON value */
    @JsonValue
    public String wireName() {
        return wireName;
    }
}
