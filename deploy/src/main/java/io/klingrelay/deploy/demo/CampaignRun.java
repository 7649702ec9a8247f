package io.klingrelay.deploy.demo;

import io.klingrelay.common.kafka.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a campaign to {@code klingrelay.requests} and follows its requests on the pipeline's
 * topics with its own consumer group, reading from the beginning.
 *
 * @param bootstrapServers Kafka {@code bootstrap.servers}
 * @param runId            this run's id (request id suffix and consumer group suffix)
 */
public record CampaignRun(String bootstrapServers, String runId) {

    private static final Duration POLL = Duration.ofMillis(500);

    /**
     * Publishes every entry (key: account id; a raw line has no key) and starts tracking it.
     *
     * @param entries the campaign
     * @param tracker the tracker to register the requests with
     * @throws IllegalStateException when Kafka does not acknowledge a record within 30 s
     */
    public void publish(List<CampaignEntry> entries, RequestTracker tracker) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.CLIENT_ID_CONFIG, "klingrelay-demo-" + runId),
                new StringSerializer(), new StringSerializer())) {
            for (CampaignEntry entry : entries) {
                RecordMetadata metadata = send(producer, entry);
                tracker.track(entry, entry.isRaw() ? locator(metadata) : entry.requestId());
            }
        }
    }

    /**
     * The id a stage uses for a record it could not parse at all (see {@code RequestFailed#requestId}).
     *
     * @param metadata where the record landed
     * @return {@code klingrelay.requests-<partition>@<offset>}
     */
    static String locator(RecordMetadata metadata) {
        return metadata.topic() + "-" + metadata.partition() + "@" + metadata.offset();
    }

    private static RecordMetadata send(KafkaProducer<String, String> producer, CampaignEntry entry) {
        try {
            return producer.send(new ProducerRecord<>(Topics.REQUESTS, entry.accountId(), entry.payload()))
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not take campaign line " + entry.lineNumber(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        }
    }

    /**
     * Reads events until every tracked request has ended or {@code timeout} passed.
     *
     * @param tracker  the tracker to feed
     * @param timeout  how long to wait at most
     * @param progress called with the tracker after each poll in which some request changed state
     * @return whether every request ended in time
     */
    public boolean follow(RequestTracker tracker, Duration timeout, Consumer<RequestTracker> progress) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "klingrelay-demo-" + runId,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(RequestTracker.TOPICS);
            while (!tracker.allTerminal() && System.nanoTime() < deadline) {
                boolean changed = false;
                for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                    changed |= tracker.apply(record.topic(), record.value());
                }
                if (changed) {
                    progress.accept(tracker);
                }
            }
        }
        return tracker.allTerminal();
    }
}
