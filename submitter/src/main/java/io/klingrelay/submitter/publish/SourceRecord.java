package io.klingrelay.submitter.publish;

import java.util.Objects;

/**
 * Where a consumed record came from: enough to find it again on its topic.
 *
 * @param topic     the topic
 * @param partition the partition
 * @param offset    the offset within the partition
 */
public record SourceRecord(String topic, int partition, long offset) {

    public SourceRecord {
        Objects.requireNonNull(topic, "topic");
    }

    /** @return {@code <topic>-<partition>@<offset>}, e.g. {@code klingrelay.requests-2@1041} */
    public String locator() {
        return topic + "-" + partition + "@" + offset;
    }
}
