package io.klingrelay.webhookreceiver.callback;

import io.klingrelay.common.event.StatusSource;
import io.klingrelay.common.event.TaskStatus;
import io.klingrelay.coordination.logging.RequestLogContext;
import io.klingrelay.coordination.publish.EventPublisher;
import io.klingrelay.coordination.publish.PublishException;
import io.klingrelay.coordination.task.Proposal;
import io.klingrelay.coordination.task.TaskLedger;
import io.klingrelay.coordination.task.TaskRecord;
import io.klingrelay.coordination.task.TaskStatusPublisher;
import io.klingrelay.coordination.trace.RequestTraces;
import io.klingrelay.klingclient.api.KlingTask;
import io.klingrelay.klingclient.callback.SignatureCheck;
import io.klingrelay.webhookreceiver.metrics.WebhookReceiverMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decides what one Kling callback does (ARCHITECTURE.md "Callbacks are untrusted until proven",
 * kling-api.md §11): authenticate, skip a signed delivery whose {@code webhook-id} was already
 * handled, parse, {@link TaskLedger#propose propose}, publish, and only after Kafka's
 * acknowledgement {@link TaskLedger#markPublished mark the terminal event published} (which
 * releases the task's permits) and remember the {@code webhook-id}. Nothing is published for a
 * duplicate, an unknown or a mismatched task. Logs carry account, request and task ids, never the
 * token, the signature headers or the body; a path value is logged only once it passed
 * {@code RedisKeys.isSafeId}, else in a sanitised, length-capped form ({@link LogSafe}).
 * Thread-safe.
 */
public final class CallbackHandler {

    /** The claimant name recorded in the ledger. */
    static final String CLAIMANT = "webhook";

    private static final Logger log = LoggerFactory.getLogger(CallbackHandler.class);
    /** The span of one authenticated, readable callback: its proposal and the events it publishes. */
    static final String CALLBACK_SPAN = "klingrelay.callback";

    private final CallbackAuthenticator authenticator;
    private final TaskLedger ledger;
    private final DeliveryLog deliveries;
    private final TaskStatusPublisher statusPublisher;
    private final JsonMapper jsonMapper;
    private final MeterRegistry meterRegistry;
    private final Clock clock;
    private final RequestTraces traces;

    /**
     * @param authenticator token and signature checks
     * @param ledger        the task ledger
     * @param deliveries    the {@code webhook-id}s already handled (used only for signed callbacks)
     * @param publisher     the Kafka publisher (waits for acks)
     * @param jsonMapper    the JSON mapper for the body
     * @param meterRegistry the meter registry
     * @param clock         the time source for observation times
     */
    public CallbackHandler(CallbackAuthenticator authenticator, TaskLedger ledger, DeliveryLog deliveries,
            EventPublisher publisher, JsonMapper jsonMapper, MeterRegistry meterRegistry, Clock clock) {
        this(authenticator, ledger, deliveries, publisher, jsonMapper, meterRegistry, clock, RequestTraces.untraced());
    }

    /**
     * @param authenticator token and signature checks
     * @param ledger        the task ledger
     * @param deliveries    the {@code webhook-id}s already handled (used only for signed callbacks)
     * @param publisher     the Kafka publisher (waits for acks)
     * @param jsonMapper    the JSON mapper for the body
     * @param meterRegistry the meter registry
     * @param clock         the time source for observation times
     * @param traces        continues the request's trace (stored with its task) in the callback's span
     */
    public CallbackHandler(CallbackAuthenticator authenticator, TaskLedger ledger, DeliveryLog deliveries,
            EventPublisher publisher, JsonMapper jsonMapper, MeterRegistry meterRegistry, Clock clock,
            RequestTraces traces) {
        this.traces = traces;
        this.authenticator = authenticator;
        this.ledger = ledger;
        this.deliveries = deliveries;
        this.statusPublisher = new TaskStatusPublisher(publisher, ledger);
        this.jsonMapper = jsonMapper;
        this.meterRegistry = meterRegistry;
        this.clock = clock;
    }

    /**
     * Refuses a path before its body is read: ids or token of a shape ours never have, or a
     * token no active secret issued. Counts and logs (sanitised) what it refuses.
     *
     * @param accountId the account id from the path, untrusted
     * @param requestId the request id from the path, untrusted
     * @param token     the token from the path, untrusted (never logged)
     * @return {@link CallbackOutcome#BAD_TOKEN} when refused, else empty
     */
    public Optional<CallbackOutcome> screenPath(String accountId, String requestId, String token) {
        if (authenticator.hasValidToken(accountId, requestId, token)) {
            return Optional.empty();
        }
        logBadToken(accountId, requestId);
        return Optional.of(count(CallbackOutcome.BAD_TOKEN));
    }

    /**
     * Counts and logs a body over the cap, refused without being buffered.
     *
     * @param accountId the account id, already {@linkplain #screenPath screened}
     * @param requestId the request id, already screened
     * @return {@link CallbackOutcome#PAYLOAD_TOO_LARGE}
     */
    public CallbackOutcome refuseTooLarge(String accountId, String requestId) {
        log.warn("Callback refused: body over the size cap for account {} request {}", accountId, requestId);
        return count(CallbackOutcome.PAYLOAD_TOO_LARGE);
    }

    /**
     * Counts and logs a body that could not be read.
     *
     * @param accountId the account id, already {@linkplain #screenPath screened}
     * @param requestId the request id, already screened
     * @param reason    the exception's simple class name
     * @return {@link CallbackOutcome#UNREADABLE_BODY}
     */
    public CallbackOutcome refuseUnreadable(String accountId, String requestId, String reason) {
        log.warn("Callback refused: body could not be read for account {} request {}: {}", accountId, requestId,
                reason);
        return count(CallbackOutcome.UNREADABLE_BODY);
    }

    /**
     * @param request the callback as received
     * @return the outcome, which carries the HTTP status to answer
     */
    public CallbackOutcome handle(CallbackRequest request) {
        return count(decide(request));
    }

    private CallbackOutcome count(CallbackOutcome outcome) {
        WebhookReceiverMetrics.CALLBACKS_RECEIVED.increment(meterRegistry, outcome.tag());
        return outcome;
    }

    private CallbackOutcome decide(CallbackRequest request) {
        if (!authenticator.hasValidToken(request)) {
            logBadToken(request.accountId(), request.requestId());
            return CallbackOutcome.BAD_TOKEN;
        }
        // the token authenticates the path's ids: only now may they go into every log line
        try (RequestLogContext ignored = RequestLogContext.open(request.requestId(), request.accountId(), null)) {
            return decideAuthentic(request);
        }
    }

    private CallbackOutcome decideAuthentic(CallbackRequest request) {
        SignatureCheck signature = authenticator.checkSignature(request);
        if (signature != SignatureCheck.VALID) {
            return refuseSignature(request, signature);
        }
        String webhookId = request.webhookId();
        // only a verified signature makes webhook-id authentic: unsigned callbacks are never skipped by it
        if (authenticator.requiresSignature() && webhookId != null) {
            return handleOnce(request, webhookId);
        }
        return parseAndPropose(request);
    }

    private static void logBadToken(String accountId, String requestId) {
        log.warn("Callback refused: bad token for account {} request {}", LogSafe.id(accountId), LogSafe.id(requestId));
    }

    private static CallbackOutcome refuseSignature(CallbackRequest request, SignatureCheck signature) {
        if (signature == SignatureCheck.MALFORMED) {
            log.warn("Callback refused: malformed webhook-id, webhook-timestamp or webhook-signature header for "
                    + "account {} request {}", request.accountId(), request.requestId());
            return CallbackOutcome.MALFORMED_HEADERS;
        }
        log.warn("Callback refused: missing or invalid webhook signature for account {} request {}",
                request.accountId(), request.requestId());
        return CallbackOutcome.BAD_SIGNATURE;
    }

    /** A signed delivery: its {@code webhook-id} is authentic, so a redelivery is skipped. */
    private CallbackOutcome handleOnce(CallbackRequest request, String webhookId) {
        Optional<CallbackOutcome> skipped = skipIfHandled(request, webhookId);
        if (skipped.isPresent()) {
            return skipped.get();
        }
        CallbackOutcome outcome = parseAndPropose(request);
        if (isFullyHandled(outcome)) {
            markHandled(request, webhookId);
        }
        return outcome;
    }

    private Optional<CallbackOutcome> skipIfHandled(CallbackRequest request, String webhookId) {
        try {
            if (deliveries.wasHandled(request.accountId(), webhookId)) {
                log.debug("Callback for account {} request {} already handled (same webhook-id): answering 200",
                        request.accountId(), request.requestId());
                return Optional.of(CallbackOutcome.DUPLICATE);
            }
            return Optional.empty();
        } catch (DataAccessException e) {
            log.warn("Callback for account {} request {}: Redis unavailable, answering 503: {}", request.accountId(),
                    request.requestId(), e.getClass().getSimpleName());
            return Optional.of(CallbackOutcome.LEDGER_UNAVAILABLE);
        }
    }

    /** Published, or nothing left to publish; not {@code IN_FLIGHT}, whose publisher may still fail. */
    private static boolean isFullyHandled(CallbackOutcome outcome) {
        return outcome == CallbackOutcome.STATUS_PUBLISHED || outcome == CallbackOutcome.COMPLETED
                || outcome == CallbackOutcome.DUPLICATE;
    }

    private void markHandled(CallbackRequest request, String webhookId) {
        try {
            deliveries.markHandled(request.accountId(), webhookId);
        } catch (DataAccessException e) {
            // harmless: a redelivery then goes to the ledger, which finds it a duplicate
            log.warn("Callback for account {} request {}: could not remember its webhook-id: {}", request.accountId(),
                    request.requestId(), e.getClass().getSimpleName());
        }
    }

    private CallbackOutcome parseAndPropose(CallbackRequest request) {
        Optional<KlingTask> task = parse(request);
        if (task.isEmpty()) {
            log.warn("Callback refused: body is not a Kling task for account {} request {}", request.accountId(),
                    request.requestId());
            return CallbackOutcome.UNPARSEABLE;
        }
        try (RequestLogContext ignored = RequestLogContext.open(null, null, LogSafe.id(task.get().taskId()))) {
            return propose(request, task.get());
        }
    }

    private CallbackOutcome propose(CallbackRequest request, KlingTask task) {
        Optional<TaskStatus> status = statusOf(task);
        if (status.isEmpty()) {
            log.warn("Callback refused: unknown task_status for account {} request {} task_id {}",
                    request.accountId(), request.requestId(), LogSafe.id(task.taskId()));
            return CallbackOutcome.UNKNOWN_STATUS;
        }
        return traces.continueTrace(CALLBACK_SPAN, request.requestId(), traceparent(request),
                () -> proposeSafely(request, task, status.get()));
    }

    /** The trace context stored with the request's task; a callback is handled untraced when Redis cannot tell. */
    private @Nullable String traceparent(CallbackRequest request) {
        try {
            return ledger.traceparent(request.accountId(), request.requestId()).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Optional<KlingTask> parse(CallbackRequest request) {
        try {
            KlingTask task = readTask(jsonMapper.readTree(request.body()));
            // a succeed without usable result URLs is read as a generation failure (KlingTask#withUsableResult)
            return isComplete(task) ? Optional.of(task.withUsableResult()) : Optional.empty();
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    /**
     * A legacy callback carries {@code task_id} (kling-api.md §11.2); a 2026 one carries the new
     * task object ({@code id}, {@code status} {@code succeeded}, {@code outputs[]}, {@code billing[]},
     * §15), read by {@link KlingTask#fromNewApi}.
     */
    private @Nullable KlingTask readTask(@Nullable JsonNode body) {
        if (body == null || !body.isObject()) {
            return null;
        }
        if (!body.has("task_id") && body.has("id")) {
            return KlingTask.fromNewApi(body);
        }
        return jsonMapper.treeToValue(body, KlingTask.class);
    }

    private static boolean isComplete(@Nullable KlingTask task) {
        return task != null && task.taskId() != null && !task.taskId().isBlank() && task.taskStatus() != null;
    }

    private static Optional<TaskStatus> statusOf(KlingTask task) {
        try {
            return Optional.of(task.status());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private CallbackOutcome proposeSafely(CallbackRequest request, KlingTask task, TaskStatus status) {
        try {
            return propose(request, task, status);
        } catch (PublishException e) {
            log.warn("Callback for account {} request {} task_id {} not acknowledged by Kafka, answering 503: {}",
                    request.accountId(), request.requestId(), task.taskId(), e.getMessage());
            return CallbackOutcome.KAFKA_UNAVAILABLE;
        } catch (DataAccessException e) {
            log.warn("Callback for account {} request {} task_id {}: Redis unavailable, answering 503: {}",
                    request.accountId(), request.requestId(), LogSafe.id(task.taskId()), e.getClass().getSimpleName());
            return CallbackOutcome.LEDGER_UNAVAILABLE;
        }
    }

    private CallbackOutcome propose(CallbackRequest request, KlingTask task, TaskStatus status) {
        Proposal proposal = ledger.propose(request.accountId(), request.requestId(), task.taskId(), status, CLAIMANT);
        return switch (proposal) {
            case UNKNOWN -> unknown(request, task);
            case MISMATCH -> mismatch(request, task);
            case DUPLICATE -> CallbackOutcome.DUPLICATE;
            case IN_FLIGHT -> CallbackOutcome.IN_FLIGHT;
            case UPDATED -> publishStatus(request, task, status);
            case WON -> publishTerminal(request, task, status);
        };
    }

    private static CallbackOutcome unknown(CallbackRequest request, KlingTask task) {
        log.info("Callback for account {} request {} task_id {} before the task was recorded; answering 409",
                request.accountId(), request.requestId(), LogSafe.id(task.taskId()));
        return CallbackOutcome.TASK_UNKNOWN;
    }

    private static CallbackOutcome mismatch(CallbackRequest request, KlingTask task) {
        log.warn("Callback refused: task_id {} does not match the task recorded for account {} request {}",
                LogSafe.id(task.taskId()), request.accountId(), request.requestId());
        return CallbackOutcome.TASK_MISMATCH;
    }

    private CallbackOutcome publishStatus(CallbackRequest request, KlingTask task, TaskStatus status) {
        statusPublisher.publishStatus(request.accountId(), request.requestId(), task, status, StatusSource.WEBHOOK,
                clock.instant());
        log.debug("Published task_status {} for request {} task_id {}", status.wireName(), request.requestId(),
                task.taskId());
        return CallbackOutcome.STATUS_PUBLISHED;
    }

    private CallbackOutcome publishTerminal(CallbackRequest request, KlingTask task, TaskStatus status) {
        TaskRecord record = ledger.find(request.accountId(), request.requestId()).orElse(null);
        statusPublisher.publishTerminal(request.accountId(), request.requestId(), task, status, record,
                StatusSource.WEBHOOK, clock.instant());
        log.info("Task {} of request {} (account {}) ended {}: terminal event published from the webhook",
                task.taskId(), request.requestId(), request.accountId(), status.wireName());
        return CallbackOutcome.COMPLETED;
    }
}
