package io.klingrelay.campaign.publish;

import io.klingrelay.campaign.input.CampaignFormat;
import io.klingrelay.campaign.input.CampaignLine;
import io.klingrelay.campaign.input.CampaignReader;
import io.klingrelay.campaign.input.CheckReport;
import io.klingrelay.campaign.input.FileCheck;
import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.json.EventJson;
import io.klingrelay.common.kafka.Headers;
import io.klingrelay.common.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;

/**
 * Publishes the valid lines of a checked campaign file to {@code klingrelay.requests} (key: account
 * id, as the submitter expects; header {@code klingrelay_event_type: GenerationRequest}) with an
 * idempotent producer ({@code enable.idempotence=true}, {@code acks=all}), in batches of
 * {@value #BATCH} lines, keeping the {@link PublishJournal} beside the file: a re-run of the same
 * file publishes only what the journal does not show as acknowledged, and skips request ids the
 * caller reports as already known (the status service).
 */
public final class CampaignPublisher implements AutoCloseable {

    /** Lines per batch: one journal write-ahead, one flush and one journal update per batch. */
    public static final int BATCH = 500;

    private final Producer<String, String> producer;

    /** @param producer the producer (idempotent; see {@link #producerConfig}) */
    public CampaignPublisher(Producer<String, String> producer) {
        this.producer = producer;
    }

    /**
     * @param bootstrapServers Kafka {@code bootstrap.servers}
     * @param clientProperties extra client properties (TLS/SASL from {@code --kafka-properties}); they win
     *                         over the defaults here except idempotence and acks
     * @return a producer for campaign publishing
     */
    public static CampaignPublisher connect(String bootstrapServers, Properties clientProperties) {
        return new CampaignPublisher(new KafkaProducer<>(producerConfig(bootstrapServers, clientProperties),
                new StringSerializer(), new StringSerializer()));
    }

    /**
     * @param bootstrapServers Kafka {@code bootstrap.servers}
     * @param clientProperties extra client properties
     * @return the producer configuration: idempotent, {@code acks=all}, bounded waits (a CLI should fail in
     *         seconds, not minutes)
     */
    public static Map<String, Object> producerConfig(String bootstrapServers, Properties clientProperties) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "klingrelay-campaign");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        clientProperties.forEach((key, value) -> config.put(String.valueOf(key), value));
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return config;
    }

    /**
     * What one publish run did.
     *
     * @param published     records acknowledged in this run
     * @param alreadyDone   valid lines skipped because the journal shows them published
     * @param alreadyKnown  valid lines skipped because their request id is already known downstream
     * @param invalid       invalid lines left out
     * @param journal       the journal at the end
     */
    public record Outcome(long published, long alreadyDone, long alreadyKnown, long invalid, PublishJournal journal) {
    }

    /**
     * Publishes what is left of the file.
     *
     * @param file        the campaign file (the one {@code report} checked)
     * @param format      its format
     * @param report      the check of the file; its invalid lines are left out
     * @param journalFile where the journal is kept
     * @param journal     the journal to continue (its hash must be the report's)
     * @param isKnown     whether a request id is already known downstream (checked for every line the
     *                    journal is unsure about, and for every line when {@code checkAll})
     * @param checkAll    whether to ask {@code isKnown} for every line, not only the uncertain ones
     * @param progress    called after each acknowledged batch with the journal
     * @return what was published
     * @throws PublishException when Kafka fails; the journal then shows what is certainly published
     */
    public Outcome publish(Path file, CampaignFormat format, CheckReport report, Path journalFile,
            PublishJournal journal, Predicate<GenerationRequest> isKnown, boolean checkAll,
            Consumer<PublishJournal> progress) {
        Run run = new Run(report, journalFile, journal, isKnown, checkAll, progress);
        try (CampaignReader reader = CampaignReader.open(file, format)) {
            while (reader.hasNext()) {
                run.accept(reader.next());
            }
        }
        run.flush();
        PublishJournal done = run.journal.completed();
        done.write(journalFile);
        return new Outcome(run.published, run.alreadyDone, run.alreadyKnown, run.invalid, done);
    }

    /**
     * Publishes a few requests at once (the retries of a campaign), waiting for every acknowledgement.
     *
     * @param requests the requests
     * @return how many were acknowledged
     * @throws PublishException naming the index of the first request Kafka did not take
     */
    public int publishAll(List<GenerationRequest> requests) {
        AtomicReference<@Nullable Failure> failure = new AtomicReference<>();
        for (int i = 0; i < requests.size(); i++) {
            send(new Line(i + 1, requests.get(i)), failure);
        }
        producer.flush();
        Failure first = failure.get();
        if (first != null) {
            throw new PublishException(PublishJournal.start("-", "-"), first.line(), first.error());
        }
        return requests.size();
    }

    private final class Run {
        private final CheckReport report;
        private final Path journalFile;
        private final Predicate<GenerationRequest> isKnown;
        private final boolean checkAll;
        private final Consumer<PublishJournal> progress;
        private final long uncertainThrough;
        private final long resumeAfter;
        private final List<Line> batch = new ArrayList<>();
        private PublishJournal journal;
        private long examinedThrough;
        private long published;
        private long alreadyDone;
        private long alreadyKnown;
        private long invalid;

        Run(CheckReport report, Path journalFile, PublishJournal journal, Predicate<GenerationRequest> isKnown,
                boolean checkAll, Consumer<PublishJournal> progress) {
            this.report = report;
            this.journalFile = journalFile;
            this.journal = journal;
            this.isKnown = isKnown;
            this.checkAll = checkAll;
            this.progress = progress;
            this.uncertainThrough = journal.sendingThrough();
            this.examinedThrough = journal.publishedThrough();
            this.resumeAfter = journal.publishedThrough();
        }

        void accept(CampaignLine line) {
            if (line.lineNumber() <= resumeAfter) {
                countDone(line);
                return;
            }
            examinedThrough = line.lineNumber();
            if (report.isInvalid(line.lineNumber())) {
                invalid++;
            } else {
                GenerationRequest request = FileCheck.inCampaign(Objects.requireNonNull(line.request()), report.campaignId());
                if (mustAsk(line) && isKnown.test(request)) {
                    alreadyKnown++;
                } else {
                    batch.add(new Line(line.lineNumber(), request));
                }
            }
            if (batch.size() >= BATCH) {
                flush();
            }
        }

        private void countDone(CampaignLine line) {
            if (report.isInvalid(line.lineNumber())) {
                invalid++;
            } else {
                alreadyDone++;
            }
        }

        private boolean mustAsk(CampaignLine line) {
            return checkAll || line.lineNumber() <= uncertainThrough;
        }

        void flush() {
            if (batch.isEmpty()) {
                if (examinedThrough > journal.publishedThrough()) {
                    journal = journal.acknowledged(examinedThrough, 0);
                    journal.write(journalFile);
                }
                return;
            }
            journal = journal.sending(examinedThrough);
            journal.write(journalFile);
            AtomicReference<@Nullable Failure> failure = new AtomicReference<>();
            for (Line line : batch) {
                send(line, failure);
            }
            producer.flush();
            Failure first = failure.get();
            if (first != null) {
                throw new PublishException(journal, first.line(), first.error());
            }
            published += batch.size();
            journal = journal.acknowledged(examinedThrough, batch.size());
            journal.write(journalFile);
            batch.clear();
            progress.accept(journal);
        }
    }

    private void send(Line line, AtomicReference<@Nullable Failure> failure) {
        GenerationRequest request = line.request();
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.REQUESTS, request.accountId(),
                EventJson.mapper().writeValueAsString(request));
        record.headers().add(Headers.EVENT_TYPE, "GenerationRequest".getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, new Failure(line.number(), error));
                }
            });
        } catch (RuntimeException e) {
            failure.compareAndSet(null, new Failure(line.number(), e));
        }
    }

    private record Line(long number, GenerationRequest request) {
    }

    private record Failure(long line, Throwable error) {
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
