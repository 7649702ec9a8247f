package io.klingrelay.status.stream;

import io.klingrelay.status.model.CampaignTotals;
import io.klingrelay.status.model.EventKind;
import io.klingrelay.status.model.RequestEvent;
import io.klingrelay.status.model.RequestView;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The status read model's topology:
 * <ol>
 *   <li>each of the six topics is parsed into {@link RequestEvent}s keyed {@code <accountId>/<requestId>}
 *       (klingrelay.requests is keyed by account, the others by request id: both are re-keyed);</li>
 *   <li>the merged stream goes through the {@code request-events} repartition topic, so one
 *       request's events meet in one task, and are folded into {@link #REQUESTS};</li>
 *   <li>every changed view goes through the {@code campaign-updates} repartition topic (key:
 *       campaign id) into {@link #CAMPAIGNS}, {@link #CAMPAIGN_REQUESTS} and {@link #CAMPAIGN_WAITING}.</li>
 * </ol>
 * Every store is persistent (RocksDB) and changelogged to Kafka; an instance that loses its disk
 * restores its stores from the changelogs.
 */
public final class StatusTopology {

    /** Request views, key {@code <accountId>/<requestId>}. */
    public static final String REQUESTS = "requests";
    /** Campaign totals, key campaign id. */
    public static final String CAMPAIGNS = "campaigns";
    /** Request views per campaign, key {@link StoreKeys#campaignRequest}. */
    public static final String CAMPAIGN_REQUESTS = "campaign-requests";
    /** Non-terminal requests per campaign by request time, key {@link StoreKeys#waiting}. */
    public static final String CAMPAIGN_WAITING = "campaign-waiting";

    private StatusTopology() {
    }

    /**
     * Adds the topology to a builder.
     *
     * @param builder the builder (Spring's {@code StreamsBuilderFactoryBean} one)
     */
    public static void build(StreamsBuilder builder) {
        build(builder, true);
    }

    /**
     * Adds the topology to a builder.
     *
     * @param builder    the builder
     * @param persistent RocksDB stores (the service), or in-memory ones (unit tests, which commit
     *                   after every record); changelogged either way
     */
    public static void build(StreamsBuilder builder, boolean persistent) {
        JsonSerde<RequestEvent> events = new JsonSerde<>(RequestEvent.class);
        JsonSerde<RequestView> views = new JsonSerde<>(RequestView.class);
        builder.addStateStore(store(REQUESTS, views, persistent));
        builder.addStateStore(store(CAMPAIGNS, new JsonSerde<>(CampaignTotals.class), persistent));
        builder.addStateStore(store(CAMPAIGN_REQUESTS, views, persistent));
        builder.addStateStore(store(CAMPAIGN_WAITING, Serdes.String(), persistent));
        KStream<String, RequestEvent> merged = null;
        for (EventKind kind : EventKind.values()) {
            KStream<String, RequestEvent> parsed = builder
                    .stream(kind.topic(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("read-" + kind.name().toLowerCase(java.util.Locale.ROOT)))
                    .process(() -> new EventParser(kind), Named.as("parse-" + kind.name().toLowerCase(java.util.Locale.ROOT)));
            merged = merged == null ? parsed : merged.merge(parsed, Named.as("merge-" + kind.name().toLowerCase(java.util.Locale.ROOT)));
        }
        java.util.Objects.requireNonNull(merged)
                .repartition(Repartitioned.with(Serdes.String(), events).withName("request-events"))
                .process(RequestProcessor::new, Named.as("fold-request"), REQUESTS)
                .repartition(Repartitioned.with(Serdes.String(), new JsonSerde<>(CampaignUpdate.class))
                        .withName("campaign-updates"))
                .process(CampaignProcessor::new, Named.as("count-campaign"), CAMPAIGNS, CAMPAIGN_REQUESTS,
                        CAMPAIGN_WAITING);
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name,
            org.apache.kafka.common.serialization.Serde<V> values, boolean persistent) {
        return Stores.keyValueStoreBuilder(persistent ? Stores.persistentKeyValueStore(name)
                : Stores.inMemoryKeyValueStore(name), Serdes.String(), values)
                .withCachingDisabled();
    }
}
