package io.klingrelay.poller.polling;

import io.klingrelay.common.error.KlingRelayException;
import io.klingrelay.common.event.StatusSource;
import io.klingrelay.common.event.TaskCompleted;
import io.klingrelay.common.event.TaskStatus;
import io.klingrelay.common.event.TaskStatusChanged;
import io.klingrelay.coordination.logging.RequestLogContext;
import io.klingrelay.coordination.publish.EventPublisher;
import io.klingrelay.coordination.publish.PublishException;
import io.klingrelay.coordination.task.Proposal;
import io.klingrelay.coordination.task.TaskLedger;
import io.klingrelay.coordination.task.TaskRecord;
import io.klingrelay.coordination.task.TaskStatusPublisher;
import io.klingrelay.coordination.trace.RequestTraces;
import io.klingrelay.klingclient.api.KlingClient;
import io.klingrelay.klingclient.api.KlingTask;
import io.klingrelay.klingclient.api.TaskNotFoundException;
import io.klingrelay.klingclient.config.KlingAccount;
import io.klingrelay.klingclient.config.KlingProperties;
import io.klingrelay.poller.config.PollerProperties;
import io.klingrelay.poller.metrics.PollerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fallback observer of task ends (ARCHITECTURE.md "Permits live across the asynchronous gap",
 * "Callbacks are untrusted until proven"). One {@link #sweep()} lists, for every account in the
 * ledger that is configured here, <em>claims</em> the tasks whose last checkpoint is older than the
 * grace period ({@link TaskLedger#claimForPoll}: one atomic step moves their checkpoints forward by
 * the claim lease, so N poller instances share the due tasks and never query one task at the same
 * time; a claim whose poller died runs out after the lease), queries each on Kling ({@code GET <product path>/{task_id}}, kling-api.md §10.2) on a bounded
 * executor and:
 * <ul>
 *   <li>terminal status: proposes it; when this poll wins, publishes {@link TaskStatusChanged} and
 *       {@link TaskCompleted} (source {@code poller}), waits for Kafka's acknowledgement, then
 *       {@link TaskLedger#markPublished marks it published} (releasing the permits);</li>
 *   <li>running: proposes it (publishing a status event when it is news), renews the permit lease
 *       and moves the checkpoint so the task is due again after {@code recheck};</li>
 *   <li>any error: logs a WARN without stack trace and reschedules; a sweep never crashes.</li>
 * </ul>
 * Thread-safe; sweeps are expected not to overlap (fixed delay).
 */
public final class TaskPoller {

    /** The claimant name recorded in the ledger. */
    static final String CLAIMANT = "poller";

    private static final Logger log = LoggerFactory.getLogger(TaskPoller.class);
    /** The span of one poll of a recorded task: the Kling query and the events it publishes. */
    static final String POLL_SPAN = "klingrelay.poll";

    private final TaskLedger ledger;
    private final KlingClient client;
    private final KlingProperties kling;
    private final PollerProperties properties;
    private final TaskStatusPublisher statusPublisher;
    private final ExecutorService queryExecutor;
    private final MeterRegistry meterRegistry;
    private final Clock clock;
    private final RequestTraces traces;
    private final Set<String> reportedUnconfigured = ConcurrentHashMap.newKeySet();

    /**
     * @param ledger        the task ledger
     * @param client        the Kling client
     * @param kling         the configured accounts
     * @param properties    grace, recheck, batch size and permit lease
     * @param publisher     the Kafka publisher (waits for acks)
     * @param queryExecutor runs the queries; its size bounds their concurrency
     * @param meterRegistry the meter registry
     * @param clock         the time source
     */
    public TaskPoller(TaskLedger ledger, KlingClient client, KlingProperties kling, PollerProperties properties,
            EventPublisher publisher, ExecutorService queryExecutor, MeterRegistry meterRegistry, Clock clock) {
        this(ledger, client, kling, properties, publisher, queryExecutor, meterRegistry, clock,
                RequestTraces.untraced());
    }

    /**
     * @param ledger        the task ledger
     * @param client        the Kling client
     * @param kling         the configured accounts
     * @param properties    grace, recheck, batch size and permit lease
     * @param publisher     the Kafka publisher (waits for acks)
     * @param queryExecutor runs the queries; its size bounds their concurrency
     * @param meterRegistry the meter registry
     * @param clock         the time source
     * @param traces        continues the request's trace (stored with its task) in each poll's span
     */
    public TaskPoller(TaskLedger ledger, KlingClient client, KlingProperties kling, PollerProperties properties,
            EventPublisher publisher, ExecutorService queryExecutor, MeterRegistry meterRegistry, Clock clock,
            RequestTraces traces) {
        this.traces = traces;
        this.ledger = ledger;
        this.client = client;
        this.kling = kling;
        this.properties = properties;
        this.statusPublisher = new TaskStatusPublisher(publisher, ledger);
        this.queryExecutor = queryExecutor;
        this.meterRegistry = meterRegistry;
        this.clock = clock;
    }

    /**
     * Claims and polls the due tasks of every configured account (at most {@code batch-size} per
     * account) once and waits for all of them.
     *
     * @return the number of tasks polled
     * @throws org.springframework.dao.DataAccessException when Redis cannot list accounts or due tasks
     */
    public int sweep() {
        Instant checkpoint = clock.instant().minus(properties.grace());
        List<Callable<PollOutcome>> polls = new ArrayList<>();
        for (String accountId : ledger.accounts()) {
            Optional<KlingAccount> account = configured(accountId);
            if (account.isPresent()) {
                for (String requestId : ledger.claimForPoll(accountId, checkpoint, properties.claimLease(),
                        properties.batchSize())) {
                    polls.add(() -> poll(account.get(), requestId));
                }
            }
        }
        runAll(polls);
        return polls.size();
    }

    private Optional<KlingAccount> configured(String accountId) {
        Optional<KlingAccount> account = kling.findAccount(accountId);
        if (account.isEmpty() && reportedUnconfigured.add(accountId)) {
            log.warn("Account {} has tasks in the ledger but is not configured here (klingrelay.kling.accounts); "
                    + "its tasks are not polled by this instance", accountId);
        }
        return account;
    }

    private void runAll(List<Callable<PollOutcome>> polls) {
        if (polls.isEmpty()) {
            return;
        }
        try {
            queryExecutor.invokeAll(polls);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Polls one task; never throws.
     *
     * @param account   the account that created it
     * @param requestId the request id
     * @return what came of it
     */
    PollOutcome poll(KlingAccount account, String requestId) {
        try (RequestLogContext ignored = RequestLogContext.open(requestId, account.id(), null)) {
            return pollLogged(account, requestId);
        }
    }

    private PollOutcome pollLogged(KlingAccount account, String requestId) {
        PollOutcome outcome;
        try {
            outcome = pollRecorded(account, requestId);
        } catch (RuntimeException e) {
            log.warn("Poll of request {} (account {}) failed: {}", requestId, account.id(), e.toString());
            rescheduleQuietly(account.id(), requestId);
            outcome = PollOutcome.ERROR;
        }
        PollerMetrics.POLLS.increment(meterRegistry, outcome.tag());
        return outcome;
    }

    private PollOutcome pollRecorded(KlingAccount account, String requestId) {
        Optional<TaskRecord> record = ledger.find(account.id(), requestId);
        if (record.isEmpty() || record.get().published()) {
            // a pending entry without an open task: keep it out of the next sweeps
            reschedule(account.id(), requestId);
            return PollOutcome.SKIPPED;
        }
        try (RequestLogContext ignored = RequestLogContext.open(null, null, record.get().taskId())) {
            return traces.continueTrace(POLL_SPAN, requestId,
                    ledger.traceparent(account.id(), requestId).orElse(null), () -> query(account, record.get()));
        }
    }

    private PollOutcome query(KlingAccount account, TaskRecord record) {
        KlingTask task;
        try {
            task = client.queryByTaskId(account, record.product(), record.taskId()).withUsableResult();
        } catch (TaskNotFoundException e) {
            if (isLost(record)) {
                log.warn("Kling does not know task_id {} of request {} (account {}) submitted at {}; ending it as failed",
                        record.taskId(), record.requestId(), record.accountId(), record.submittedAt());
                return terminal(record, lostTask(record, e), TaskStatus.FAILED);
            }
            log.info("Kling does not know task_id {} of request {} (account {}) yet; polled again later",
                    record.taskId(), record.requestId(), record.accountId());
            reschedule(record.accountId(), record.requestId());
            return PollOutcome.KLING_ERROR;
        } catch (KlingRelayException e) {
            log.warn("Query of task_id {} (request {}, account {}) failed, polled again later: {}", record.taskId(),
                    record.requestId(), record.accountId(), e.getMessage());
            reschedule(record.accountId(), record.requestId());
            return PollOutcome.KLING_ERROR;
        }
        TaskStatus status = task.status();
        return status.isTerminal() ? terminal(record, task, status) : running(record, task, status);
    }

    private boolean isLost(TaskRecord record) {
        return record.submittedAt().plus(properties.lostTaskGrace()).isBefore(clock.instant());
    }

    private KlingTask lostTask(TaskRecord record, TaskNotFoundException e) {
        long now = clock.millis();
        return new KlingTask(record.taskId(), TaskStatus.FAILED.wireName(),
                "task not found on Kling (kling code " + e.klingCode() + ", HTTP " + e.httpStatus() + ")",
                null, null, record.submittedAt().toEpochMilli(), now);
    }

    private PollOutcome terminal(TaskRecord record, KlingTask task, TaskStatus status) {
        Proposal proposal = propose(record, task, status);
        return switch (proposal) {
            case WON -> publishTerminal(record, task, status);
            case DUPLICATE -> PollOutcome.DUPLICATE;
            case UNKNOWN -> PollOutcome.SKIPPED;
            case MISMATCH -> mismatch(record, task);
            case IN_FLIGHT, UPDATED -> {
                reschedule(record.accountId(), record.requestId());
                yield PollOutcome.IN_FLIGHT;
            }
        };
    }

    private PollOutcome running(TaskRecord record, KlingTask task, TaskStatus status) {
        Proposal proposal = propose(record, task, status);
        PollOutcome outcome = switch (proposal) {
            case UPDATED -> publishStatus(record, task, status);
            case MISMATCH -> mismatch(record, task);
            default -> PollOutcome.RUNNING;
        };
        ledger.renewPermit(record.accountId(), record.requestId(), clock.instant().plus(properties.permitLease()));
        reschedule(record.accountId(), record.requestId());
        return outcome;
    }

    private Proposal propose(TaskRecord record, KlingTask task, TaskStatus status) {
        return ledger.propose(record.accountId(), record.requestId(), task.taskId(), status, CLAIMANT);
    }

    private PollOutcome mismatch(TaskRecord record, KlingTask task) {
        log.warn("Kling answered task_id {} for the recorded task_id {} of request {} (account {}); ignored",
                task.taskId(), record.taskId(), record.requestId(), record.accountId());
        reschedule(record.accountId(), record.requestId());
        return PollOutcome.MISMATCH;
    }

    private PollOutcome publishStatus(TaskRecord record, KlingTask task, TaskStatus status) {
        try {
            statusPublisher.publishStatus(record.accountId(), record.requestId(), task, status, StatusSource.POLLER,
                    clock.instant());
        } catch (PublishException e) {
            log.warn("Status {} of request {} (task_id {}) not acknowledged by Kafka; released for the next poll: {}",
                    status.wireName(), record.requestId(), task.taskId(), e.getMessage());
            return PollOutcome.KAFKA_ERROR;
        }
        return PollOutcome.STATUS_PUBLISHED;
    }

    private PollOutcome publishTerminal(TaskRecord record, KlingTask task, TaskStatus status) {
        try {
            statusPublisher.publishTerminal(record.accountId(), record.requestId(), task, status, record,
                    StatusSource.POLLER, clock.instant());
        } catch (PublishException e) {
            log.warn("Terminal event of request {} (task_id {}) not acknowledged by Kafka; claim released, retried at "
                    + "the next poll: {}", record.requestId(), task.taskId(), e.getMessage());
            reschedule(record.accountId(), record.requestId());
            return PollOutcome.KAFKA_ERROR;
        }
        log.info("Task {} of request {} (account {}) ended {}: terminal event published by the poller",
                task.taskId(), record.requestId(), record.accountId(), status.wireName());
        return PollOutcome.COMPLETED;
    }

    /** Moves the checkpoint so the task is due again {@code recheck} from now. */
    private void reschedule(String accountId, String requestId) {
        Instant checkpoint = clock.instant().minus(properties.grace()).plus(properties.recheck());
        ledger.reschedulePoll(accountId, requestId, checkpoint);
    }

    private void rescheduleQuietly(String accountId, String requestId) {
        try {
            reschedule(accountId, requestId);
        } catch (RuntimeException e) {
            log.debug("Could not reschedule request {}: {}", requestId, e.toString());
        }
    }
}
