package io.klingrelay.status.query;

import io.klingrelay.status.model.CampaignTotals;
import io.klingrelay.status.model.CampaignView;
import io.klingrelay.status.model.RequestView;
import io.klingrelay.status.model.Waiting;
import io.klingrelay.status.stream.StatusTopology;
import io.klingrelay.status.stream.StoreKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.StreamsNotStartedException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.jspecify.annotations.Nullable;

/**
 * Reads this instance's own partitions of the state stores (Kafka Streams interactive queries).
 * Callers route a key to its owner first ({@link KeyRouter}).
 *
 * @throws org.apache.kafka.streams.errors.InvalidStateStoreException from every method while the
 *         stores are not queryable (starting, restoring, rebalancing)
 */
public final class LocalStatusStore {

    private final StoreLookup stores;

    /** @param stores how to reach this instance's stores */
    public LocalStatusStore(StoreLookup stores) {
        this.stores = stores;
    }

    /**
     * @param streams the running Kafka Streams client (null before it started)
     * @return the local stores of that client
     */
    public static LocalStatusStore of(Supplier<@Nullable KafkaStreams> streams) {
        return new LocalStatusStore(new StoreLookup() {
            @Override
            public <V> ReadOnlyKeyValueStore<String, V> keyValueStore(String name) {
                KafkaStreams running = streams.get();
                if (running == null) {
                    throw new StreamsNotStartedException("Kafka Streams has not started");
                }
                return running.store(StoreQueryParameters.fromNameAndType(name,
                        QueryableStoreTypes.<String, V>keyValueStore()));
            }
        });
    }

    /** Finds one of this instance's key-value stores by name. */
    public interface StoreLookup {

        /**
         * @param name a store name
         * @param <V>  its value type
         * @return the store
         * @throws org.apache.kafka.streams.errors.InvalidStateStoreException when it is not queryable now
         */
        <V> ReadOnlyKeyValueStore<String, V> keyValueStore(String name);
    }

    /**
     * @param accountId the account
     * @param requestId the request id
     * @return the request's view, when this instance holds it
     */
    public Optional<RequestView> request(String accountId, String requestId) {
        return Optional.ofNullable(store(StatusTopology.REQUESTS, RequestView.class)
                .get(RequestView.keyOf(accountId, requestId)));
    }

    /**
     * @param campaignId the campaign
     * @return its view, when this instance holds it
     */
    public Optional<CampaignView> campaign(String campaignId) {
        CampaignTotals totals = store(StatusTopology.CAMPAIGNS, CampaignTotals.class).get(campaignId);
        return Optional.ofNullable(totals).map(t -> t.view(oldestWaiting(campaignId)));
    }

    /** @return every campaign this instance holds */
    public List<CampaignView> campaigns() {
        List<CampaignView> views = new ArrayList<>();
        try (KeyValueIterator<String, CampaignTotals> all = store(StatusTopology.CAMPAIGNS, CampaignTotals.class).all()) {
            all.forEachRemaining(entry -> views.add(entry.value.view(oldestWaiting(entry.key))));
        }
        return views;
    }

    /**
     * @param campaignId the campaign
     * @param filter     which requests, from where, how many
     * @return one page, in order of request id
     */
    public RequestPage campaignRequests(String campaignId, RequestFilter filter) {
        List<RequestView> page = new ArrayList<>();
        String lastKey = null;
        boolean more = false;
        try (KeyValueIterator<String, RequestView> range = store(StatusTopology.CAMPAIGN_REQUESTS, RequestView.class)
                .range(from(campaignId, filter.after()), StoreKeys.last(campaignId))) {
            while (range.hasNext()) {
                KeyValue<String, RequestView> entry = range.next();
                if (!filter.matches(entry.value)) {
                    continue;
                }
                if (page.size() == filter.limit()) {
                    more = true;
                    break;
                }
                page.add(entry.value);
                lastKey = entry.key;
            }
        }
        return new RequestPage(page, more && lastKey != null ? cursor(lastKey) : null);
    }

    private static String from(String campaignId, @Nullable String after) {
        if (after == null) {
            return StoreKeys.first(campaignId);
        }
        int slash = after.indexOf('/');
        return slash < 0 ? campaignId + StoreKeys.SEPARATOR + after + '\u0001'
                : StoreKeys.campaignRequest(campaignId, after.substring(0, slash), after.substring(slash + 1))
                        + StoreKeys.SEPARATOR;
    }

    private static String cursor(String key) {
        String[] parts = StoreKeys.parts(key);
        return parts[1] + "/" + parts[2];
    }

    private @Nullable Waiting oldestWaiting(String campaignId) {
        try (KeyValueIterator<String, String> range = store(StatusTopology.CAMPAIGN_WAITING, String.class)
                .range(StoreKeys.first(campaignId), StoreKeys.last(campaignId))) {
            if (!range.hasNext()) {
                return null;
            }
            String[] parts = StoreKeys.parts(range.next().key);
            return new Waiting(parts[2], parts[3], Instant.ofEpochMilli(Long.parseLong(parts[1])));
        }
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name, Class<V> type) {
        return stores.keyValueStore(name);
    }
}
