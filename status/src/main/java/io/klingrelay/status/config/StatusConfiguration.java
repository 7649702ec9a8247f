package io.klingrelay.status.config;

import io.klingrelay.status.query.AssetPresigner;
import io.klingrelay.status.query.KeyRouter;
import io.klingrelay.status.query.LocalStatusStore;
import io.klingrelay.status.query.RemoteStatusClient;
import io.klingrelay.status.query.StatusQueries;
import io.minio.MinioClient;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/** The query side's beans: local stores, routing, forwarding, presigning. */
@Configuration(proxyBeanMethods = false)
public class StatusConfiguration {

    /**
     * @param factoryBean the Kafka Streams factory bean
     * @return reads of this instance's stores
     */
    @Bean
    public LocalStatusStore localStatusStore(StreamsBuilderFactoryBean factoryBean) {
        return LocalStatusStore.of(factoryBean::getKafkaStreams);
    }

    /**
     * @param factoryBean the Kafka Streams factory bean
     * @param self        this instance's {@code application.server}
     * @return the key router
     */
    @Bean
    public KeyRouter keyRouter(StreamsBuilderFactoryBean factoryBean, HostInfo self) {
        return new KeyRouter(factoryBean::getKafkaStreams, self);
    }

    /**
     * @param properties the status settings
     * @return the presigner; it signs nothing when {@code klingrelay.status.s3.endpoint} is empty
     */
    @Bean
    public AssetPresigner assetPresigner(StatusProperties properties) {
        StatusProperties.S3 s3 = properties.s3();
        MinioClient client = !s3.isConfigured() ? null : MinioClient.builder().endpoint(s3.endpoint())
                .region(s3.region()).credentials(s3.accessKey(), s3.secretKey()).build();
        return new AssetPresigner(client, properties.presignExpiry(), Clock.systemUTC());
    }

    /**
     * @param local      this instance's stores
     * @param router     the key router
     * @param properties the status settings
     * @param presigner  the presigner
     * @return the queries the HTTP API and the page answer with
     */
    @Bean
    public StatusQueries statusQueries(LocalStatusStore local, KeyRouter router, StatusProperties properties,
            AssetPresigner presigner) {
        return new StatusQueries(local, router, new RemoteStatusClient(properties.forwardTimeout()), presigner);
    }

    /** @return the scheduler of the Server-Sent Events streams (one tick per stream and interval) */
    @Bean(destroyMethod = "shutdownNow")
    public ScheduledExecutorService statusEventsScheduler() {
        return Executors.newScheduledThreadPool(2, Thread.ofPlatform().name("status-events-", 0).daemon().factory());
    }
}
