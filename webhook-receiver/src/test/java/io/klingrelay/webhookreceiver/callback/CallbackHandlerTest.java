package io.klingrelay.webhookreceiver.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.any;
import static org.mockito.BDDMockito.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.inOrder;
import static org.mockito.BDDMockito.mock;
import static org.mockito.BDDMockito.never;
import static org.mockito.BDDMockito.spy;
import static org.mockito.BDDMockito.then;

import io.klingrelay.common.event.AssetKind;
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
import io.klingrelay.klingclient.callback.CallbackTokens;
import io.klingrelay.klingclient.callback.StandardWebhookVerifier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.InOrder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.QueryTimeoutException;
import tools.jackson.databind.json.JsonMapper;

@ExtendWith(OutputCaptureExtension.class)
class CallbackHandlerTest {

    private static final String SECRET = "callback-secret-for-unit-tests-0123456789";
    private static final String WEBHOOK_SECRET = "whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=";
    private static final String ACCOUNT = "brand-a";
    private static final String REQUEST = "req-1";
    private static final String TASK_ID = "828338674605228111";
    private static final Instant NOW = Instant.parse("2026-09-01T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final CallbackTokens tokens = new CallbackTokens(SECRET);
    private final TaskLedger ledger = mock(TaskLedger.class);
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final InMemoryDeliveryLog deliveries = new InMemoryDeliveryLog();
    private final StandardWebhookVerifier verifier = new StandardWebhookVerifier(WEBHOOK_SECRET,
            Duration.ofMinutes(5), CLOCK);
    private final CallbackHandler handler = handler(null);

    private CallbackHandler handler(StandardWebhookVerifier verifier) {
        return handler(verifier, publisher);
    }

    private CallbackHandler handler(StandardWebhookVerifier verifier, EventPublisher eventPublisher) {
        return new CallbackHandler(new CallbackAuthenticator(tokens, verifier), ledger, deliveries, eventPublisher,
                JsonMapper.builder().build(), meters, CLOCK);
    }

    private CallbackRequest signedRequest(String webhookId, String body) {
        byte[] raw = body.getBytes(StandardCharsets.UTF_8);
        String timestamp = Long.toString(NOW.getEpochSecond());
        return new CallbackRequest(ACCOUNT, REQUEST, tokens.token(ACCOUNT, REQUEST), webhookId, timestamp,
                verifier.sign(webhookId, timestamp, raw), raw);
    }

    private static String body(String status) {
        return """
                {"task_id":"%s","task_status":"%s","task_status_msg":"","created_at":1788256700000,
                 "updated_at":1788256800000,"task_info":{"external_task_id":"req-1"},
                 "task_result":{"images":[],"videos":[{"id":"v-1","url":"https://cdn.klingai.com/v.mp4?Signature=abc","duration":"5.1"}]}}
                """.formatted(TASK_ID, status);
    }

    private CallbackRequest request(String body) {
        return new CallbackRequest(ACCOUNT, REQUEST, tokens.token(ACCOUNT, REQUEST), null, null, null,
                body.getBytes(StandardCharsets.UTF_8));
    }

    private void ledgerAnswers(TaskStatus status, Proposal proposal) {
        given(ledger.propose(ACCOUNT, REQUEST, TASK_ID, status, "webhook")).willReturn(proposal);
    }

    @Test
    void refusesABadTokenWith404WithoutTouchingTheLedgerOrLoggingTheToken(CapturedOutput output) {
        CallbackRequest forged = new CallbackRequest(ACCOUNT, REQUEST, "forged-token-value-xyz", null, null, null,
                body("succeed").getBytes(StandardCharsets.UTF_8));

        CallbackOutcome outcome = handler.handle(forged);

        assertThat(outcome).isEqualTo(CallbackOutcome.BAD_TOKEN);
        assertThat(outcome.httpStatus()).isEqualTo(404);
        then(ledger).shouldHaveNoInteractions();
        assertThat(publisher.published()).isEmpty();
        assertThat(output).contains("WARN").contains(ACCOUNT).contains(REQUEST)
                .doesNotContain("forged-token-value-xyz").doesNotContain(tokens.token(ACCOUNT, REQUEST));
    }

    @Test
    void refusesIdsThatCannotBeRedisKeysAs404() {
        CallbackRequest odd = new CallbackRequest(ACCOUNT, "req 1", tokens.token(ACCOUNT, "req 1"), null, null, null,
                body("succeed").getBytes(StandardCharsets.UTF_8));

        assertThat(handler.handle(odd)).isEqualTo(CallbackOutcome.BAD_TOKEN);
        then(ledger).shouldHaveNoInteractions();
    }

    @Test
    void answers400ToABodyThatIsNotATask() {
        assertThat(handler.handle(request("<html>oops</html>"))).isEqualTo(CallbackOutcome.UNPARSEABLE);
        assertThat(handler.handle(request("{\"task_status\":\"succeed\"}"))).isEqualTo(CallbackOutcome.UNPARSEABLE);
        assertThat(handler.handle(request(""))).isEqualTo(CallbackOutcome.UNPARSEABLE);
        then(ledger).shouldHaveNoInteractions();
    }

    @Test
    void answers400ToAnUnknownTaskStatus() {
        CallbackOutcome outcome = handler.handle(request(body("succeeded")));

        assertThat(outcome).isEqualTo(CallbackOutcome.UNKNOWN_STATUS);
        assertThat(outcome.httpStatus()).isEqualTo(400);
        then(ledger).shouldHaveNoInteractions();
    }

    @Test
    void answers409AndPublishesNothingForATaskNotRecordedYet() {
        ledgerAnswers(TaskStatus.PROCESSING, Proposal.UNKNOWN);

        CallbackOutcome outcome = handler.handle(request(body("processing")));

        assertThat(outcome.httpStatus()).isEqualTo(409);
        assertThat(publisher.published()).isEmpty();
    }

    @Test
    void answers409AndPublishesNothingForAMismatchedTaskId() {
        ledgerAnswers(TaskStatus.SUCCEED, Proposal.MISMATCH);

        CallbackOutcome outcome = handler.handle(request(body("succeed")));

        assertThat(outcome).isEqualTo(CallbackOutcome.TASK_MISMATCH);
        assertThat(outcome.httpStatus()).isEqualTo(409);
        assertThat(publisher.published()).isEmpty();
        then(ledger).should(never()).markPublished(anyString(), anyString());
    }

    @Test
    void answers200AndPublishesNothingForADuplicateOrAClaimInFlight() {
        ledgerAnswers(TaskStatus.SUCCEED, Proposal.DUPLICATE);
        assertThat(handler.handle(request(body("succeed"))).httpStatus()).isEqualTo(200);

        ledgerAnswers(TaskStatus.SUCCEED, Proposal.IN_FLIGHT);
        assertThat(handler.handle(request(body("succeed"))).httpStatus()).isEqualTo(200);

        assertThat(publisher.published()).isEmpty();
        then(ledger).should(never()).markPublished(anyString(), anyString());
    }

    @Test
    void publishesOneStatusEventForANewerRunningStatus() {
        ledgerAnswers(TaskStatus.PROCESSING, Proposal.UPDATED);

        CallbackOutcome outcome = handler.handle(request(body("processing")));

        assertThat(outcome).isEqualTo(CallbackOutcome.STATUS_PUBLISHED);
        assertThat(publisher.published()).singleElement().isInstanceOfSatisfying(TaskStatusChanged.class, event -> {
            assertThat(event.requestId()).isEqualTo(REQUEST);
            assertThat(event.accountId()).isEqualTo(ACCOUNT);
            assertThat(event.taskId()).isEqualTo(TASK_ID);
            assertThat(event.taskStatus()).isEqualTo(TaskStatus.PROCESSING);
            assertThat(event.source()).isEqualTo(StatusSource.WEBHOOK);
            assertThat(event.observedAt()).isEqualTo(NOW);
        });
        then(ledger).should(never()).markPublished(anyString(), anyString());
        then(ledger).should().statusPublished(ACCOUNT, REQUEST, TaskStatus.PROCESSING);
    }

    @Test
    void answers503AndReleasesTheStatusClaimWhenKafkaDoesNotAcknowledgeARunningStatus() {
        ledgerAnswers(TaskStatus.PROCESSING, Proposal.UPDATED);
        publisher.failEverySend();

        CallbackOutcome outcome = handler.handle(request(body("processing")));

        assertThat(outcome).isEqualTo(CallbackOutcome.KAFKA_UNAVAILABLE);
        then(ledger).should().releaseClaim(ACCOUNT, REQUEST, TaskStatus.PROCESSING);
        then(ledger).should(never()).statusPublished(anyString(), anyString(), any());
    }

    @Test
    void publishesTheTerminalEventThenMarksItPublishedWhenTheCallbackWins() {
        // GIVEN
        ledgerAnswers(TaskStatus.SUCCEED, Proposal.WON);
        given(ledger.find(ACCOUNT, REQUEST)).willReturn(Optional.of(new TaskRecord(REQUEST, ACCOUNT, TASK_ID,
                Product.TEXT_TO_VIDEO, "spring-sale", TaskStatus.SUCCEED, NOW.minusSeconds(300), 1, false)));
        EventPublisher publisherSpy = spy(publisher);
        CallbackHandler spiedHandler = handler(null, publisherSpy);

        // WHEN
        CallbackOutcome outcome = spiedHandler.handle(request(body("succeed")));

        // THEN
        assertThat(outcome).isEqualTo(CallbackOutcome.COMPLETED);
        assertThat(outcome.httpStatus()).isEqualTo(200);
        assertThat(publisher.published()).hasSize(2);
        TaskCompleted completed = (TaskCompleted) publisher.published().get(1);
        assertThat(completed.taskStatus()).isEqualTo(TaskStatus.SUCCEED);
        assertThat(completed.campaignId()).isEqualTo("spring-sale");
        assertThat(completed.product()).isEqualTo(Product.TEXT_TO_VIDEO);
        assertThat(completed.source()).isEqualTo(StatusSource.WEBHOOK);
        assertThat(completed.completedAt()).isEqualTo(Instant.ofEpochMilli(1788256800000L));
        assertThat(completed.assets()).singleElement().satisfies(asset -> {
            assertThat(asset.kind()).isEqualTo(AssetKind.VIDEO);
            assertThat(asset.url()).isEqualTo("https://cdn.klingai.com/v.mp4?Signature=abc");
        });
        InOrder order = inOrder(publisherSpy, ledger);
        then(publisherSpy).should(order).publish(any());
        then(ledger).should(order).markPublished(ACCOUNT, REQUEST);
    }

    @Test
    void carriesTheUnitDeductionOfALegacyCallbackIntoTheTerminalEvent() {
        // GIVEN a 2026 legacy callback with final_unit_deduction (kling-api.md §11.2)
        ledgerAnswers(TaskStatus.SUCCEED, Proposal.WON);
        String withUnits = body("succeed").replace("\"task_status_msg\":\"\",", "\"task_status_msg\":\"\",\"final_unit_deduction\":\"0.04\",");

        // WHEN
        CallbackOutcome outcome = handler.handle(request(withUnits));

        // THEN
        assertThat(outcome).isEqualTo(CallbackOutcome.COMPLETED);
        assertThat(((TaskCompleted) publisher.published().get(1)).units()).isEqualByComparingTo("0.04");
    }

    @Test
    void readsA2026CallbackWithSucceededOutputsAndBilling() {
        // GIVEN the 2026 task object (kling-api.md §15)
        ledgerAnswers(TaskStatus.SUCCEED, Proposal.WON);
        String body = """
                {"id":"%s","status":"succeeded","message":"","external_id":"req-1","update_time":1788256800000,
                 "outputs":[{"type":"video","id":"v-1","url":"https://cdn.klingai.com/v.mp4","duration":"5.1"}],
                 "billing":[{"charge_type":"unit","amount":"6"}]}
                """.formatted(TASK_ID);

        // WHEN
        CallbackOutcome outcome = handler.handle(request(body));

        // THEN
        assertThat(outcome).isEqualTo(CallbackOutcome.COMPLETED);
        TaskCompleted completed = (TaskCompleted) publisher.published().get(1);
        assertThat(completed.taskStatus()).isEqualTo(TaskStatus.SUCCEED);
        assertThat(completed.units()).isEqualByComparingTo("6");
        assertThat(completed.assets()).singleElement().satisfies(asset -> assertThat(asset.id()).isEqualTo("v-1"));
        assertThat(completed.completedAt()).isEqualTo(Instant.ofEpochMilli(1788256800000L));
    }

    @Test
    void answers503AndMarksNothingWhenKafkaDoesNotAcknowledge() {
        ledgerAnswers(TaskStatus.FAILED, Proposal.WON);
        given(ledger.find(ACCOUNT, REQUEST)).willReturn(Optional.empty());
        publisher.failEverySend();

        CallbackOutcome outcome = handler.handle(request(body("failed")));

        assertThat(outcome).isEqualTo(CallbackOutcome.KAFKA_UNAVAILABLE);
        assertThat(outcome.httpStatus()).isEqualTo(503);
        then(ledger).should(never()).markPublished(anyString(), anyString());
        then(ledger).should().releaseClaim(ACCOUNT, REQUEST, TaskStatus.FAILED);
    }

    @Test
    void answers503WhenRedisIsUnavailable() {
        given(ledger.propose(ACCOUNT, REQUEST, TASK_ID, TaskStatus.SUCCEED, "webhook"))
                .willThrow(new QueryTimeoutException("Redis command timed out"));

        assertThat(handler.handle(request(body("succeed")))).isEqualTo(CallbackOutcome.LEDGER_UNAVAILABLE);
        assertThat(publisher.published()).isEmpty();
    }

    @Test
    void requiresAValidStandardWebhooksSignatureWhenASecretIsConfigured() {
        // GIVEN
        CallbackHandler signing = handler(verifier);
        ledgerAnswers(TaskStatus.PROCESSING, Proposal.UPDATED);
        byte[] raw = body("processing").getBytes(StandardCharsets.UTF_8);
        String timestamp = Long.toString(NOW.getEpochSecond());
        String signature = verifier.sign("msg-1", timestamp, raw);
        String token = tokens.token(ACCOUNT, REQUEST);

        // WHEN / THEN
        assertThat(signing.handle(new CallbackRequest(ACCOUNT, REQUEST, token, null, null, null, raw)))
                .isEqualTo(CallbackOutcome.BAD_SIGNATURE);
        assertThat(signing.handle(new CallbackRequest(ACCOUNT, REQUEST, token, "msg-1", timestamp,
                "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", raw))).isEqualTo(CallbackOutcome.BAD_SIGNATURE);
        assertThat(signing.handle(new CallbackRequest(ACCOUNT, REQUEST, token, "msg-1",
                Long.toString(NOW.minusSeconds(600).getEpochSecond()), signature, raw)))
                .isEqualTo(CallbackOutcome.BAD_SIGNATURE);
        assertThat(signing.handle(new CallbackRequest(ACCOUNT, REQUEST, token, "msg-1", timestamp,
                "v1,old " + signature, raw))).isEqualTo(CallbackOutcome.STATUS_PUBLISHED);
    }

    @Test
    void countsCallbacksByOutcome() {
        ledgerAnswers(TaskStatus.PROCESSING, Proposal.DUPLICATE);

        handler.handle(request(body("processing")));
        handler.handle(request(body("processing")));

        assertThat(meters.get("klingrelay.webhook-receiver.callbacks.received").tag("outcome", "duplicate").counter()
                .count()).isEqualTo(2.0);
    }

    @Test
    void keepsTheTokenOutOfTheRequestsToString() {
        CallbackRequest request = request(body("succeed"));

        assertThat(request.toString()).doesNotContain(request.token()).doesNotContain("Signature=abc");
    }

    // ---- issue 7: hostile input, rotation, webhook-id de-duplication ---------------------------

    @Test
    void answers400NotAnExceptionToStandardWebhooksHeadersThatDoNotParse() {
        CallbackHandler signing = handler(verifier);
        byte[] raw = body("processing").getBytes(StandardCharsets.UTF_8);
        String timestamp = Long.toString(NOW.getEpochSecond());
        String token = tokens.token(ACCOUNT, REQUEST);
        String signature = verifier.sign("msg-1", timestamp, raw);

        assertThat(signing.handle(new CallbackRequest(ACCOUNT, REQUEST, token, "msg-1", "9223372036854775807",
                signature, raw))).isEqualTo(CallbackOutcome.MALFORMED_HEADERS);
        assertThat(signing.handle(new CallbackRequest(ACCOUNT, REQUEST, token, "msg-1", "abc", signature, raw)))
                .isEqualTo(CallbackOutcome.MALFORMED_HEADERS);
        assertThat(signing.handle(new CallbackRequest(ACCOUNT, REQUEST, token, "msg-1", timestamp, "garbage", raw)))
                .isEqualTo(CallbackOutcome.MALFORMED_HEADERS);
        assertThat(signing.handle(new CallbackRequest(ACCOUNT, REQUEST, token, "i".repeat(10 * 1024), timestamp,
                signature, raw))).isEqualTo(CallbackOutcome.MALFORMED_HEADERS);
        assertThat(CallbackOutcome.MALFORMED_HEADERS.httpStatus()).isEqualTo(400);
        then(ledger).shouldHaveNoInteractions();
    }

    @Test
    void refusesPathValuesOfTheWrongShapeWithoutEchoingThemIntoTheLog(CapturedOutput output) {
        String token = tokens.token(ACCOUNT, REQUEST);

        assertThat(handler.screenPath("acct\r\nFORGED-LOG-LINE", REQUEST, token)).contains(CallbackOutcome.BAD_TOKEN);
        assertThat(handler.screenPath(ACCOUNT, "LONG" + "x".repeat(5 * 1024), token))
                .contains(CallbackOutcome.BAD_TOKEN);
        assertThat(handler.screenPath(ACCOUNT, REQUEST, token + "\nFORGED-LOG-LINE"))
                .contains(CallbackOutcome.BAD_TOKEN);
        assertThat(handler.handle(new CallbackRequest(ACCOUNT, "req\nFORGED-LOG-LINE", token, "id\nFORGED-LOG-LINE",
                null, null, new byte[0]))).isEqualTo(CallbackOutcome.BAD_TOKEN);

        assertThat(output).contains("bad token").contains("acct??FORGED-LOG-LINE").doesNotContain("\nFORGED-LOG-LINE")
                .doesNotContain("x".repeat(LogSafe.MAX_SHOWN + 1)).contains("[5124 chars]").doesNotContain(token);
        then(ledger).shouldHaveNoInteractions();
    }

    @Test
    void screensAGoodPathThroughAndCountsARefusedOne() {
        assertThat(handler.screenPath(ACCOUNT, REQUEST, tokens.token(ACCOUNT, REQUEST))).isEmpty();
        assertThat(handler.screenPath(ACCOUNT, REQUEST, tokens.token(ACCOUNT, "other"))).contains(CallbackOutcome.BAD_TOKEN);
        assertThat(handler.refuseTooLarge(ACCOUNT, REQUEST).httpStatus()).isEqualTo(413);

        assertThat(meters.get("klingrelay.webhook-receiver.callbacks.received").tag("outcome", "bad_token").counter()
                .count()).isEqualTo(1.0);
        assertThat(meters.get("klingrelay.webhook-receiver.callbacks.received").tag("outcome", "payload_too_large")
                .counter().count()).isEqualTo(1.0);
    }

    @Test
    void acceptsTokensOfEveryActiveCallbackSecret() {
        String next = "next-callback-secret-for-unit-tests-abcdef";
        CallbackHandler rotating = new CallbackHandler(new CallbackAuthenticator(new CallbackTokens(next,
                List.of(SECRET)), null), ledger, deliveries, publisher, JsonMapper.builder().build(), meters, CLOCK);
        ledgerAnswers(TaskStatus.PROCESSING, Proposal.DUPLICATE);
        byte[] raw = body("processing").getBytes(StandardCharsets.UTF_8);

        assertThat(rotating.handle(new CallbackRequest(ACCOUNT, REQUEST, tokens.token(ACCOUNT, REQUEST), null, null,
                null, raw))).isEqualTo(CallbackOutcome.DUPLICATE);
        assertThat(rotating.handle(new CallbackRequest(ACCOUNT, REQUEST, new CallbackTokens(next).token(ACCOUNT,
                REQUEST), null, null, null, raw))).isEqualTo(CallbackOutcome.DUPLICATE);
        assertThat(rotating.handle(new CallbackRequest(ACCOUNT, REQUEST, new CallbackTokens(
                "retired-callback-secret-for-unit-tests-xyz").token(ACCOUNT, REQUEST), null, null, null, raw)))
                .isEqualTo(CallbackOutcome.BAD_TOKEN);
    }

    @Test
    void answersARedeliveredSignedCallback200WithoutProposingOrPublishingAgain() {
        // GIVEN a ledger that would take the same status again (it does not: this isolates the id check)
        CallbackHandler signing = handler(verifier);
        ledgerAnswers(TaskStatus.PROCESSING, Proposal.UPDATED);

        // WHEN
        CallbackOutcome first = signing.handle(signedRequest("msg-1", body("processing")));
        CallbackOutcome again = signing.handle(signedRequest("msg-1", body("processing")));

        // THEN
        assertThat(first).isEqualTo(CallbackOutcome.STATUS_PUBLISHED);
        assertThat(again).isEqualTo(CallbackOutcome.DUPLICATE);
        assertThat(again.httpStatus()).isEqualTo(200);
        assertThat(publisher.published()).hasSize(1);
        then(ledger).should().propose(ACCOUNT, REQUEST, TASK_ID, TaskStatus.PROCESSING, "webhook");
        assertThat(signing.handle(signedRequest("msg-2", body("processing"))))
                .isEqualTo(CallbackOutcome.STATUS_PUBLISHED);
    }

    @Test
    void remembersTheWebhookIdOnlyAfterTheCallbackWasPublishedSoA503CanBeRetried() {
        // GIVEN
        ledgerAnswers(TaskStatus.PROCESSING, Proposal.UPDATED);
        RecordingPublisher down = new RecordingPublisher();
        down.failEverySend();

        // WHEN
        CallbackOutcome refused = handler(verifier, down).handle(signedRequest("msg-1", body("processing")));
        CallbackOutcome retried = handler(verifier).handle(signedRequest("msg-1", body("processing")));

        // THEN
        assertThat(refused).isEqualTo(CallbackOutcome.KAFKA_UNAVAILABLE);
        assertThat(retried).isEqualTo(CallbackOutcome.STATUS_PUBLISHED);
        assertThat(publisher.published()).hasSize(1);
        assertThat(deliveries.size()).isEqualTo(1);
    }

    @Test
    void remembersNeitherUnsignedCallbacksNorOnesStillInFlight() {
        ledgerAnswers(TaskStatus.SUCCEED, Proposal.IN_FLIGHT);
        handler(verifier).handle(signedRequest("msg-1", body("succeed")));
        ledgerAnswers(TaskStatus.PROCESSING, Proposal.DUPLICATE);
        handler.handle(new CallbackRequest(ACCOUNT, REQUEST, tokens.token(ACCOUNT, REQUEST), "msg-2", null, null,
                body("processing").getBytes(StandardCharsets.UTF_8)));

        assertThat(deliveries.size()).isZero();
    }

    @Test
    void answers503WhenTheWebhookIdStoreIsUnreachable() {
        ledgerAnswers(TaskStatus.PROCESSING, Proposal.UPDATED);
        deliveries.setDown(true);

        assertThat(handler(verifier).handle(signedRequest("msg-1", body("processing"))))
                .isEqualTo(CallbackOutcome.LEDGER_UNAVAILABLE);
        assertThat(publisher.published()).isEmpty();
    }
}
