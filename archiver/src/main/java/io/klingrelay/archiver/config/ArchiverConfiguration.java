package io.klingrelay.archiver.config;

import io.klingrelay.archiver.archive.ArchiveService;
import io.klingrelay.archiver.archive.AssetStore;
import io.klingrelay.archiver.archive.FullJitterBackOff;
import io.klingrelay.archiver.archive.MinioAssetStore;
import io.klingrelay.archiver.archive.ObservedAssetStore;
import io.klingrelay.archiver.archive.OutcomePublisher;
import io.klingrelay.archiver.archive.TaskCompletedListener;
import io.klingrelay.archiver.download.AssetDownloader;
import io.klingrelay.archiver.download.HostPolicy;
import io.klingrelay.coordination.outcome.OutcomeLedger;
import io.klingrelay.coordination.publish.KafkaEventPublisher;
import io.klingrelay.coordination.config.CoordinationConfiguration;
import io.klingrelay.coordination.trace.RequestTraces;
import io.micrometer.core.instrument.MeterRegistry;
import io.minio.MinioClient;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.core.KafkaTemplate;

/** The archiver's beans: object store, downloader, archive service and listener. */
@Configuration(proxyBeanMethods = false)
@Import(CoordinationConfiguration.class)
public class ArchiverConfiguration {

    /** How long an outcome publish waits for Kafka's acknowledgement. */
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(30);

    /**
     * @param properties the archiver's properties
     * @return a MinIO client for {@code klingrelay.archiver.s3.*}; the region is fixed, so
     *         presigning needs no call to the store
     */
    @Bean
    public MinioClient minioClient(ArchiverProperties properties) {
        ArchiverProperties.S3 s3 = properties.s3();
        return MinioClient.builder()
                .endpoint(s3.endpoint())
                .region(s3.region())
                .credentials(s3.accessKey(), s3.secretKey())
                .build();
    }

    /**
     * Creates the bucket when missing, before the listener starts.
     *
     * @param client     the MinIO client
     * @param properties the archiver's properties
     * @return the object store
     */
    @Bean
    public AssetStore assetStore(MinioClient client, ArchiverProperties properties) {
        MinioAssetStore store = new MinioAssetStore(client, properties.bucket(), properties.partSize().toBytes());
        store.ensureBucket();
        return store;
    }

    /**
     * @param properties the archiver's properties
     * @return the SSRF-safe downloader
     */
    @Bean
    public AssetDownloader assetDownloader(ArchiverProperties properties) {
        HostPolicy policy = new HostPolicy(properties.allowedHosts(), properties.allowPrivateAddresses());
        return new AssetDownloader(policy, properties.maxAssetSize().toBytes(), properties.connectTimeout(),
                properties.readTimeout());
    }

    /**
     * @param downloader the downloader
     * @param store      the object store
     * @param properties the archiver's properties
     * @param meters     the meter registry
     * @param traces     opens a span per upload
     * @return the archive service
     */
    @Bean
    public ArchiveService archiveService(AssetDownloader downloader, AssetStore store, ArchiverProperties properties,
            MeterRegistry meters, RequestTraces traces) {
        ArchiverProperties.Retry retry = properties.retry();
        FullJitterBackOff backOff = new FullJitterBackOff(retry.maxAttempts(), retry.initialDelay(), retry.maxDelay());
        return new ArchiveService(downloader, new ObservedAssetStore(store, traces), backOff, properties.downloadDeadline(),
                properties.presignedUrlExpiry(), meters, Clock.systemUTC());
    }

    /**
     * @param ledger   the outcome ledger (Redis)
     * @param template the Kafka template
     * @return the outcome publisher: claims each outcome, then publishes it and waits for the ack
     */
    @Bean
    public OutcomePublisher outcomePublisher(OutcomeLedger ledger, KafkaTemplate<String, Object> template) {
        return new OutcomePublisher(ledger, new KafkaEventPublisher(template, PUBLISH_TIMEOUT));
    }

    /**
     * @param archiveService the archive service
     * @param publisher      the outcome publisher
     * @return the {@code klingrelay.tasks.completed} listener
     */
    @Bean
    public TaskCompletedListener taskCompletedListener(ArchiveService archiveService, OutcomePublisher publisher) {
        return new TaskCompletedListener(archiveService, publisher);
    }
}
