package io.klingrelay.poller.polling;

import io.klingrelay.common.error.AccountException;
import io.klingrelay.common.error.PermanentException;
import io.klingrelay.common.error.TransientException;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.event.StatusSource;
import io.klingrelay.common.event.TaskCompleted;
import io.klingrelay.common.event.TaskStatus;
import io.klingrelay.common.event.TaskStatusChanged;
import io.klingrelay.coordination.publish.EventPublisher;
import io.klingrelay.coordination.publish.RecordingPublisher;
import io.klingrelay.coordination.task.Proposal;
import io.klingrelay.coordination.task.TaskLedger;
import io.klingrelay.coordination.task.TaskRecord;
import io.klingrelay.klingclient.api.KlingClient;
import io.klingrelay.klingclient.api.KlingTask;
import io.klingrelay.klingclient.api.TaskNotFoundException;
import io.klingrelay.klingclient.config.KlingAccount;
import io.klingrelay.klingclient.config.KlingProperties;
import io.klingrelay.coordination.trace.RequestTraces;
import io.klingrelay.poller.config.PollerProperties;
import io.klingrelay.poller.config.QueryProperties;
import io.klingrelay.poller.config.ScheduleProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.InOrder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.any;
import static org.mockito.BDDMockito.anyInt;
import static org.mockito.BDDMockito.anyString;
import static org.mockito.BDDMockito.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.inOrder;
import static org.mockito.BDDMockito.mock;
import static org.mockito.BDDMockito.never;
import static org.mockito.BDDMockito.spy;
import static org.mockito.BDDMockito.then;

@ExtendWith(OutputCaptureExtension.class)
class TaskPollerTest {

    private static final Instant NOW = Instant.parse("2026-09-01T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String SECRET_KEY = "unit-test-secret-key-0123456789abcdef";
    private static final KlingAccount ACCOUNT = new KlingAccount("brand-a", "ak-unit-test-access", SECRET_KEY, 5);
    private static final String REQUEST = "req-1";
    private static final String TASK_ID = "828338674605228111";
    private static final PollerProperties PROPERTIES = new PollerProperties(Duration.ofMinutes(10),
            Duration.ofSeconds(30), Duration.ofSeconds(1), null, 100, Duration.ofHours(2), 2, Duration.ofSeconds(5),
            Duration.ofMinutes(10), Duration.ofMinutes(2));

    /** The back-off drawn at the top of its jitter range, so the next look is predictable. */
    private static final PollSchedule SCHEDULE = new PollSchedule(new ExpectedDurations(ScheduleProperties.defaults()),
            ScheduleProperties.defaults(), PROPERTIES.grace(), PROPERTIES.recheck(), () -> 1.0);

    private final TaskLedger ledger = mock(TaskLedger.class);
    private final KlingClient client = mock(KlingClient.class);
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final KlingProperties kling = new KlingProperties(URI.create("http://127.0.0.1:1"), Duration.ofSeconds(1),
            Duration.ofSeconds(1), Duration.ofSeconds(60), List.of(ACCOUNT));

    private TaskPoller poller(EventPublisher eventPublisher) {
        return new TaskPoller(ledger, client, kling, PROPERTIES, eventPublisher, executor, meters, CLOCK,
                RequestTraces.untraced(), SCHEDULE, null, QueryBudget.UNLIMITED, QueryProperties.defaults());
    }

    private final TaskPoller poller = poller(publisher);

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    private static TaskRecord record(boolean published) {
        return new TaskRecord(REQUEST, ACCOUNT.id(), TASK_ID, Product.TEXT_TO_VIDEO, "spring-sale",
                TaskStatus.SUBMITTED, NOW.minusSeconds(900), 1, published);
    }

    private static KlingTask task(String status) {
        KlingTask.TaskResult result = "succeed".equals(status)
                ? new KlingTask.TaskResult(List.of(new KlingTask.Video("v-1", "https://cdn.klingai.com/v.mp4", "5.1")),
                        List.of())
                : null;
        return new KlingTask(TASK_ID, status, "failed".equals(status) ? "content risk control" : "", null, result,
                1788256700000L, 1788256800000L);
    }

    private void recorded(String klingStatus, Proposal proposal) {
        given(ledger.find(ACCOUNT.id(), REQUEST)).willReturn(Optional.of(record(false)));
        // any account: a sweep polls the configured one, with its resolved base URL
        given(client.queryByTaskId(any(), eq(Product.TEXT_TO_VIDEO), eq(TASK_ID))).willReturn(task(klingStatus));
        given(ledger.propose(ACCOUNT.id(), REQUEST, TASK_ID, TaskStatus.fromWire(klingStatus), "poller"))
                .willReturn(proposal);
    }

    /**
     * The task was submitted 15 min ago, its first look was 3 min 2 s later (nothing learned: the video
     * default plus the callback grace), so the back-off has doubled past the 2 min cap.
     */
    private static Instant nextCheckpoint() {
        return NOW.plus(ScheduleProperties.defaults().backoffCap());
    }

    @Test
    void publishesTheTerminalEventsThenMarksPublishedWhenThePollWins() {
        // GIVEN
        recorded("succeed", Proposal.WON);
        EventPublisher publisherSpy = spy(publisher);

        // WHEN
        PollOutcome outcome = poller(publisherSpy).poll(ACCOUNT, REQUEST);

        // THEN
        assertThat(outcome).isEqualTo(PollOutcome.COMPLETED);
        assertThat(publisher.published()).hasSize(2);
        assertThat(publisher.published().get(0)).isInstanceOfSatisfying(TaskStatusChanged.class,
                event -> assertThat(event.source()).isEqualTo(StatusSource.POLLER));
        assertThat(publisher.published().get(1)).isInstanceOfSatisfying(TaskCompleted.class, event -> {
            assertThat(event.taskStatus()).isEqualTo(TaskStatus.SUCCEED);
            assertThat(event.source()).isEqualTo(StatusSource.POLLER);
            assertThat(event.campaignId()).isEqualTo("spring-sale");
            assertThat(event.assets()).hasSize(1);
            assertThat(event.completedAt()).isEqualTo(Instant.ofEpochMilli(1788256800000L));
        });
        InOrder order = inOrder(publisherSpy, ledger);
        then(publisherSpy).should(order).publish(any());
        then(ledger).should(order).markPublished(ACCOUNT.id(), REQUEST);
    }

    @Test
    void endsATaskKlingNoLongerKnowsAsFailedOnceItIsOlderThanTheLostTaskGrace() {
        given(ledger.find(ACCOUNT.id(), REQUEST)).willReturn(Optional.of(record(false)));
        given(client.queryByTaskId(ACCOUNT, Product.TEXT_TO_VIDEO, TASK_ID)).willThrow(
                new TaskNotFoundException("query task: Kling knows no such task", 1203, 404, TASK_ID));
        given(ledger.propose(ACCOUNT.id(), REQUEST, TASK_ID, TaskStatus.FAILED, "poller")).willReturn(Proposal.WON);

        assertThat(poller.poll(ACCOUNT, REQUEST)).isEqualTo(PollOutcome.COMPLETED);
        assertThat(publisher.published().get(1)).isInstanceOfSatisfying(TaskCompleted.class, event -> {
            assertThat(event.taskStatus()).isEqualTo(TaskStatus.FAILED);
            assertThat(event.taskStatusMsg()).contains("task not found on Kling", "1203");
        });
        then(ledger).should().markPublished(ACCOUNT.id(), REQUEST);
    }

    @Test
    void neverEndsATaskWhoseLookupFailedOrWasAnsweredByAProxyEvenPastTheLostTaskGrace() {
        // GIVEN an old task whose query is refused by something other than Kling's "no such task"
        given(ledger.find(ACCOUNT.id(), REQUEST)).willReturn(Optional.of(record(false)));
        given(client.queryByTaskId(ACCOUNT, Product.TEXT_TO_VIDEO, TASK_ID))
                .willThrow(new PermanentException("Kling refused: bad method", 1202, 404, TASK_ID, null))
                .willThrow(new TransientException("query task: HTTP 404 without Kling's envelope", null, 404, TASK_ID,
                        null));

        // WHEN it is polled, twice
        PollOutcome first = poller.poll(ACCOUNT, REQUEST);
        PollOutcome second = poller.poll(ACCOUNT, REQUEST);

        // THEN nothing is proposed or published: the task's existence is unknown, it is polled again later
        assertThat(first).isEqualTo(PollOutcome.KLING_ERROR);
        assertThat(second).isEqualTo(PollOutcome.KLING_ERROR);
        then(ledger).should(never()).propose(ACCOUNT.id(), REQUEST, TASK_ID, TaskStatus.FAILED, "poller");
        assertThat(publisher.published()).isEmpty();
    }

    @Test
    void carriesKlingsFailureMessageInTheTerminalEventOfAFailedTask() {
        recorded("failed", Proposal.WON);

        poller.poll(ACCOUNT, REQUEST);

        assertThat(publisher.published().get(1)).isInstanceOfSatisfying(TaskCompleted.class, event -> {
            assertThat(event.taskStatus()).isEqualTo(TaskStatus.FAILED);
            assertThat(event.taskStatusMsg()).isEqualTo("content risk control");
            assertThat(event.assets()).isEmpty();
        });
    }

    @Test
    void renewsThePermitLeaseAndReschedulesARunningTaskPublishingItsNewStatus() {
        recorded("processing", Proposal.UPDATED);

        PollOutcome outcome = poller.poll(ACCOUNT, REQUEST);

        assertThat(outcome).isEqualTo(PollOutcome.STATUS_PUBLISHED);
        assertThat(publisher.published()).singleElement().isInstanceOf(TaskStatusChanged.class);
        then(ledger).should().renewPermit(ACCOUNT.id(), REQUEST, NOW.plus(Duration.ofHours(2)));
        then(ledger).should().reschedulePoll(ACCOUNT.id(), REQUEST, nextCheckpoint());
        then(ledger).should(never()).markPublished(anyString(), anyString());
    }

    @Test
    void renewsAndReschedulesWithoutPublishingWhenTheRunningStatusIsNotNews() {
        recorded("submitted", Proposal.DUPLICATE);

        assertThat(poller.poll(ACCOUNT, REQUEST)).isEqualTo(PollOutcome.RUNNING);

        assertThat(publisher.published()).isEmpty();
        then(ledger).should().renewPermit(ACCOUNT.id(), REQUEST, NOW.plus(Duration.ofHours(2)));
        then(ledger).should().reschedulePoll(ACCOUNT.id(), REQUEST, nextCheckpoint());
    }

    @Test
    void publishesNothingWhenTheWebhookAlreadyPublishedOrIsPublishing() {
        recorded("succeed", Proposal.DUPLICATE);
        assertThat(poller.poll(ACCOUNT, REQUEST)).isEqualTo(PollOutcome.DUPLICATE);

        recorded("succeed", Proposal.IN_FLIGHT);
        assertThat(poller.poll(ACCOUNT, REQUEST)).isEqualTo(PollOutcome.IN_FLIGHT);

        assertThat(publisher.published()).isEmpty();
        then(ledger).should(never()).markPublished(anyString(), anyString());
        then(ledger).should().reschedulePoll(ACCOUNT.id(), REQUEST, nextCheckpoint());
    }

    @Test
    void marksNothingAndReschedulesWhenKafkaDoesNotAcknowledge() {
        recorded("succeed", Proposal.WON);
        publisher.failEverySend();

        assertThat(poller.poll(ACCOUNT, REQUEST)).isEqualTo(PollOutcome.KAFKA_ERROR);

        then(ledger).should(never()).markPublished(anyString(), anyString());
        then(ledger).should().releaseClaim(ACCOUNT.id(), REQUEST, TaskStatus.SUCCEED);
        then(ledger).should().reschedulePoll(ACCOUNT.id(), REQUEST, nextCheckpoint());
    }

    @Test
    void releasesTheClaimOnARunningStatusKafkaDidNotAcknowledgeSoTheNextPollPublishesIt() {
        recorded("processing", Proposal.UPDATED);
        publisher.failEverySend();

        assertThat(poller.poll(ACCOUNT, REQUEST)).isEqualTo(PollOutcome.KAFKA_ERROR);

        then(ledger).should().releaseClaim(ACCOUNT.id(), REQUEST, TaskStatus.PROCESSING);
        then(ledger).should(never()).statusPublished(anyString(), anyString(), any());
    }

    @Test
    void logsATransientKlingErrorWithoutStackTraceAndReschedules(CapturedOutput output) {
        given(ledger.find(ACCOUNT.id(), REQUEST)).willReturn(Optional.of(record(false)));
        given(client.queryByTaskId(ACCOUNT, Product.TEXT_TO_VIDEO, TASK_ID))
                .willThrow(new TransientException("query task timed out after PT30S", null, 0, TASK_ID, null));

        assertThat(poller.poll(ACCOUNT, REQUEST)).isEqualTo(PollOutcome.KLING_ERROR);

        then(ledger).should().reschedulePoll(ACCOUNT.id(), REQUEST, nextCheckpoint());
        then(ledger).should(never()).propose(anyString(), anyString(), anyString(), any(), anyString());
        assertThat(output).contains("WARN").contains("timed out").doesNotContain("\tat io.klingrelay")
                .doesNotContain(SECRET_KEY);
    }

    @Test
    void survivesAnAccountErrorAndAnUnknownStatus() {
        given(ledger.find(ACCOUNT.id(), REQUEST)).willReturn(Optional.of(record(false)));
        given(client.queryByTaskId(ACCOUNT, Product.TEXT_TO_VIDEO, TASK_ID))
                .willThrow(new AccountException("Account balance not enough", 1102, 429, null, null))
                .willReturn(task("succeeded"));

        assertThat(poller.poll(ACCOUNT, REQUEST)).isEqualTo(PollOutcome.KLING_ERROR);
        assertThat(poller.poll(ACCOUNT, REQUEST)).isEqualTo(PollOutcome.ERROR);

        assertThat(publisher.published()).isEmpty();
    }

    @Test
    void skipsAPublishedTaskWithoutQueryingKling() {
        given(ledger.find(ACCOUNT.id(), REQUEST)).willReturn(Optional.of(record(true)));

        assertThat(poller.poll(ACCOUNT, REQUEST)).isEqualTo(PollOutcome.SKIPPED);

        then(client).shouldHaveNoInteractions();
    }

    @Test
    void sweepsTheDueTasksItClaimsOfConfiguredAccountsAndReportsAnUnconfiguredAccountOnce(CapturedOutput output) {
        // GIVEN
        given(ledger.accounts()).willReturn(Set.of(ACCOUNT.id(), "elsewhere"));
        given(ledger.claimForPoll(ACCOUNT.id(), NOW, PROPERTIES.claimLease(), 100))
                .willReturn(List.of(REQUEST));
        recorded("succeed", Proposal.WON);

        // WHEN
        int first = poller.sweep();
        int second = poller.sweep();

        // THEN
        assertThat(first).isEqualTo(1);
        assertThat(second).isEqualTo(1);
        then(ledger).should(never()).claimForPoll(eq("elsewhere"), any(), any(), anyInt());
        assertThat(output.getOut().split("not configured here", -1)).hasSize(2);
        assertThat(meters.get("klingrelay.poller.polls").tag("outcome", "completed").counter().count())
                .isEqualTo(2.0);
    }
}
