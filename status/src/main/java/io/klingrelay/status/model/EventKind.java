package io.klingrelay.status.model;

import io.klingrelay.common.kafka.Topics;
import org.jspecify.annotations.Nullable;

/** Which topic an event came from; decides how it moves a request (issue 11 status contract). */
public enum EventKind {
    /** {@code klingrelay.requests}. */
    REQUESTED(Topics.REQUESTS),
    /** {@code klingrelay.tasks.submitted}. */
    SUBMITTED(Topics.TASKS_SUBMITTED),
    /** {@code klingrelay.tasks.status}. */
    STATUS(Topics.TASKS_STATUS),
    /** {@code klingrelay.tasks.completed}. */
    COMPLETED(Topics.TASKS_COMPLETED),
    /** {@code klingrelay.assets.archived}. */
    ARCHIVED(Topics.ASSETS_ARCHIVED),
    /** {@code klingrelay.requests.failed}. */
    FAILED(Topics.REQUESTS_FAILED);

    private final String topic;

    EventKind(String topic) {
        this.topic = topic;
    }

    /** @return the topic this kind of event is read from */
    public String topic() {
        return topic;
    }

    /**
     * @param topic a topic name
     * @return its kind, or null for a topic the status service does not read
     */
    public static @Nullable EventKind ofTopic(String topic) {
        for (EventKind kind : values()) {
            if (kind.topic.equals(topic)) {
                return kind;
            }
        }
        return null;
    }
}
