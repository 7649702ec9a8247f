package io.klingrelay.campaign.command;

import io.klingrelay.campaign.input.CampaignFormat;
import io.klingrelay.campaign.input.CampaignLine;
import io.klingrelay.campaign.input.CampaignReader;
import io.klingrelay.campaign.publish.CampaignPublisher;
import io.klingrelay.campaign.publish.PublishException;
import io.klingrelay.campaign.remote.Connection;
import io.klingrelay.campaign.remote.StatusClient;
import io.klingrelay.common.event.FailureStage;
import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.json.EventJson;
import io.klingrelay.common.kafka.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code campaign retry CAMPAIGN [--stage ...]}: publishes a new request for every failed request of
 * the campaign (of the given stages) that has no later attempt yet, with a derived id
 * ({@link RetryIds}: {@code <id>.r1}) and {@code retryOf} naming the failed one, so the failed
 * request's history stays as it was. The original request bodies come from {@code --from FILE}
 * (the campaign file) or else from {@code klingrelay.requests}, read from its beginning.
 * Running it again retries nothing twice: a failed request whose next attempt exists is skipped.
 */
@Command(name = "retry", mixinStandardHelpOptions = true,
        description = "Publish new requests (ids <id>.r1, .r2, ... with retryOf) for a campaign's failed requests.")
public final class RetryCommand implements Callable<Integer> {

    @Parameters(paramLabel = "CAMPAIGN", description = "the campaign id")
    String campaignId = "";

    @Option(names = "--stage", paramLabel = "STAGE", split = ",",
            description = "only failures of these stages: generation, archive, submission (default: all three)")
    List<String> stages = List.of("generation", "archive", "submission");

    @Option(names = "--from", paramLabel = "FILE", description = "take the request bodies from this campaign file instead of Kafka")
    @Nullable Path from;

    @Option(names = "--yes", description = "publish without asking")
    boolean yes;

    @Option(names = "--follow", description = "after publishing, show the campaign's progress until every request ended")
    boolean follow;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT30M", converter = DurationConverter.class,
            description = "how long --follow waits at most (default: 30m)")
    Duration timeout = Duration.ofMinutes(30);

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Spec
    @Nullable CommandSpec spec;

    @Override
    public Integer call() {
        Console console = Console.of(Objects.requireNonNull(spec).commandLine().getOut(), System.getenv());
        return run(console, connection.resolve());
    }

    int run(Console console, Connection connection) {
        Set<String> wanted = checkedStages();
        StatusClient status = connection.requireStatus();
        Set<String> known = new HashSet<>();
        List<JsonNode> failed = new ArrayList<>();
        status.forEachRequest(campaignId, null, view -> {
            known.add(view.path("requestId").asString(""));
            if ("failed".equals(view.path("state").asString("")) && wanted.contains(view.path("failure").path("stage").asString(""))) {
                failed.add(view);
            }
        });
        Map<String, String> retries = plan(console, failed, known);
        if (retries.isEmpty()) {
            console.printf("campaign %s: nothing to retry (%d failed request(s) of stage %s without a later attempt)%n",
                    campaignId, 0, String.join("/", stages));
            return 0;
        }
        Map<String, GenerationRequest> originals = originals(connection, new HashSet<>(retries.keySet()));
        List<GenerationRequest> requests = new ArrayList<>();
        retries.forEach((failedId, retryId) -> {
            GenerationRequest original = originals.get(failedId);
            if (original == null) {
                console.printf("  %s: its request body was not found (%s); not retried%n", failedId,
                        from == null ? "no longer on " + Topics.REQUESTS + "? try --from FILE" : "not in " + from);
            } else {
                requests.add(retry(original, failedId, retryId));
            }
        });
        if (requests.isEmpty()) {
            return 1;
        }
        return publish(console, connection, requests, known.size());
    }

    private Set<String> checkedStages() {
        Set<String> allowed = Set.of(FailureStage.GENERATION.wireName(), FailureStage.ARCHIVE.wireName(),
                FailureStage.SUBMISSION.wireName());
        Set<String> wanted = new HashSet<>();
        for (String stage : stages) {
            String name = stage.strip().toLowerCase(Locale.ROOT);
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException("--stage " + stage + ": allowed values: generation, archive, submission");
            }
            wanted.add(name);
        }
        return wanted;
    }

    /** @return failed request id → retry id, for failures without a later attempt */
    private Map<String, String> plan(Console console, List<JsonNode> failed, Set<String> known) {
        Map<String, Integer> latestAttempt = new HashMap<>();
        known.forEach(id -> latestAttempt.merge(RetryIds.base(id), RetryIds.attempt(id), Math::max));
        Map<String, String> retries = new LinkedHashMap<>();
        for (JsonNode view : failed) {
            String id = view.path("requestId").asString("");
            if (RetryIds.attempt(id) < latestAttempt.getOrDefault(RetryIds.base(id), 0)) {
                continue;
            }
            Optional<String> next = RetryIds.next(id);
            if (next.isEmpty()) {
                console.printf("  %s: a retry id would be longer than 128 characters; not retried%n", id);
            } else {
                console.printf("  %s (%s: %s) -> %s%n", id, view.path("failure").path("stage").asString("?"),
                        view.path("failure").path("reason").asString("?"), next.get());
                retries.put(id, next.get());
            }
        }
        return retries;
    }

    private GenerationRequest retry(GenerationRequest original, String failedId, String retryId) {
        return new GenerationRequest(GenerationRequest.CURRENT_SCHEMA_VERSION, null, retryId, original.accountId(),
                campaignId, original.priority(), original.product(), original.input(), Instant.now(), failedId);
    }

    private Map<String, GenerationRequest> originals(Connection connection, Set<String> failedIds) {
        Map<String, String> baseOf = new HashMap<>();
        failedIds.forEach(id -> baseOf.put(id, RetryIds.base(id)));
        Map<String, GenerationRequest> byId = from != null ? fromFile(from, failedIds, new HashSet<>(baseOf.values()))
                : fromKafka(connection, failedIds);
        Map<String, GenerationRequest> originals = new HashMap<>();
        for (String id : failedIds) {
            GenerationRequest found = byId.containsKey(id) ? byId.get(id) : byId.get(baseOf.get(id));
            if (found != null) {
                originals.put(id, found);
            }
        }
        return originals;
    }

    private static Map<String, GenerationRequest> fromFile(Path file, Set<String> ids, Set<String> baseIds) {
        Map<String, GenerationRequest> found = new HashMap<>();
        try (CampaignReader reader = CampaignReader.open(file, CampaignFormat.of(file))) {
            while (reader.hasNext()) {
                CampaignLine line = reader.next();
                GenerationRequest request = line.request();
                if (request != null && request.requestId() != null
                        && (ids.contains(request.requestId()) || baseIds.contains(request.requestId()))) {
                    found.put(request.requestId(), request);
                }
            }
        }
        return found;
    }

    /** Reads {@code klingrelay.requests} from the beginning up to its end at the start of the read. */
    private static Map<String, GenerationRequest> fromKafka(Connection connection, Set<String> ids) {
        Map<String, Object> config = new HashMap<>();
        connection.kafkaProperties().forEach((key, value) -> config.put(String.valueOf(key), value));
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.requireBootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "klingrelay-campaign-retry-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, GenerationRequest> found = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.REQUESTS, Duration.ofSeconds(20)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(20));
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))
                    && found.size() < ids.size()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    GenerationRequest request = parse(record.value());
                    if (request != null && request.requestId() != null && ids.contains(request.requestId())) {
                        found.put(request.requestId(), request);
                    }
                }
            }
        }
        return found;
    }

    private static @Nullable GenerationRequest parse(@Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return EventJson.mapper().readValue(value, GenerationRequest.class);
        } catch (JacksonException e) {
            return null;
        }
    }

    private int publish(Console console, Connection connection, List<GenerationRequest> requests, int knownBefore) {
        String bootstrap = connection.requireBootstrapServers();
        if (!yes) {
            if (!console.isInteractive()) {
                console.println("refused: no terminal to confirm on (or CI=true); pass --yes to publish the retries");
                return SubmitCommand.REFUSED;
            }
            if (!console.confirm("Publish " + requests.size() + " retries to " + Topics.REQUESTS + " at " + bootstrap + "?")) {
                console.println("nothing published");
                return SubmitCommand.REFUSED;
            }
        }
        try (CampaignPublisher publisher = CampaignPublisher.connect(bootstrap, connection.kafkaProperties())) {
            publisher.publishAll(requests);
        } catch (PublishException e) {
            console.printf("stopped: Kafka did not take every retry (%s); run retry again: it skips what was published%n",
                    e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            return SubmitCommand.PUBLISH_FAILED;
        }
        console.printf("campaign %s: published %d retr%s to %s%n", campaignId, requests.size(),
                requests.size() == 1 ? "y" : "ies", Topics.REQUESTS);
        if (!follow) {
            return 0;
        }
        // the campaign ends when its known requests and these retries all ended: the service may not
        // have read the retries yet, and without the expectation --follow would stop at once
        CampaignCounts counts = new Follower(connection, console, console.isInteractive())
                .follow(campaignId, (long) knownBefore + requests.size(), timeout);
        console.println(counts.summary(campaignId));
        return counts.pending() == 0 ? 0 : 1;
    }
}
