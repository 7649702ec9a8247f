package io.klingrelay.submitter.intake;

import io.klingrelay.common.event.EventIds;
import io.klingrelay.common.event.FailureStage;
import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.event.KlingRelayEvent;
import io.klingrelay.common.event.RequestFailed;
import io.klingrelay.common.kafka.Topics;
import io.klingrelay.coordination.dispatch.ParkedRequest;
import io.klingrelay.coordination.dispatch.RequestQueue;
import io.klingrelay.coordination.outcome.Claim;
import io.klingrelay.coordination.outcome.ClaimCondition;
import io.klingrelay.coordination.outcome.OutcomePublisher;
import io.klingrelay.submitter.publish.DeadLetterPublisher;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Handles one record of {@code klingrelay.requests}: a record that does not parse or a request
 * that breaks a rule ends at once with a {@code klingrelay.requests.failed} event (stage
 * {@code validation}) and a copy of the original bytes on {@code klingrelay.requests.dlt}; a valid
 * request is parked in its account's Redis queue and the dispatcher is woken. It never waits for a
 * permit. Each step returns only after Kafka or Redis acknowledged it, so the caller may commit
 * the offset afterwards; any exception means "not done, do not commit".
 */
public final class RequestIntake {

    private static final Logger log = LoggerFactory.getLogger(RequestIntake.class);

    private final JsonMapper jsonMapper;
    private final RequestValidator validator;
    private final RequestQueue queue;
    private final OutcomePublisher outcomes;
    private final DeadLetterPublisher deadLetters;
    private final Runnable wakeDispatcher;
    private final Clock clock;

    /**
     * @param jsonMapper     the JSON mapper
     * @param validator      the request rules
     * @param queue          the per-account queues
     * @param outcomes       ends rejected requests with their one outcome
     * @param deadLetters    copies rejected records to the dead-letter topic
     * @param wakeDispatcher called after a request was parked
     * @param clock          the time source
     */
    public RequestIntake(JsonMapper jsonMapper, RequestValidator validator, RequestQueue queue,
            OutcomePublisher outcomes, DeadLetterPublisher deadLetters, Runnable wakeDispatcher, Clock clock) {
        this.jsonMapper = jsonMapper;
        this.validator = validator;
        this.queue = queue;
        this.outcomes = outcomes;
        this.deadLetters = deadLetters;
        this.wakeDispatcher = wakeDispatcher;
        this.clock = clock;
    }

    /**
     * @param locator   {@code <topic>-<partition>@<offset>} of the record, for requests without an id
     * @param key       the record key
     * @param value     the record value
     * @param timestamp the record timestamp, epoch ms (the arrival time used for queue order)
     * @return what happened to the record
     */
    public Outcome accept(String locator, @Nullable String key, byte @Nullable [] value, long timestamp) {
        GenerationRequest request = parse(value);
        if (request == null) {
            fail(locator, null, null, key, value, "record value is not a JSON generation request");
            return Outcome.REJECTED;
        }
        List<String> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            String id = request.requestId() != null && !request.requestId().isBlank() ? request.requestId() : locator;
            fail(id, request.accountId(), request.campaignId(), key, value, String.join("; ", violations));
            return Outcome.REJECTED;
        }
        return park(request, value, timestamp);
    }

    private @Nullable GenerationRequest parse(byte @Nullable [] value) {
        if (value == null || value.length == 0) {
            return null;
        }
        try {
            return jsonMapper.readValue(value, GenerationRequest.class);
        } catch (JacksonException e) {
            return null;
        }
    }

    private Outcome park(GenerationRequest request, byte[] value, long timestamp) {
        String requestId = java.util.Objects.requireNonNull(request.requestId());
        String accountId = java.util.Objects.requireNonNull(request.accountId());
        // a record timestamp is the producer's word: clamped to [0, now], so a far-future one cannot
        // leave its priority rank (the queue score is rank × 10^13 + arrival) and a past one keeps its order
        long now = clock.millis();
        long arrival = timestamp > 0 ? Math.min(timestamp, now) : now;
        boolean parked = queue.park(new ParkedRequest(accountId, requestId, request.priority(), arrival,
                jsonMapper.writeValueAsString(request), RequestValidator.permitsNeeded(request), request.campaignId()));
        if (!parked) {
            log.info("request {} of account {} is already known; skipping the replayed record", requestId, accountId);
            return Outcome.SKIPPED;
        }
        log.debug("parked request {} for account {}", requestId, accountId);
        wakeDispatcher.run();
        return Outcome.PARKED;
    }

    private void fail(String requestId, @Nullable String accountId, @Nullable String campaignId, @Nullable String key,
            byte @Nullable [] value, String reason) {
        log.warn("request {} rejected: {}", requestId, reason);
        RequestFailed failed = new RequestFailed(KlingRelayEvent.CURRENT_SCHEMA_VERSION,
                EventIds.forRequest(accountId, requestId, "failed"), requestId, accountId, campaignId,
                FailureStage.VALIDATION, reason, null, null, null, clock.instant());
        Claim claim = outcomes.end(failed, ClaimCondition.newRequest());
        String deadLetterReason = reason;
        if (!claim.won()) {
            // the id belongs to a request that was parked or ended before: this invalid record must
            // not give it a second outcome; it is only dead-lettered
            log.warn("request {} of account {} is already known; the invalid record is dead-lettered without a "
                    + "requests.failed event", requestId, accountId);
            deadLetterReason = "request id already known; record not processed: " + reason;
        }
        deadLetters.deadLetter(Topics.dlt(Topics.REQUESTS), key != null ? key : requestId, value, FailureStage.VALIDATION,
                deadLetterReason);
    }

    /** What became of a record. */
    public enum Outcome {
        /** Parked in its account's queue. */
        PARKED,
        /** Its request id was already known: a replayed record. */
        SKIPPED,
        /** Invalid: failed with a reason and dead-lettered. */
        REJECTED
    }
}
