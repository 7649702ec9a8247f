package io.klingrelay.status.query;

import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.StreamsMetadata;
import org.jspecify.annotations.Nullable;

/**
 * Finds the instance that owns a key of a state store ({@link KafkaStreams#queryMetadataForKey}),
 * comparing its {@code application.server} with this instance's own.
 */
public final class KeyRouter {

    private final Supplier<@Nullable KafkaStreams> streams;
    private final HostInfo self;

    /**
     * @param streams the Kafka Streams client (null before it started)
     * @param self    this instance's {@code application.server}
     */
    public KeyRouter(Supplier<@Nullable KafkaStreams> streams, HostInfo self) {
        this.streams = streams;
        this.self = self;
    }

    /**
     * @param store a store name ({@code StatusTopology}'s constants)
     * @param key   a key of that store
     * @return who answers for it
     */
    public Owner ownerOf(String store, String key) {
        KafkaStreams running = streams.get();
        if (running == null || !running.state().isRunningOrRebalancing()) {
            return new Owner.Unavailable();
        }
        KeyQueryMetadata metadata = running.queryMetadataForKey(store, key, Serdes.String().serializer());
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
            return new Owner.Unavailable();
        }
        return self.equals(metadata.activeHost()) ? new Owner.Local() : new Owner.Remote(baseUrl(metadata.activeHost()));
    }

    /** @return the base URLs of every other instance of this application */
    public List<String> otherInstances() {
        KafkaStreams running = streams.get();
        if (running == null) {
            return List.of();
        }
        return running.metadataForAllStreamsClients().stream().map(StreamsMetadata::hostInfo)
                .filter(host -> !self.equals(host)).distinct().map(KeyRouter::baseUrl).toList();
    }

    private static String baseUrl(HostInfo host) {
        return "http://" + host.host() + ":" + host.port();
    }
}
