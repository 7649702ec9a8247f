package io.klingrelay.common.kafka;

/** Kafka record header names; all share {@link #PREFIX}. Values are UTF-8 strings. */
public final class Headers {

    /** Prefix of every header this project writes. */
    public static final String PREFIX = "klingrelay_";
    /** Why a record went to a dead-letter topic (human-readable, no secrets). */
    public static final String FAILURE_REASON = PREFIX + "failure_reason";
    /** The stage that dead-lettered the record, a {@code FailureStage} name. */
    public static final String FAILURE_STAGE = PREFIX + "failure_stage";
    /**
     * On a dead-letter record: the topic of the original record (a dead-letter record that carries
     * no copy of the original value, because it was too large, points at it with this header,
     * {@link #SOURCE_PARTITION} and {@link #SOURCE_OFFSET}).
     */
    public static final String SOURCE_TOPIC = PREFIX + "source_topic";
    /** On a dead-letter record: the partition of the original record, a decimal number. */
    public static final String SOURCE_PARTITION = PREFIX + "source_partition";
    /** On a dead-letter record: the offset of the original record, a decimal number. */
    public static final String SOURCE_OFFSET = PREFIX + "source_offset";
    /** The simple class name of the event in the record value. */
    public static final String EVENT_TYPE = PREFIX + "event_type";

    private Headers() {
    }
}
