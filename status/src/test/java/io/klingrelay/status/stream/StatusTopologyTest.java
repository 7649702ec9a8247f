package io.klingrelay.status.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.common.kafka.Topics;
import io.klingrelay.status.EventPayloads;
import io.klingrelay.status.EventPayloads.Payload;
import io.klingrelay.status.model.CampaignView;
import io.klingrelay.status.model.FailureCount;
import io.klingrelay.status.model.HistoryEntry;
import io.klingrelay.status.model.RequestState;
import io.klingrelay.status.model.RequestView;
import io.klingrelay.status.query.LocalStatusStore;
import io.klingrelay.status.query.RequestFilter;
import io.klingrelay.status.query.RequestPage;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topology in a {@link TopologyTestDriver}: state transitions, idempotence and campaign totals. */
class StatusTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
    private static final String CAMPAIGN = "spring-sale";

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private final Map<String, TestInputTopic<String, byte[]>> topics = new HashMap<>();
    private LocalStatusStore store;

    @BeforeEach
    void startDriver() {
        StreamsBuilder builder = new StreamsBuilder();
        StatusTopology.build(builder, false);
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "status-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), config);
        for (String topic : List.of(Topics.REQUESTS, Topics.TASKS_SUBMITTED, Topics.TASKS_STATUS, Topics.TASKS_COMPLETED,
                Topics.ASSETS_ARCHIVED, Topics.REQUESTS_FAILED)) {
            topics.put(topic, driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer()));
        }
        store = new LocalStatusStore(new LocalStatusStore.StoreLookup() {
            @Override
            public <V> ReadOnlyKeyValueStore<String, V> keyValueStore(String name) {
                return driver.<String, V>getKeyValueStore(name);
            }
        });
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void followsARequestFromQueuedToArchivedWithItsHistoryTaskIdUnitsAndAssets() {
        // GIVEN
        EventPayloads request = new EventPayloads("brand-a", "r-1", CAMPAIGN);
        List<Payload> journey = request.archivedJourney(T0, "1.5");
        List<RequestState> seen = new ArrayList<>();

        // WHEN
        for (Payload payload : journey) {
            publish(payload);
            seen.add(view("brand-a", "r-1").state());
        }

        // THEN
        assertThat(seen).containsExactly(RequestState.QUEUED, RequestState.SUBMITTED, RequestState.PROCESSING,
                RequestState.GENERATED, RequestState.ARCHIVED);
        RequestView view = view("brand-a", "r-1");
        assertThat(view.taskId()).isEqualTo("task-r-1");
        assertThat(view.campaignId()).isEqualTo(CAMPAIGN);
        assertThat(view.product()).isEqualTo("image-generation");
        assertThat(view.units()).isEqualByComparingTo("1.5");
        assertThat(view.history()).extracting(HistoryEntry::state).containsExactly(RequestState.QUEUED,
                RequestState.SUBMITTED, RequestState.PROCESSING, RequestState.GENERATED, RequestState.ARCHIVED);
        assertThat(view.history()).extracting(HistoryEntry::source).contains("webhook", "poller");
        assertThat(view.assets()).singleElement().satisfies(asset -> {
            assertThat(asset.objectKey()).isEqualTo("brand-a/r-1/image-0.png");
            assertThat(asset.isImage()).isTrue();
        });
        assertThat(view.requestedAt()).isEqualTo(T0);
        assertThat(view.updatedAt()).isEqualTo(T0.plusSeconds(4));
        assertThat(view.failure()).isNull();
        CampaignView campaign = campaign();
        assertThat(campaign.total()).isEqualTo(1);
        assertThat(campaign.counts()).containsEntry("archived", 1L).containsEntry("queued", 0L);
        assertThat(campaign.units()).isEqualByComparingTo("1.5");
        assertThat(campaign.oldestWaiting()).isNull();
    }

    @Test
    void countsEveryRequestOnceWhenEveryEventIsDelivered3Times() {
        // GIVEN
        List<Payload> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.addAll(new EventPayloads("brand-a", "r-" + i, CAMPAIGN).archivedJourney(T0.plusSeconds(i), "2"));
        }

        // WHEN: a replay after a crash, and a duplicate publication, interleaved
        events.forEach(this::publish);
        events.forEach(this::publish);
        events.reversed().forEach(this::publish);

        // THEN
        CampaignView campaign = campaign();
        assertThat(campaign.total()).isEqualTo(20);
        assertThat(campaign.counts()).containsEntry("archived", 20L);
        assertThat(campaign.accounts()).containsOnlyKeys("brand-a");
        assertThat(campaign.accounts().get("brand-a")).containsEntry("archived", 20L).containsEntry("queued", 0L);
        assertThat(campaign.units()).isEqualByComparingTo("40");
        assertThat(view("brand-a", "r-3").history()).hasSize(5);
    }

    @Test
    void movesARequestBetweenStatesSubtractingItsOldState() {
        // GIVEN
        EventPayloads a = new EventPayloads("brand-a", "r-a", CAMPAIGN);
        EventPayloads b = new EventPayloads("brand-b", "r-b", CAMPAIGN);

        // WHEN
        publish(a.requested(T0, null));
        publish(b.requested(T0.plusSeconds(1), null));
        publish(a.submitted(T0.plusSeconds(2)));

        // THEN
        assertThat(campaign().counts()).containsEntry("queued", 1L).containsEntry("submitted", 1L);
        assertThat(campaign().accounts().get("brand-a")).containsEntry("submitted", 1L).containsEntry("queued", 0L);
        assertThat(campaign().accounts().get("brand-b")).containsEntry("queued", 1L);
        assertThat(campaign().oldestWaiting().requestId()).isEqualTo("r-a");

        // WHEN
        publish(a.status("processing", T0.plusSeconds(3)));
        publish(a.completed(false, null, T0.plusSeconds(4)));
        publish(a.failed("generation", "content policy", T0.plusSeconds(5)));

        // THEN
        CampaignView campaign = campaign();
        assertThat(campaign.total()).isEqualTo(2);
        assertThat(campaign.counts()).containsEntry("failed", 1L).containsEntry("queued", 1L)
                .containsEntry("submitted", 0L).containsEntry("processing", 0L);
        assertThat(campaign.counts().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2);
        assertThat(campaign.failuresByReason()).containsExactly(new FailureCount("generation", "content policy", 1));
        assertThat(campaign.oldestWaiting().requestId()).isEqualTo("r-b");
        assertThat(view("brand-a", "r-a").failure().stage()).isEqualTo("generation");
    }

    @Test
    void reachesTheSameStateWhenTopicsArriveOutOfOrder() {
        // GIVEN
        EventPayloads request = new EventPayloads("brand-a", "r-late", CAMPAIGN);
        List<Payload> journey = request.archivedJourney(T0, "3");

        // WHEN: the outcome first, the request last (different topics, different partitions)
        journey.reversed().forEach(this::publish);

        // THEN
        RequestView view = view("brand-a", "r-late");
        assertThat(view.state()).isEqualTo(RequestState.ARCHIVED);
        assertThat(view.history()).extracting(HistoryEntry::at).isSorted();
        assertThat(view.requestedAt()).isEqualTo(T0);
        assertThat(campaign().counts()).containsEntry("archived", 1L).containsEntry("queued", 0L);
        assertThat(campaign().total()).isEqualTo(1);
    }

    @Test
    void readsUnitsAndRetryOfAndSkipsRecordsThatAreNotJsonOrNameNoRequest() {
        // GIVEN
        EventPayloads retry = new EventPayloads("brand-a", "r-1.retry-1", CAMPAIGN);

        // WHEN
        topics.get(Topics.REQUESTS).pipeInput("brand-a", "not json {".getBytes(StandardCharsets.UTF_8));
        topics.get(Topics.TASKS_STATUS).pipeInput("x", "{\"taskStatus\":\"processing\"}".getBytes(StandardCharsets.UTF_8));
        publish(retry.requested(T0, "r-1"));
        publish(retry.completed(true, "0.25", T0.plusSeconds(1)));

        // THEN
        RequestView view = view("brand-a", "r-1.retry-1");
        assertThat(view.retryOf()).isEqualTo("r-1");
        assertThat(view.units()).isEqualTo(new BigDecimal("0.25"));
        assertThat(view.state()).isEqualTo(RequestState.GENERATED);
        assertThat(campaign().total()).isEqualTo(1);
    }

    @Test
    void pagesACampaignsRequestsByRequestIdWithStateFilterAndSearch() {
        // GIVEN
        for (int i = 0; i < 25; i++) {
            EventPayloads request = new EventPayloads(i % 2 == 0 ? "brand-a" : "brand-b", String.format("r-%03d", i), CAMPAIGN);
            publish(request.requested(T0.plusSeconds(i), null));
            if (i % 5 == 0) {
                publish(request.failed("submission", "quota", T0.plusSeconds(100 + i)));
            }
        }

        // WHEN
        RequestPage first = store.campaignRequests(CAMPAIGN, new RequestFilter(null, null, null, 10));
        RequestPage second = store.campaignRequests(CAMPAIGN, new RequestFilter(null, null, first.next(), 10));
        RequestPage third = store.campaignRequests(CAMPAIGN, new RequestFilter(null, null, second.next(), 10));
        RequestPage failed = store.campaignRequests(CAMPAIGN, new RequestFilter(RequestState.FAILED, null, null, 100));
        RequestPage search = store.campaignRequests(CAMPAIGN, new RequestFilter(null, "R-01", null, 100));

        // THEN
        assertThat(first.requests()).extracting(RequestView::requestId).first().isEqualTo("r-000");
        assertThat(second.requests()).extracting(RequestView::requestId).first().isEqualTo("r-010");
        assertThat(third.requests()).hasSize(5);
        assertThat(third.next()).isNull();
        assertThat(failed.requests()).extracting(RequestView::requestId)
                .containsExactly("r-000", "r-005", "r-010", "r-015", "r-020");
        assertThat(search.requests()).hasSize(10);
        assertThat(store.campaigns()).extracting(CampaignView::campaignId).containsExactly(CAMPAIGN);
    }

    private void publish(Payload payload) {
        topics.get(payload.topic()).pipeInput(payload.key(), payload.json().getBytes(StandardCharsets.UTF_8));
    }

    private RequestView view(String accountId, String requestId) {
        return store.request(accountId, requestId).orElseThrow();
    }

    private CampaignView campaign() {
        return store.campaign(CAMPAIGN).orElseThrow();
    }
}
