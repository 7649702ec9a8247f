package io.klingrelay.submitter.intake;

import io.klingrelay.common.event.FailureStage;
import io.klingrelay.common.event.KlingRelayEvent;
import io.klingrelay.common.event.Priority;
import io.klingrelay.common.event.RequestFailed;
import io.klingrelay.common.json.EventJson;
import io.klingrelay.coordination.dispatch.ParkedRequest;
import io.klingrelay.coordination.trace.RequestTraces;
import io.klingrelay.coordination.dispatch.RequestQueue;
import io.klingrelay.coordination.outcome.InMemoryOutcomeClaims;
import io.klingrelay.coordination.outcome.OutcomePublisher;
import io.klingrelay.coordination.publish.EventPublisher;
import io.klingrelay.coordination.publish.PublishException;
import io.klingrelay.klingclient.config.KlingAccount;
import io.klingrelay.klingclient.config.KlingProperties;
import io.klingrelay.klingclient.request.RequestValidator;
import io.klingrelay.submitter.publish.DeadLetterPublisher;
import io.klingrelay.submitter.publish.SourceRecord;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.BDDMockito.any;
import static org.mockito.BDDMockito.anyInt;
import static org.mockito.BDDMockito.anyLong;
import static org.mockito.BDDMockito.anyString;
import static org.mockito.BDDMockito.contains;
import static org.mockito.BDDMockito.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.isNull;
import static org.mockito.BDDMockito.mock;
import static org.mockito.BDDMockito.never;
import static org.mockito.BDDMockito.then;

class RequestIntakeTest {

    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private static final SourceRecord SOURCE = new SourceRecord("klingrelay.requests", 1, 77);
    private static final String LOCATOR = "klingrelay.requests-1@77";

    private final RequestQueue queue = mock(RequestQueue.class);
    private final DeadLetterPublisher deadLetters = mock(DeadLetterPublisher.class);
    private final List<KlingRelayEvent> published = new ArrayList<>();
    private EventPublisher publisher = published::addAll;

    private RequestIntake intake(long maxRequestBytes) {
        RequestValidator validator = new RequestValidator(new KlingProperties(URI.create("http://kling"),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(60),
                List.of(new KlingAccount("brand-a", "ak-aaaaaaaa", "sk-0123456789abcdef0123456789abcdef", 3))));
        return new RequestIntake(EventJson.mapper(), validator, queue,
                new OutcomePublisher(new InMemoryOutcomeClaims(), publisher, "submitter"), deadLetters, () -> { },
                Clock.fixed(NOW, ZoneOffset.UTC), maxRequestBytes, RequestTraces.untraced());
    }

    private static byte[] request(String requestId, String extra) {
        return ("{\"requestId\":\"" + requestId + "\",\"accountId\":\"brand-a\",\"product\":\"text-to-video\""
                + extra + ",\"input\":{\"prompt\":\"a paper boat\"}}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parksARecordFromTheFutureAtThePresentSoItCannotJumpTheQueueOrChangeRank() {
        // GIVEN a timestamp in the year 2500: 1.6 × 10^13 ms, beyond the 10^13 priority stride
        long year2500 = Instant.parse("2500-01-01T00:00:00Z").toEpochMilli();
        given(queue.park(any(ParkedRequest.class))).willReturn(true);

        // WHEN it is accepted
        RequestIntake.Outcome outcome = intake(1_000_000).accept(SOURCE, "brand-a", request("r-future", ""), year2500);

        // THEN it arrives now, with its own priority rank
        assertThat(outcome).isEqualTo(RequestIntake.Outcome.PARKED);
        then(queue).should().park(argThat(parked -> parked.accountId().equals("brand-a")
                && parked.requestId().equals("r-future") && parked.priority() == Priority.CAMPAIGN
                && parked.arrivalMs() == NOW.toEpochMilli() && parked.permits() == 1 && parked.campaignId() == null));
        assertThat(RequestQueue.score(Priority.INTERACTIVE, RequestIntake.arrival(year2500, NOW.toEpochMilli())))
                .isLessThan(RequestQueue.score(Priority.CAMPAIGN, 0));
    }

    @Test
    void takesTheArrivalFromAPastTimestampAndThePresentForAMissingOrNegativeOne() {
        long now = NOW.toEpochMilli();
        assertThat(RequestIntake.arrival(now - 86_400_000, now)).isEqualTo(now - 86_400_000);
        assertThat(RequestIntake.arrival(-1, now)).isEqualTo(now);
        assertThat(RequestIntake.arrival(Long.MIN_VALUE, now)).isEqualTo(now);
        assertThat(RequestIntake.arrival(0, now)).isEqualTo(now);
        assertThat(RequestIntake.arrival(Long.MAX_VALUE, now)).isEqualTo(now);
    }

    @Test
    void failsARecordOverTheSizeLimitBeforeParsingItNamingItsRequestId() {
        byte[] value = request("r-big", ",\"padding\":\"" + "x".repeat(2000) + "\"");

        RequestIntake.Outcome outcome = intake(1000).accept(SOURCE, "brand-a", value, 1);

        assertThat(outcome).isEqualTo(RequestIntake.Outcome.REJECTED);
        assertThat(published).singleElement().isInstanceOfSatisfying(RequestFailed.class, failed -> {
            assertThat(failed.requestId()).isEqualTo("r-big");
            assertThat(failed.accountId()).isEqualTo("brand-a");
            assertThat(failed.stage()).isEqualTo(FailureStage.VALIDATION);
            assertThat(failed.reason()).isEqualTo("request is " + value.length
                    + " bytes, over the limit of 1000 (klingrelay.submitter.max-request-size) [record " + LOCATOR + "]");
        });
        then(deadLetters).should().deadLetter(anyString(), eq(SOURCE), eq("brand-a"), eq(value),
                eq(FailureStage.VALIDATION), contains("over the limit"));
        then(queue).shouldHaveNoInteractions();
    }

    @Test
    void failsAHugeRequestIdUnderABoundedIdWithTheLocatorInTheReason() {
        String hugeId = "h".repeat(700 * 1024);

        intake(1_000_000).accept(SOURCE, "brand-a", request(hugeId, ""), 1);

        assertThat(published).singleElement().isInstanceOfSatisfying(RequestFailed.class, failed -> {
            assertThat(failed.requestId()).hasSize(78).startsWith("h".repeat(64));
            assertThat(failed.eventId()).hasSize(36);
            assertThat(failed.reason()).startsWith("requestId: must be").endsWith("[record " + LOCATOR + "]");
        });
    }

    @Test
    void readsTheRequestIdOfARecordThatDoesNotMapOntoARequest() {
        intake(1_000_000).accept(SOURCE, "brand-a", request("r-array", ",\"priority\":7"), 1);
        intake(1_000_000).accept(SOURCE, "brand-a", "not json".getBytes(StandardCharsets.UTF_8), 1);

        assertThat(published).extracting(event -> ((RequestFailed) event).requestId()).containsExactly("r-array", LOCATOR);
        assertThat(((RequestFailed) published.getFirst()).reason()).startsWith(
                "record value is not a JSON generation request: priority: allowed values: interactive, campaign [record");
    }

    @Test
    void deadLettersARecordWhoseFailureEventKafkaRefusesForGoodInsteadOfRetryingIt() {
        publisher = events -> {
            throw new PublishException("Kafka refused an event", new RecordTooLargeException("too large"));
        };

        RequestIntake.Outcome outcome = intake(1_000_000).accept(SOURCE, "brand-a", request("bad id", ""), 1);

        assertThat(outcome).isEqualTo(RequestIntake.Outcome.REJECTED);
        then(deadLetters).should().deadLetter(anyString(), eq(SOURCE), eq("brand-a"), any(),
                eq(FailureStage.VALIDATION), contains("RecordTooLargeException"));
    }

    @Test
    void leavesARecordUnacknowledgedWhenKafkaDoesNotAnswerTheFailureEvent() {
        publisher = events -> {
            throw new PublishException("Kafka did not acknowledge within PT30S", null);
        };

        assertThatThrownBy(() -> intake(1_000_000).accept(SOURCE, "brand-a", request("bad id", ""), 1))
                .isInstanceOf(PublishException.class);
        then(deadLetters).should(never()).deadLetter(anyString(), any(), any(), any(), any(), anyString());
    }
}
