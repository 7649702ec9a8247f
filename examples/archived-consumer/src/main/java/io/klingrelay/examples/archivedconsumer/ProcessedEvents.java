package io.klingrelay.examples.archivedconsumer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The event ids this consumer has already handled, so a redelivered or re-published record is
 * handled once. Kafka delivers at least once, and Kling Relay re-publishes an outcome with the
 * same {@code eventId} when it is unsure Kafka kept it.
 *
 * <p>This one is in memory and bounded (the oldest ids are forgotten first), which covers
 * redeliveries after a rebalance but not a restart. In production keep the ids where your side
 * effect lives: insert the {@code eventId} into a table with a unique key in the same database
 * transaction as the side effect, and skip the record on a duplicate-key error.
 */
public final class ProcessedEvents {

    private final Set<String> ids;

    /** @param capacity how many recent event ids are remembered */
    public ProcessedEvents(int capacity) {
        this.ids = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        }));
    }

    /** @return whether {@code eventId} was handled already */
    public boolean contains(String eventId) {
        return ids.contains(eventId);
    }

    /** Records {@code eventId} as handled; call it after the side effect succeeded. */
    public void add(String eventId) {
        ids.add(eventId);
    }
}
