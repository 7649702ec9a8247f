package io.klingrelay.common.event;

import com.fasterxml.jackson.annotation.JsonValue;

/** Who observed a task status: Kling's callback or the poller's query. */
public enum StatusSource {
    WEBHOOK("webhook"),
    POLLER("poller");

    private final String wireName;

    StatusSource(String wireName) {
        this.wireName = wireName;
    }

    /** @return the JSON value */
    @JsonValue
    public String wireName() {
        return wireName;
    }
}
