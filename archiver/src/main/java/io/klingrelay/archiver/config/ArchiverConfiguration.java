package io.klingrelay.archiver.config;

import io.klingrelay.archiver.archive.ArchiveService;
import io.klingrelay.archiver.archive.AssetStore;
import io.klingrelay.archiver.archive.MinioAssetStore;
import io.klingrelay.archiver.archive.ObservedAssetStore;
import io.klingrelay.archiver.download.AssetDownloader;
import io.klingrelay.archiver.queue.ArchiveQueue;
import io.klingrelay.archiver.queue.ArchiveWorkers;
import io.klingrelay.archiver.queue.TaskCompletedListener;
import io.klingrelay.archiver.queue.WorkerSettings;
import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.archiver.download.HostPolicy;
import io.klingrelay.coordination.outcome.OutcomeLedger;
import io.klingrelay.coordination.outcome.OutcomePublisher;
import io.klingrelay.coordination.publish.KafkaEventPublisher;
import io.klingrelay.coordination.retry.FullJitterBackOff;
import io.klingrelay.coordination.config.CoordinationConfiguration;
import io.klingrelay.coordination.trace.RequestTraces;
import io.micrometer.core.instrument.MeterRegistry;
import io.minio.MinioClient;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.json.JsonMapper;

/** The archiver's beans: object store, downloader, archive service, Redis archive queue, workers and listener. */
@Configuration(proxyBeanMethods = false)
@Import(CoordinationConfiguration.class)
public class ArchiverConfiguration {

    /** Who claims outcomes in this service, recorded with each claim for diagnosis. */
    private static final String CLAIMANT = "archiver";
    /** How long the workers wait for a ready task before asking Redis again (retries falling due, other archivers' parks). */
    private static final Duration IDLE_POLL = Duration.ofMillis(200);
    /** How long tasks in flight may finish at shutdown (within spring.lifecycle.timeout-per-shutdown-phase). */
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

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
                properties.presignedUrlExpiry(), meters, Clock.systemUTC(), properties.assetConcurrency());
    }

    /**
     * @param ledger   the outcome ledger (Redis)
     * @param template the Kafka template
     * @return the outcome publisher: claims each outcome, then publishes it and waits for the ack,
     *         so an offset is committed and a task leaves the queue only afterwards
     */
    @Bean
    public OutcomePublisher outcomePublisher(OutcomeLedger ledger, KafkaTemplate<String, Object> template) {
        KafkaEventPublisher kafka = new KafkaEventPublisher(template, ArchiverKafkaConfiguration.PUBLISH_TIMEOUT);
        return new OutcomePublisher(ledger, kafka, CLAIMANT);
    }

    /**
     * @param redis  Boot's Redis template
     * @param keys   the key layout
     * @param mapper Boot's JSON mapper
     * @return the Redis archive queue
     */
    @Bean
    public ArchiveQueue archiveQueue(StringRedisTemplate redis, RedisKeys keys, JsonMapper mapper) {
        return new ArchiveQueue(redis, keys, mapper, Clock.systemUTC());
    }

    /**
     * @param queue          the archive queue
     * @param archiveService the archive service
     * @param publisher      the outcome publisher
     * @param template       the Kafka template (dead letters)
     * @param traces         continues each task's trace
     * @param properties     the archiver's properties
     * @return the workers, started with the context
     */
    @Bean
    public ArchiveWorkers archiveWorkers(ArchiveQueue queue, ArchiveService archiveService, OutcomePublisher publisher,
            KafkaTemplate<String, Object> template, RequestTraces traces, ArchiverProperties properties) {
        ArchiverProperties.StoreOutage outage = properties.storeOutage();
        WorkerSettings settings = new WorkerSettings(properties.concurrency(), properties.inFlightLease(), IDLE_POLL,
                STOP_GRACE, properties.downloadRetry().initialDelay(), properties.downloadRetry().maxDelay(),
                outage.initialDelay(), outage.maxDelay(), outage.giveUpAfter());
        return ArchiveWorkers.create(queue, archiveService, publisher, template, traces, settings, Clock.systemUTC());
    }

    /**
     * @param queue          the archive queue
     * @param archiveService the archive service
     * @param publisher      the outcome publisher
     * @param traces         reads the listener's span
     * @param workers        woken on each park
     * @return the {@code klingrelay.tasks.completed} listener
     */
    @Bean
    public TaskCompletedListener taskCompletedListener(ArchiveQueue queue, ArchiveService archiveService,
            OutcomePublisher publisher, RequestTraces traces, ArchiveWorkers workers) {
        return new TaskCompletedListener(queue, archiveService, publisher, traces, workers::wake);
    }
}
