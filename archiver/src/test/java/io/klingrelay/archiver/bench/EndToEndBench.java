package io.klingrelay.archiver.bench;

import io.klingrelay.archiver.ArchiverApplication;
import io.klingrelay.archiver.archive.ArchiverMetrics;
import io.klingrelay.common.event.AssetKind;
import io.klingrelay.common.event.AssetsArchived;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.event.StatusSource;
import io.klingrelay.common.event.TaskAsset;
import io.klingrelay.common.event.TaskCompleted;
import io.klingrelay.common.event.TaskStatus;
import io.klingrelay.common.json.EventJson;
import io.klingrelay.common.kafka.Topics;
import io.klingrelay.localstack.LocalRedis;
import io.klingrelay.localstack.S3ProxyProcess;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * (c) End-to-end through the archiver service: {@code bench.e2e.requests} completed tasks with one
 * {@code bench.e2e.bytes} (1 KiB) asset each are published on {@code klingrelay.tasks.completed}
 * to the real archiver application (this process, Spring Boot, embedded KRaft broker, redis-server,
 * the same s3proxy), and the run ends when every {@code assets.archived} was consumed. Divided by
 * the same s3proxy's raw 1 KiB PUT rate (MinIO SDK, {@code bench.e2e.put-threads} threads), in the
 * same run. The submitter, Kling (the emulator) and the webhook receiver are not in this run: it
 * measures the archiver's part of the pipeline, from the completion to its outcome ("archiver alone" in the
 * report); the whole pipeline is {@code io.klingrelay.deploy.bench.EndToEndBench}.
 */
final class EndToEndBench {

    private static final String BUCKET = "e2e";

    private EndToEndBench() {
    }

    static void run(StringBuilder report, S3ProxyProcess s3, MinioClient raw, Path work) throws Exception {
        int requests = Integer.getInteger("bench.e2e.requests", 5000);
        int bytes = Integer.getInteger("bench.e2e.bytes", 1024);
        int threads = Integer.getInteger("bench.e2e.put-threads", 16);
        int concurrency = Integer.getInteger("bench.e2e.concurrency", 32);
        raw.makeBucket(MakeBucketArgs.builder().bucket("raw-small").build());
        double rawRate = rawPuts(raw, requests, bytes, threads);
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 3);
        broker.afterPropertiesSet();
        try (LocalRedis redis = LocalRedis.start(Files.createDirectories(work.resolve("redis")), false);
                AssetServer assets = AssetServer.start()) {
            createTopics(broker.getBrokersAsString());
            try (ConfigurableApplicationContext archiver = startArchiver(broker, redis, s3, concurrency)) {
                Figures figures = publishAndAwait(broker.getBrokersAsString(), assets, requests, bytes);
                Timer archive = archiver.getBean(MeterRegistry.class).find(ArchiverMetrics.DURATION.meterName())
                        .tag(ArchiverMetrics.OUTCOME, ArchiverMetrics.ARCHIVED).timer();
                double archiveMs = archive == null ? Double.NaN : archive.mean(TimeUnit.MILLISECONDS);
                write(report, requests, bytes, threads, concurrency, rawRate, figures, archiveMs);
            }
        } finally {
            broker.destroy();
        }
    }

    private static double rawPuts(MinioClient raw, int requests, int bytes, int threads) throws Exception {
        byte[] body = new byte[bytes];
        ArchiveBench.timed(threads, 500, i -> put(raw, "warm-" + i, body)); // warm-up
        double seconds = ArchiveBench.timed(threads, requests, i -> put(raw, "small-" + i, body));
        return requests / seconds;
    }

    private static Object put(MinioClient raw, String name, byte[] body) throws Exception {
        return raw.putObject(PutObjectArgs.builder().bucket("raw-small").object(name)
                .stream(new ByteArrayInputStream(body), (long) body.length, -1L).contentType("video/mp4").build());
    }

    private static void createTopics(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(Topics.TASKS_COMPLETED, 3, (short) 1),
                    new NewTopic(Topics.ASSETS_ARCHIVED, 3, (short) 1), new NewTopic(Topics.REQUESTS_FAILED, 3, (short) 1),
                    new NewTopic(Topics.dlt(Topics.TASKS_COMPLETED), 3, (short) 1))).all().get();
        }
    }

    private static ConfigurableApplicationContext startArchiver(EmbeddedKafkaKraftBroker broker, LocalRedis redis,
            S3ProxyProcess s3, int concurrency) {
        Map<String, Object> properties = new HashMap<>(redis.springProperties());
        properties.put("spring.kafka.bootstrap-servers", broker.getBrokersAsString());
        properties.put("server.port", "0");
        properties.put("klingrelay.archiver.s3.endpoint", s3.endpoint());
        properties.put("klingrelay.archiver.s3.access-key", s3.accessKey());
        properties.put("klingrelay.archiver.s3.secret-key", s3.secretKey());
        properties.put("klingrelay.archiver.bucket", BUCKET);
        properties.put("klingrelay.archiver.allowed-hosts", "127.0.0.1");
        properties.put("klingrelay.archiver.allow-private-addresses", "true");
        properties.put("klingrelay.archiver.concurrency", Integer.toString(concurrency));
        properties.put("logging.structured.format.console", "");
        properties.put("logging.level.root", "warn");
        properties.put("logging.level.io.klingrelay", "warn");
        properties.put("management.tracing.sampling.probability", "0");
        SpringApplication application = new SpringApplication(ArchiverApplication.class);
        application.setDefaultProperties(properties);
        return application.run("--spring.main.banner-mode=off");
    }

    /** Means in milliseconds; rate in archived requests per second. */
    record Figures(double seconds, double rate, double intakeToArchivedMs, double outcomeSendMs,
            double outcomeDeliveryMs, double produceMs) {
    }

    private static Figures publishAndAwait(String bootstrap, AssetServer assets, int requests, int bytes)
            throws Exception {
        Map<String, Long> producedAt = new ConcurrentHashMap<>();
        Set<String> pending = ConcurrentHashMap.newKeySet();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new StringSerializer());
                KafkaConsumer<String, String> consumer = outcomes(bootstrap)) {
            long started = System.nanoTime();
            double produceTotal = 0;
            for (int i = 0; i < requests; i++) {
                String requestId = "e2e-" + UUID.randomUUID();
                pending.add(requestId);
                TaskCompleted task = new TaskCompleted(1, null, requestId, "acct-e2e-" + (i % 8), null,
                        Product.TEXT_TO_VIDEO, "task-" + requestId, TaskStatus.SUCCEED, "", List.of(new TaskAsset(
                        AssetKind.VIDEO, 0, null, assets.url(bytes, requestId), null)), StatusSource.WEBHOOK,
                        Instant.now());
                producer.send(new ProducerRecord<>(Topics.TASKS_COMPLETED, requestId,
                        EventJson.mapper().writeValueAsString(task)), (metadata, error) -> {
                            if (metadata != null) {
                                producedAt.put(requestId, metadata.timestamp());
                            }
                        });
            }
            producer.flush();
            produceTotal = (System.nanoTime() - started) / 1e6;
            double intake = 0;
            double send = 0;
            double delivery = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
            while (!pending.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.topic().equals(Topics.ASSETS_ARCHIVED) && pending.remove(record.key())) {
                        AssetsArchived archived = EventJson.mapper().readValue(record.value(), AssetsArchived.class);
                        long produced = producedAt.getOrDefault(record.key(), record.timestamp());
                        intake += archived.archivedAt().toEpochMilli() - produced;
                        send += record.timestamp() - archived.archivedAt().toEpochMilli();
                        delivery += System.currentTimeMillis() - record.timestamp();
                    }
                }
            }
            if (!pending.isEmpty()) {
                throw new IllegalStateException(pending.size() + " requests not archived within 15 min");
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            return new Figures(seconds, requests / seconds, intake / requests, send / requests, delivery / requests,
                    produceTotal);
        }
    }

    private static KafkaConsumer<String, String> outcomes(String bootstrap) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "e2e-bench-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer());
        // the topics were created empty for this run, so earliest misses nothing whenever the group is assigned
        consumer.subscribe(List.of(Topics.ASSETS_ARCHIVED, Topics.REQUESTS_FAILED));
        return consumer;
    }

    private static void write(StringBuilder report, int requests, int bytes, int threads, int concurrency,
            double rawRate, Figures figures, double archiveMs) {
        report.append("## (c) Archiver alone: ").append(requests).append(" completed tasks × ")
                .append(bytes).append(" B asset (the whole pipeline: deploy's EndToEndBench, e2e-bench.md)\n\n")
                .append("| figure | value |\n|---|---|\n")
                .append("| raw s3proxy 1 KiB PUT rate (MinIO SDK, ").append(threads).append(" threads) | ")
                .append(ArchiveBench.fmt(rawRate)).append(" PUT/s |\n")
                .append("| archived requests/s (tasks.completed published → every assets.archived consumed; archiver concurrency ")
                .append(concurrency).append(") | ").append(ArchiveBench.fmt(figures.rate())).append(" /s in ")
                .append(ArchiveBench.fmt(figures.seconds())).append(" s |\n\n")
                .append("**archived / raw PUT = ").append(String.format(java.util.Locale.ROOT, "%.2f",
                        figures.rate() / rawRate)).append("** (target ≥ 0.5)\n\n")
                .append("Where the time goes (means per request, ms): publishing all ").append(requests)
                .append(" completions took ").append(ArchiveBench.fmt(figures.produceMs())).append(" ms; ")
                .append("completion record → archivedAt (Kafka hop in, park, queue wait, archive) ")
                .append(ArchiveBench.fmt(figures.intakeToArchivedMs())).append("; of which archiving one task (download, PUT, presign) ")
                .append(ArchiveBench.fmt(archiveMs)).append("; archivedAt → outcome record (claim in Redis, send, ack) ")
                .append(ArchiveBench.fmt(figures.outcomeSendMs())).append("; outcome record → consumed ")
                .append(ArchiveBench.fmt(figures.outcomeDeliveryMs())).append(". Create and callback are not in this run.\n\n");
    }
}
