package io.klingrelay.submitter.dispatch;

import io.klingrelay.common.error.AccountException;
import io.klingrelay.common.error.CapacityException;
import io.klingrelay.common.error.KlingRelayException;
import io.klingrelay.common.error.PermanentException;
import io.klingrelay.common.error.TransientException;
import io.klingrelay.common.event.EventIds;
import io.klingrelay.common.event.FailureStage;
import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.event.KlingRelayEvent;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.event.RequestFailed;
import io.klingrelay.common.event.TaskSubmitted;
import io.klingrelay.coordination.dispatch.RequestQueue;
import io.klingrelay.coordination.dispatch.RetryKind;
import io.klingrelay.coordination.dispatch.TakeResult;
import io.klingrelay.coordination.publish.EventPublisher;
import io.klingrelay.klingclient.api.KlingClient;
import io.klingrelay.klingclient.api.KlingTask;
import io.klingrelay.klingclient.config.KlingAccount;
import io.klingrelay.submitter.config.SubmitterProperties;
import io.klingrelay.submitter.metrics.DispatchOutcome;
import io.klingrelay.submitter.metrics.SubmitterMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns one taken request (which already holds its permits and a dispatch lease) into exactly one
 * Kling task (ARCHITECTURE.md "A paid generation is never submitted twice"):
 * <ol>
 *   <li>when an earlier attempt may have reached Kling, ask Kling by {@code external_task_id}
 *       first and adopt the task it already has;</li>
 *   <li>otherwise create it, with {@code external_task_id} = request id and the per-task
 *       {@code callback_url};</li>
 *   <li>record the task in Redis (which ends the dispatch), then publish
 *       {@code klingrelay.tasks.submitted}.</li>
 * </ol>
 * Errors follow their kind's budget (STYLE.md 11): permanent → {@code requests.failed} and the
 * permits are released; 1303 → back to its queue position after a short delay, no attempt spent;
 * transient → exponential backoff with full jitter until the attempts run out; account-level →
 * wait and try again, keeping the request queued. Anything else (Redis or Kafka down) leaves the
 * dispatch lease to expire, after which the sweep returns the request marked "may exist".
 */
public final class TaskDispatch {

    private static final Logger log = LoggerFactory.getLogger(TaskDispatch.class);

    private final KlingClient kling;
    private final RequestQueue queue;
    private final EventPublisher publisher;
    private final JsonMapper jsonMapper;
    private final CallbackUrls callbackUrls;
    private final SubmitterProperties properties;
    private final Backoff backoff;
    private final SubmitterMetrics metrics;
    private final Clock clock;

    /**
     * @param kling          the Kling client
     * @param queue          the per-account queues
     * @param publisher      the event publisher
     * @param jsonMapper     the JSON mapper
     * @param callbackUrls   builds each task's callback URL
     * @param properties     submitter settings
     * @param metrics        the metrics catalogue
     * @param clock          the time source
     */
    public TaskDispatch(KlingClient kling, RequestQueue queue, EventPublisher publisher, JsonMapper jsonMapper,
            CallbackUrls callbackUrls, SubmitterProperties properties, SubmitterMetrics metrics, Clock clock) {
        this.kling = kling;
        this.queue = queue;
        this.publisher = publisher;
        this.jsonMapper = jsonMapper;
        this.callbackUrls = callbackUrls;
        this.properties = properties;
        this.backoff = new Backoff(properties.backoffBase(), properties.backoffMax());
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * @param account the account the request was taken from
     * @param taken   the taken request
     */
    public void dispatch(KlingAccount account, TakeResult.Taken taken) {
        GenerationRequest request = jsonMapper.readValue(taken.payload(), GenerationRequest.class);
        Product product = Objects.requireNonNull(request.product());
        metrics.waited(Duration.ofMillis(Math.max(0, clock.millis() - taken.arrivalMs())));
        try {
            Optional<KlingTask> existing = taken.mayExist()
                    ? kling.findByExternalTaskId(account, product, taken.requestId())
                    : Optional.empty();
            existing.ifPresent(found -> log.info("request {} of account {}: Kling already has its task {} (created "
                    + "before a crash or a lost reply); adopted, not created again", taken.requestId(), account.id(),
                    found.taskId()));
            KlingTask task = existing.orElseGet(() -> create(account, request, product));
            metrics.dispatched(existing.isPresent() ? DispatchOutcome.ADOPTED : DispatchOutcome.CREATED);
            record(request, product, task, taken.permits());
        } catch (KlingRelayException e) {
            handle(account, request, taken, e);
        }
    }

    private KlingTask create(KlingAccount account, GenerationRequest request, Product product) {
        Map<String, Object> body = new LinkedHashMap<>(request.input());
        String requestId = Objects.requireNonNull(request.requestId());
        body.put("external_task_id", requestId);
        callbackUrls.forRequest(account.id(), requestId).ifPresent(url -> body.put("callback_url", url.toString()));
        return kling.create(account, product, body);
    }

    private void record(GenerationRequest request, Product product, KlingTask task, int permits) {
        String requestId = Objects.requireNonNull(request.requestId());
        String accountId = Objects.requireNonNull(request.accountId());
        Instant submittedAt = clock.instant();
        boolean leaseHeld = queue.recordTask(accountId, requestId, task.taskId(), product, request.campaignId(),
                submittedAt, permits);
        if (!leaseHeld) {
            log.warn("dispatch lease of request {} had expired before task {} was recorded; recorded anyway",
                    requestId, task.taskId());
        }
        log.info("request {} of account {} is Kling task {}", requestId, accountId, task.taskId());
        try {
            publisher.publish(List.of(new TaskSubmitted(
                    KlingRelayEvent.CURRENT_SCHEMA_VERSION, EventIds.forRequest(requestId, "submitted"), requestId,
                    accountId, request.campaignId(), product, task.taskId(), permits, submittedAt)));
        } catch (TransientException e) {
            // the task is recorded, which is what exactly-once depends on; the event is informational
            log.warn("task {} of request {} recorded but its tasks.submitted event was not acknowledged: {}",
                    task.taskId(), requestId, e.getMessage());
        }
    }

    private void handle(KlingAccount account, GenerationRequest request, TakeResult.Taken taken, KlingRelayException e) {
        String requestId = taken.requestId();
        switch (e) {
            case PermanentException permanent -> {
                metrics.dispatched(DispatchOutcome.PERMANENT);
                fail(request, permanent.getMessage(), permanent);
            }
            case CapacityException capacity -> {
                metrics.dispatched(DispatchOutcome.CAPACITY);
                log.debug("request {} refused with 1303; back to its queue place, account {} limit lowered", requestId,
                        account.id());
                queue.retryLater(account.id(), requestId, clock.instant().plus(properties.capacityBackoff()),
                        RetryKind.CAPACITY, false, "", account.concurrencyLimit());
            }
            case TransientException transientError -> {
                metrics.dispatched(DispatchOutcome.TRANSIENT);
                retryOrGiveUp(account, request, taken, transientError);
            }
            case AccountException accountError -> {
                metrics.dispatched(DispatchOutcome.ACCOUNT);
                log.error("account {} paused: Kling refused it ({}); its requests stay queued and a probe will follow",
                        account.id(), accountError.getMessage());
                queue.retryLater(account.id(), requestId, clock.instant(), RetryKind.ACCOUNT, false,
                        pauseReason(accountError), account.concurrencyLimit());
            }
        }
    }

    private static String pauseReason(AccountException e) {
        return e.klingCode() != null ? "kling code " + e.klingCode() : "HTTP " + e.httpStatus();
    }

    private void retryOrGiveUp(KlingAccount account, GenerationRequest request, TakeResult.Taken taken,
            TransientException e) {
        int attempt = taken.attempts() + 1;
        if (attempt < properties.maxAttempts()) {
            log.warn("request {} attempt {}/{} failed: {}", taken.requestId(), attempt, properties.maxAttempts(),
                    e.getMessage());
            queue.retryLater(account.id(), taken.requestId(), clock.instant().plus(backoff.delayAfter(attempt)),
                    RetryKind.TRANSIENT, true, "", account.concurrencyLimit());
            return;
        }
        Optional<KlingTask> existing = lastLook(account, request);
        if (existing.isPresent()) {
            record(request, Objects.requireNonNull(request.product()), existing.get(), taken.permits());
            return;
        }
        fail(request, "gave up after " + attempt + " attempts: " + e.getMessage(), e);
    }

    private Optional<KlingTask> lastLook(KlingAccount account, GenerationRequest request) {
        try {
            return kling.findByExternalTaskId(account, Objects.requireNonNull(request.product()),
                    Objects.requireNonNull(request.requestId()));
        } catch (KlingRelayException e) {
            return Optional.empty();
        }
    }

    private void fail(GenerationRequest request, String reason, @Nullable KlingRelayException cause) {
        String requestId = Objects.requireNonNull(request.requestId());
        String accountId = Objects.requireNonNull(request.accountId());
        log.error("request {} of account {} failed at submission: {}", requestId, accountId, reason);
        publisher.publish(List.of(new RequestFailed(KlingRelayEvent.CURRENT_SCHEMA_VERSION,
                EventIds.forRequest(requestId, "failed"), requestId, accountId, request.campaignId(),
                FailureStage.SUBMISSION, reason, cause == null ? null : cause.klingCode(),
                cause == null ? null : klingMessage(cause), null, clock.instant())));
        queue.endDispatch(accountId, requestId);
    }

    private static @Nullable String klingMessage(KlingRelayException e) {
        String message = e.getMessage();
        return message != null && message.startsWith("Kling refused: ")
                ? message.substring("Kling refused: ".length()).replaceFirst(" \\(kling code.*$", "") : null;
    }
}
