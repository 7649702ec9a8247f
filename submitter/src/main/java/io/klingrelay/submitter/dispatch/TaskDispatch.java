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
import io.klingrelay.coordination.dispatch.CreatedTask;
import io.klingrelay.coordination.dispatch.Dispatch;
import io.klingrelay.coordination.dispatch.Dispatches;
import io.klingrelay.coordination.dispatch.RecordResult;
import io.klingrelay.coordination.dispatch.Retry;
import io.klingrelay.coordination.dispatch.TakeResult;
import io.klingrelay.coordination.logging.RequestLogContext;
import io.klingrelay.coordination.outcome.Claim;
import io.klingrelay.coordination.outcome.ClaimCondition;
import io.klingrelay.coordination.outcome.OutcomePublisher;
import io.klingrelay.coordination.publish.EventPublisher;
import io.klingrelay.coordination.retry.FullJitterBackOff;
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
 * Turns one taken request (which already holds its permits, a dispatch lease and a fencing token)
 * into exactly one Kling task (ARCHITECTURE.md "A paid generation is never submitted twice"):
 * <ol>
 *   <li>when an earlier attempt may have reached Kling, ask Kling by {@code external_task_id}
 *       first and adopt the task it already has; only Kling's own "no such task" lets it go on,
 *       an unknown answer is a transient error and nothing is created;</li>
 *   <li>otherwise create it, with {@code external_task_id} = request id and the per-task
 *       {@code callback_url}, while {@link DispatchLeaseKeeper} renews the dispatch lease;</li>
 *   <li>record the task in Redis (which ends the dispatch), then publish
 *       {@code klingrelay.tasks.submitted}.</li>
 * </ol>
 * Every write carries the dispatch's fencing token: a dispatch that lost its lease cannot requeue
 * or fail a request another dispatch took over, and its task is adopted or reported as an orphan,
 * never silently dropped. Errors follow their kind's budget (STYLE.md 11): permanent → the
 * request's outcome is claimed and {@code requests.failed} published (the claim also ends the
 * dispatch and releases the permits, in one step); 1303 → back to its queue position after a short
 * delay, no attempt spent; transient → exponential backoff with full jitter; once the attempts are
 * spent the request still waits until Kling answers its {@code external_task_id} lookup, and
 * fails only on Kling's word that no task exists; account-level → the account is paused, the
 * request stays queued. Anything else (Redis or Kafka down) leaves the dispatch lease to expire,
 * after which the sweep returns the request marked "may exist".
 */
public final class TaskDispatch {

    private static final Logger log = LoggerFactory.getLogger(TaskDispatch.class);
    /** Who claims outcomes in this service, recorded with each claim for diagnosis. */
    public static final String CLAIMANT = "submitter";

    private final KlingClient kling;
    private final Dispatches dispatches;
    private final OutcomePublisher outcomes;
    private final EventPublisher publisher;
    private final JsonMapper jsonMapper;
    private final CallbackUrls callbackUrls;
    private final SubmitterProperties properties;
    private final FullJitterBackOff backoff;
    private final DispatchLeaseKeeper leaseKeeper;
    private final SubmitterMetrics metrics;
    private final Clock clock;

    /**
     * @param kling        the Kling client
     * @param dispatches   the fenced dispatch writes
     * @param outcomes     ends requests with their one outcome
     * @param publisher    the event publisher (for {@code tasks.submitted})
     * @param jsonMapper   the JSON mapper
     * @param callbackUrls builds each task's callback URL
     * @param properties   submitter settings
     * @param leaseKeeper  renews dispatch leases while creates are in flight
     * @param metrics      the metrics catalogue
     * @param clock        the time source
     */
    public TaskDispatch(KlingClient kling, Dispatches dispatches, OutcomePublisher outcomes, EventPublisher publisher,
            JsonMapper jsonMapper, CallbackUrls callbackUrls, SubmitterProperties properties,
            DispatchLeaseKeeper leaseKeeper, SubmitterMetrics metrics, Clock clock) {
        this.kling = kling;
        this.dispatches = dispatches;
        this.outcomes = outcomes;
        this.publisher = publisher;
        this.jsonMapper = jsonMapper;
        this.callbackUrls = callbackUrls;
        this.properties = properties;
        this.backoff = new FullJitterBackOff(properties.maxAttempts(), properties.backoffBase(), properties.backoffMax());
        this.leaseKeeper = leaseKeeper;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * @param account the account the request was taken from
     * @param taken   the taken request
     */
    public void dispatch(KlingAccount account, TakeResult.Taken taken) {
        try (RequestLogContext ignored = RequestLogContext.open(taken.requestId(), account.id(), null)) {
            dispatchTaken(account, taken);
        }
    }

    private void dispatchTaken(KlingAccount account, TakeResult.Taken taken) {
        GenerationRequest request = jsonMapper.readValue(taken.payload(), GenerationRequest.class);
        metrics.waited(Duration.ofMillis(Math.max(0, clock.millis() - taken.arrivalMs())));
        Dispatch dispatch = taken.dispatch();
        leaseKeeper.hold(dispatch);
        try {
            dispatchHeld(account, taken, request);
        } finally {
            leaseKeeper.release(dispatch);
        }
    }

    private void dispatchHeld(KlingAccount account, TakeResult.Taken taken, GenerationRequest request) {
        Product product = Objects.requireNonNull(request.product());
        try {
            Optional<KlingTask> existing = taken.mayExist() || budgetSpent(taken)
                    ? kling.findByExternalTaskId(account, product, taken.requestId())
                    : Optional.empty();
            if (existing.isPresent()) {
                log.info("request {} of account {}: Kling already has its task {} (created before a crash or a lost "
                        + "reply); adopted, not created again", taken.requestId(), account.id(), existing.get().taskId());
                metrics.dispatched(DispatchOutcome.ADOPTED);
                record(taken, request, product, existing.get());
            } else if (budgetSpent(taken)) {
                // Kling says no task exists: giving up now cannot leave a paid task behind
                failForGood(taken, request, "gave up after " + taken.attempts() + " attempts: " + taken.lastError(), null);
            } else {
                KlingTask created = create(account, request, product);
                metrics.dispatched(DispatchOutcome.CREATED);
                record(taken, request, product, created);
            }
        } catch (KlingRelayException e) {
            handle(account, request, taken, e);
        }
    }

    private boolean budgetSpent(TakeResult.Taken taken) {
        return taken.attempts() >= properties.maxAttempts();
    }

    private KlingTask create(KlingAccount account, GenerationRequest request, Product product) {
        Map<String, Object> body = new LinkedHashMap<>(request.input());
        String requestId = Objects.requireNonNull(request.requestId());
        body.put("external_task_id", requestId);
        callbackUrls.forRequest(account.id(), requestId).ifPresent(url -> body.put("callback_url", url.toString()));
        return kling.create(account, product, body);
    }

    private void record(TakeResult.Taken taken, GenerationRequest request, Product product, KlingTask task) {
        try (RequestLogContext ignored = RequestLogContext.open(null, null, task.taskId())) {
            recordTask(taken, request, product, task);
        }
    }

    private void recordTask(TakeResult.Taken taken, GenerationRequest request, Product product, KlingTask task) {
        String requestId = taken.requestId();
        String accountId = taken.accountId();
        Instant submittedAt = clock.instant();
        RecordResult result = dispatches.recordTask(taken.dispatch(),
                new CreatedTask(task.taskId(), product, request.campaignId(), submittedAt, taken.permits()),
                properties.permitLease());
        switch (result) {
            case RECORDED -> log.info("request {} of account {} is Kling task {}", requestId, accountId, task.taskId());
            case ADOPTED -> log.warn("request {} of account {}: the dispatch had lost its lease before task {} was "
                    + "recorded; no other task was recorded, so this one is adopted", requestId, accountId, task.taskId());
            case ALREADY -> log.info("request {} of account {}: task {} was already recorded", requestId, accountId,
                    task.taskId());
            case DUPLICATE, ENDED -> {
                metrics.dispatched(DispatchOutcome.ORPHANED);
                log.error("request {} of account {}: task {} was created by a dispatch that had lost its lease, and the "
                        + "request {}; Kling runs it as an orphan (listed under the account's orphaned tasks)", requestId,
                        accountId, task.taskId(), result == RecordResult.DUPLICATE ? "has another task"
                                : "had already ended");
                return;
            }
        }
        publishSubmitted(requestId, accountId, request, product, task, taken.permits(), submittedAt);
    }

    private void publishSubmitted(String requestId, String accountId, GenerationRequest request, Product product,
            KlingTask task, int permits, Instant submittedAt) {
        try {
            publisher.publish(List.of(new TaskSubmitted(
                    KlingRelayEvent.CURRENT_SCHEMA_VERSION, EventIds.forRequest(accountId, requestId, "submitted"),
                    requestId, accountId, request.campaignId(), product, task.taskId(), permits, submittedAt)));
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
                failForGood(taken, request, permanent.getMessage(), permanent);
            }
            case CapacityException capacity -> {
                metrics.dispatched(DispatchOutcome.CAPACITY);
                log.debug("request {} refused with 1303; back to its queue place, account {} limit lowered", requestId,
                        account.id());
                retry(account, taken, Retry.capacity(clock.instant().plus(properties.capacityBackoff())));
            }
            case TransientException transientError -> {
                metrics.dispatched(DispatchOutcome.TRANSIENT);
                retryLater(account, taken, transientError);
            }
            case AccountException accountError -> {
                metrics.dispatched(DispatchOutcome.ACCOUNT);
                log.error("account {} paused: Kling refused it ({}); its requests stay queued and a probe will follow",
                        account.id(), accountError.getMessage());
                retry(account, taken, Retry.accountPause(clock.instant(), pauseReason(accountError)));
            }
        }
    }

    private static String pauseReason(AccountException e) {
        return e.klingCode() != null ? "kling code " + e.klingCode() : "HTTP " + e.httpStatus();
    }

    /**
     * A transient error spends an attempt; the request then always returns marked "may exist". Once
     * the attempts are spent it keeps waiting (at the longest backoff) until a lookup by
     * {@code external_task_id} answers for sure: adopt, or fail on Kling's word that nothing exists.
     */
    private void retryLater(KlingAccount account, TakeResult.Taken taken, TransientException e) {
        int attempt = taken.attempts() + 1;
        if (attempt < properties.maxAttempts()) {
            log.warn("request {} attempt {}/{} failed: {}", taken.requestId(), attempt, properties.maxAttempts(),
                    e.getMessage());
        } else {
            log.warn("request {} attempt {}/{} failed: {}; it fails once Kling confirms it has no task for it",
                    taken.requestId(), attempt, properties.maxAttempts(), e.getMessage());
        }
        retry(account, taken, Retry.transientError(clock.instant().plus(backoff.delayAfter(attempt)),
                Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName())));
    }

    private void retry(KlingAccount account, TakeResult.Taken taken, Retry retry) {
        if (dispatches.retryLater(taken.dispatch(), retry, account.concurrencyLimit()) < 0) {
            log.warn("request {} of account {}: dispatch {} lost its lease; the dispatch that took it over decides",
                    taken.requestId(), account.id(), taken.fence());
        }
    }

    private void failForGood(TakeResult.Taken taken, GenerationRequest request, String reason,
            @Nullable KlingRelayException cause) {
        String requestId = taken.requestId();
        String accountId = taken.accountId();
        RequestFailed failed = new RequestFailed(KlingRelayEvent.CURRENT_SCHEMA_VERSION,
                EventIds.forRequest(accountId, requestId, "failed"), requestId, accountId, request.campaignId(),
                FailureStage.SUBMISSION, reason, cause == null ? null : cause.klingCode(),
                cause == null ? null : klingMessage(cause), null, clock.instant());
        Claim claim = outcomes.end(failed, ClaimCondition.heldBy(taken.dispatch()));
        if (claim.won()) {
            log.error("request {} of account {} failed at submission: {}", requestId, accountId, reason);
        } else {
            log.warn("request {} of account {}: not failed by this dispatch ({}): {}", requestId, accountId, claim,
                    reason);
        }
    }

    private static @Nullable String klingMessage(KlingRelayException e) {
        String message = e.getMessage();
        return message != null && message.startsWith("Kling refused: ")
                ? message.substring("Kling refused: ".length()).replaceFirst(" \\(kling code.*$", "") : null;
    }
}
