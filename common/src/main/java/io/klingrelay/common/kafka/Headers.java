package io.klingrelay.common.kafka;

/** Kafka record header names; all share {@link #PREFIX}. Values are UTF-8 strings. */
public final class Headers {

    /** Prefix of every header this project writes. */
    public static final String PREFIX = "klingrelay_";
    /** Why a record went to a dead-letter topic (human-readable, no secrets). */
    public static final String FAILURE_REASON = PREFIX + "failure_reason";
    /** The stage that dead-lettered the record, a {@code FailureStage} name. */
    public static final String FAILURE_STAGE = PREFIX + "failure_stage";
    /** The simple class name of the event in the record value. */
    public static final String EVENT_TYPE = PREFIX + "event_type";

    private Headers() {
    }
}
