package io.klingrelay.submitter.intake;

import io.klingrelay.common.error.PermanentException;
import io.klingrelay.common.event.EventIds;
import io.klingrelay.common.event.FailureStage;
import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.event.KlingRelayEvent;
import io.klingrelay.common.event.RequestFailed;
import io.klingrelay.common.kafka.Topics;
import io.klingrelay.coordination.dispatch.ParkedRequest;
import io.klingrelay.coordination.dispatch.RequestQueue;
import io.klingrelay.coordination.logging.RequestLogContext;
import io.klingrelay.coordination.outcome.Claim;
import io.klingrelay.coordination.outcome.ClaimCondition;
import io.klingrelay.coordination.outcome.OutcomePublisher;
import io.klingrelay.coordination.publish.PublishException;
import io.klingrelay.coordination.trace.RequestTraces;
import io.klingrelay.klingclient.request.Bounded;
import io.klingrelay.klingclient.request.RequestValidator;
import io.klingrelay.submitter.publish.DeadLetterPublisher;
import io.klingrelay.submitter.publish.KafkaRefusals;
import io.klingrelay.submitter.publish.SourceRecord;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Handles one record of {@code klingrelay.requests}: a record over the size limit, one that does
 * not parse, or a request that breaks a rule ends at once with one
 * {@code klingrelay.requests.failed} event (stage {@code validation}) and a dead-letter record on
 * {@code klingrelay.requests.dlt}; a valid request is parked in its account's Redis queue and the
 * dispatcher is woken. It never waits for a permit. Each step returns only after Kafka or Redis
 * acknowledged it, so the caller may commit the offset afterwards; any exception means "not done,
 * do not commit".
 *
 * <p>Nothing copied from the record into an event, key, header or log line is unbounded: the
 * failure event's request id is the record's own when that is a valid id, else a
 * {@linkplain Bounded#id shortened and hashed form}, or the record's locator
 * {@code <topic>-<partition>@<offset>} when it names none; its reason (at most
 * {@value Bounded#MAX_REASON} characters) always ends with {@code [record <locator>]}.
 */
public final class RequestIntake {

    private static final Logger log = LoggerFactory.getLogger(RequestIntake.class);
    private static final String DLT = Topics.dlt(Topics.REQUESTS);

    private final JsonMapper jsonMapper;
    private final ObjectReader requestReader;
    private final RequestValidator validator;
    private final RequestQueue queue;
    private final OutcomePublisher outcomes;
    private final DeadLetterPublisher deadLetters;
    private final Runnable wakeDispatcher;
    private final Clock clock;
    private final long maxRequestBytes;
    private final RequestTraces traces;

    /**
     * @param jsonMapper      the JSON mapper
     * @param validator       the request rules
     * @param queue           the per-account queues
     * @param outcomes        ends rejected requests with their one outcome
     * @param deadLetters     copies rejected records to the dead-letter topic
     * @param wakeDispatcher  called after a request was parked
     * @param clock           the time source
     * @param maxRequestBytes the largest record value accepted, bytes
     *                        ({@code klingrelay.submitter.max-request-size}); checked before parsing
     * @param traces          reads the trace context a request is parked with (the record's span)
     */
    public RequestIntake(JsonMapper jsonMapper, RequestValidator validator, RequestQueue queue,
            OutcomePublisher outcomes, DeadLetterPublisher deadLetters, Runnable wakeDispatcher, Clock clock,
            long maxRequestBytes, RequestTraces traces) {
        this.jsonMapper = jsonMapper;
        // "priority": 0 must not silently mean "interactive" (Jackson reads enum indexes by default)
        this.requestReader = jsonMapper.readerFor(GenerationRequest.class).with(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        this.validator = validator;
        this.queue = queue;
        this.outcomes = outcomes;
        this.deadLetters = deadLetters;
        this.wakeDispatcher = wakeDispatcher;
        this.clock = clock;
        this.maxRequestBytes = maxRequestBytes;
        this.traces = traces;
    }

    /**
     * @param source    where the record is
     * @param key       the record key
     * @param value     the record value
     * @param timestamp the record timestamp, epoch ms: the arrival time used for queue order,
     *                  {@linkplain #arrival clamped} to the present
     * @return what happened to the record
     * @throws PublishException   when Kafka did not acknowledge the failure event (retry the record)
     * @throws RuntimeException   when Redis or Kafka failed otherwise (retry the record)
     */
    public Outcome accept(SourceRecord source, @Nullable String key, byte @Nullable [] value, long timestamp) {
        if (value != null && value.length > maxRequestBytes) {
            fail(source, RequestPeek.of(jsonMapper, value), key, value, FailureStage.VALIDATION,
                    "request is " + value.length + " bytes, over the limit of " + maxRequestBytes
                            + " (klingrelay.submitter.max-request-size)");
            return Outcome.REJECTED;
        }
        Parsed parsed = parse(value);
        if (parsed.request() == null) {
            fail(source, RequestPeek.of(jsonMapper, value), key, value, FailureStage.VALIDATION,
                    "record value is not a JSON generation request: " + parsed.problem());
            return Outcome.REJECTED;
        }
        List<String> violations = validator.validate(parsed.request());
        if (!violations.isEmpty()) {
            fail(source, RequestPeek.of(parsed.request()), key, value, FailureStage.VALIDATION,
                    String.join("; ", violations));
            return Outcome.REJECTED;
        }
        return park(parsed.request(), timestamp);
    }

    /**
     * The last resort for a record whose handling failed permanently or whose retries ran out (the
     * listener's error handler calls it): fails the request it names (stage {@code submission})
     * and dead-letters the record. Never throws for a permanent reason, so the record is not
     * retried again.
     *
     * @param source where the record is
     * @param key    the record key
     * @param value  the record value
     * @param error  why it could not be handled
     * @throws RuntimeException only when Kafka is unreachable (the caller retries later)
     */
    public void abandon(SourceRecord source, @Nullable String key, byte @Nullable [] value, @Nullable Throwable error) {
        fail(source, RequestPeek.of(jsonMapper, value), key, value, FailureStage.SUBMISSION,
                "intake gave up on the record: " + KafkaRefusals.describe(error));
    }

    /**
     * @param timestamp a record timestamp, epoch ms (Kafka's {@code -1} when it has none)
     * @param now       the present, epoch ms
     * @return the timestamp when it lies in {@code (0, now]}; else {@code now}: a timestamp from
     *         the future (year 2500 is 1.6 × 10^13 ms, past the queue score's 10^13 priority
     *         stride) or a missing one must neither jump the queue nor change the priority rank,
     *         while a past one is kept so that a backlog keeps its order
     */
    static long arrival(long timestamp, long now) {
        return timestamp > 0 && timestamp <= now ? timestamp : now;
    }

    private Parsed parse(byte @Nullable [] value) {
        if (value == null || value.length == 0) {
            return new Parsed(null, "the record has no value");
        }
        try {
            GenerationRequest request = requestReader.readValue(value);
            return request == null ? new Parsed(null, "the value is JSON null") : new Parsed(request, "");
        } catch (JacksonException e) {
            return new Parsed(null, problem(e));
        }
    }

    private String problem(JacksonException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        String message = e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
                ? expected(mismatch.getTargetType())
                : Bounded.text(String.valueOf(e.getOriginalMessage()), 300);
        return path.isEmpty() ? message : Bounded.text(path, 200) + ": " + message;
    }

    /** @return what a value of {@code type} must look like, in the words of a JSON writer */
    private String expected(Class<?> type) {
        if (type.isEnum()) {
            return "allowed values: " + Arrays.stream(type.getEnumConstants())
                    .map(constant -> jsonMapper.writeValueAsString(constant).replace("\"", ""))
                    .collect(Collectors.joining(", "));
        }
        if (Map.class.isAssignableFrom(type)) {
            return "must be a JSON object";
        }
        if (type == String.class) {
            return "must be a string";
        }
        if (type == Integer.class || type == int.class) {
            return "must be an integer";
        }
        return "must be a " + type.getSimpleName();
    }

    private Outcome park(GenerationRequest request, long timestamp) {
        String requestId = Objects.requireNonNull(request.requestId());
        String accountId = Objects.requireNonNull(request.accountId());
        try (RequestLogContext ignored = RequestLogContext.open(requestId, accountId, null)) {
            return park(request, requestId, accountId, timestamp);
        }
    }

    private Outcome park(GenerationRequest request, String requestId, String accountId, long timestamp) {
        boolean parked = queue.park(new ParkedRequest(accountId, requestId, request.priority(),
                arrival(timestamp, clock.millis()), jsonMapper.writeValueAsString(request),
                RequestValidator.permitsNeeded(request), request.campaignId(), traces.currentTraceparent()));
        if (!parked) {
            log.info("request {} of account {} is already known; skipping the replayed record", requestId, accountId);
            return Outcome.SKIPPED;
        }
        log.debug("parked request {} for account {}", requestId, accountId);
        wakeDispatcher.run();
        return Outcome.PARKED;
    }

    private void fail(SourceRecord source, RequestPeek who, @Nullable String key, byte @Nullable [] value,
            FailureStage stage, String reason) {
        String suffix = " [record " + source.locator() + "]";
        String bounded = Bounded.text(reason, Bounded.MAX_REASON - suffix.length()) + suffix;
        RequestFailed failed = failure(source, who, stage, bounded);
        // ids as failure() bounded them: a hostile id never reaches the MDC
        try (RequestLogContext ignored = RequestLogContext.open(failed.requestId(), failed.accountId(), null)) {
            reject(source, failed, key, value, stage, bounded);
        }
    }

    private void reject(SourceRecord source, RequestFailed failed, @Nullable String key, byte @Nullable [] value,
            FailureStage stage, String bounded) {
        log.warn("request {} rejected: {}", failed.requestId(), bounded);
        String deadLetterReason = bounded;
        try {
            if (!publishFailure(failed)) {
                // the id belongs to a request that was parked or ended before: this record must not
                // give it a second outcome, so it is only dead-lettered
                log.warn("request {} of account {} is already known; the rejected record is dead-lettered without a "
                        + "requests.failed event", failed.requestId(), failed.accountId());
                deadLetterReason = "request id already known, no failure event; " + bounded;
            }
        } catch (PublishException e) {
            if (!KafkaRefusals.isPermanent(e)) {
                throw e;
            }
            log.error("request {}: Kafka refused its failure event for good ({}); dead-lettering the record only",
                    failed.requestId(), KafkaRefusals.describe(e.getCause()));
            deadLetterReason = "no failure event (Kafka refused it: " + KafkaRefusals.describe(e.getCause()) + "); "
                    + bounded;
        }
        deadLetter(source, key, value, stage, deadLetterReason);
    }

    private RequestFailed failure(SourceRecord source, RequestPeek who, FailureStage stage, String reason) {
        String requestId = who.requestId() == null || who.requestId().isBlank()
                ? source.locator() : Bounded.id(who.requestId());
        String accountId = Bounded.idOrNull(who.accountId());
        return new RequestFailed(KlingRelayEvent.CURRENT_SCHEMA_VERSION,
                EventIds.forRequest(accountId, requestId, "failed"), requestId, accountId,
                Bounded.idOrNull(who.campaignId()), stage, reason, null, null, null, clock.instant());
    }

    /**
     * The one place that publishes {@code klingrelay.requests.failed} for intake: the request's
     * outcome is claimed first, only for a request id not seen before (an invalid record reusing a
     * known id must not end the request that owns it); a record too malformed to name a usable
     * account and id cannot be claimed and is published as is.
     *
     * @return false when the id was already known (nothing published)
     */
    private boolean publishFailure(RequestFailed failed) {
        Claim claim = outcomes.end(failed, ClaimCondition.newRequest());
        return claim.won() || claim instanceof Claim.Taken taken && !taken.published();
    }

    private void deadLetter(SourceRecord source, @Nullable String key, byte @Nullable [] value, FailureStage stage,
            String reason) {
        try {
            deadLetters.deadLetter(DLT, source, key, value, stage, reason);
        } catch (PermanentException e) {
            // nothing smaller can be sent: retrying would block the partition for ever
            log.error("dropping {}: Kafka refused even a reference to it on {} ({})", source.locator(), DLT,
                    KafkaRefusals.describe(e.getCause()));
        }
    }

    private record Parsed(@Nullable GenerationRequest request, String problem) {
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
