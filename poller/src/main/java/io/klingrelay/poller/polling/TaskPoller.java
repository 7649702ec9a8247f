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
import io.klingrelay.coordination.task.TaskShape;
import io.klingrelay.coordination.task.TaskStatusPublisher;
import io.klingrelay.coordination.trace.RequestTraces;
import io.klingrelay.klingclient.api.KlingClient;
import io.klingrelay.klingclient.api.KlingSurface;
import io.klingrelay.klingclient.api.KlingTask;
import io.klingrelay.klingclient.api.TaskNotFoundException;
import io.klingrelay.klingclient.config.KlingAccount;
import io.klingrelay.klingclient.config.KlingProperties;
import io.klingrelay.poller.config.PollerProperties;
import io.klingrelay.poller.config.QueryProperties;
import io.klingrelay.poller.config.ScheduleProperties;
import io.klingrelay.poller.metrics.PollerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.klingrelay.common.event.Product;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fallback observer of task ends (ARCHITECTURE.md "Permits live across the asynchronous gap",
 * "Callbacks are untrusted until proven"; issue 9 "Completion at scale"). One {@link #sweep()}, for
 * every account in the ledger that is configured here, <em>claims</em> the tasks that are due
 * ({@link TaskLedger#claimForPoll}: one atomic step moves their pending scores forward by the claim
 * lease, so N poller instances share the due tasks and never query one task at the same time; a claim
 * whose poller died runs out after the lease). The pending score is the time a task is due; the
 * {@link PollSchedule} decides it:
 * <ul>
 *   <li>a task before its expected end ({@link PollSchedule#firstLook}) is only rescheduled to it, no query;</li>
 *   <li>the due tasks of one account and product are answered together ({@link BatchLookup}): legacy
 *       tasks by list pages (kling-api.md §10.4), 2026 tasks (a model outside {@code kling-v*}) by
 *       {@code GET /tasks?task_ids=} (§15); a task no batch answered gets a single query
 *       ({@code GET <product path>/{task_id}}, §10.2, or the batch query with its one id). Every Kling
 *       call first takes a token of the account's {@link QueryBudget}; a task that gets none is
 *       rescheduled after the back-off;</li>
 *   <li>terminal status: proposes it; when this poll wins, publishes {@link TaskStatusChanged} and
 *       {@link TaskCompleted} (source {@code poller}), waits for Kafka's acknowledgement, then
 *       {@link TaskLedger#markPublished marks it published} (releasing the permits), and learns the
 *       task's generation time for its shape;</li>
 *   <li>running: proposes it (publishing a status event when it is news), renews the permit lease
 *       and reschedules it after the back-off ({@link PollSchedule#nextLook});</li>
 *   <li>any error: logs a WARN without stack trace and reschedules; a sweep never crashes.</li>
 * </ul>
 * Single queries and the handling of answers run on a bounded executor; list pages run on the sweep's
 * thread. Thread-safe; sweeps are expected not to overlap (fixed delay).
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
    private final PollSchedule schedule;
    private final @Nullable BatchLookup lookup;
    private final QueryBudget budget;
    private final QueryProperties queries;

    /** A claimed task due for a query, with its shape. */
    private record Due(TaskRecord record, TaskShape shape) {

        /** @return the surface the task was created on, by its model name (kling-api.md §15) */
        KlingSurface surface() {
            return KlingSurface.ofModel(shape.modelName());
        }
    }

    /** The tasks one batch answers: one account's tasks of one product on one surface. */
    private record Group(Product product, KlingSurface surface) {
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
        this(ledger, client, kling, properties, publisher, queryExecutor, meterRegistry, clock, traces,
                defaultSchedule(properties), null, QueryBudget.UNLIMITED, QueryProperties.defaults());
    }

    /**
     * @param ledger        the task ledger
     * @param client        the Kling client (single queries)
     * @param kling         the configured accounts
     * @param properties    grace, recheck, batch size and permit lease
     * @param publisher     the Kafka publisher (waits for acks)
     * @param queryExecutor runs the queries; its size bounds their concurrency
     * @param meterRegistry the meter registry
     * @param clock         the time source
     * @param traces        continues the request's trace (stored with its task) in each poll's span
     * @param schedule      when tasks are looked at
     * @param lookup        the list-page lookup; null = single queries only
     * @param budget        the per-account query budget
     * @param queries       the budget's wait for a single query
     */
    public TaskPoller(TaskLedger ledger, KlingClient client, KlingProperties kling, PollerProperties properties,
            EventPublisher publisher, ExecutorService queryExecutor, MeterRegistry meterRegistry, Clock clock,
            RequestTraces traces, PollSchedule schedule, @Nullable BatchLookup lookup, QueryBudget budget,
            QueryProperties queries) {
        this.traces = traces;
        this.ledger = ledger;
        this.client = client;
        this.kling = kling;
        this.properties = properties;
        this.statusPublisher = new TaskStatusPublisher(publisher, ledger);
        this.queryExecutor = queryExecutor;
        this.meterRegistry = meterRegistry;
        this.clock = clock;
        this.schedule = schedule;
        this.lookup = lookup;
        this.budget = budget;
        this.queries = queries;
    }

    /**
     * @param properties grace and recheck
     * @return the schedule with the documented {@link ScheduleProperties#defaults()} and random jitter
     */
    public static PollSchedule defaultSchedule(PollerProperties properties) {
        ScheduleProperties defaults = ScheduleProperties.defaults();
        return new PollSchedule(new ExpectedDurations(defaults), defaults, properties.grace(), properties.recheck(),
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * Claims the due tasks of every configured account (at most {@code batch-size} per account), plans
     * those before their first look, answers the others with list pages and single queries, and waits
     * for all of them.
     *
     * @return the number of tasks looked at (answered by a list page or queried)
     * @throws org.springframework.dao.DataAccessException when Redis cannot list accounts or due tasks
     */
    public int sweep() {
        Instant now = clock.instant();
        List<Callable<PollOutcome>> polls = new ArrayList<>();
        for (String accountId : ledger.accounts()) {
            Optional<KlingAccount> account = configured(accountId);
            if (account.isPresent()) {
                List<String> claimed = ledger.claimForPoll(accountId, now, properties.claimLease(),
                        properties.batchSize());
                polls.addAll(lookAt(account.get(), due(account.get(), claimed, now)));
            }
        }
        runAll(polls);
        return polls.size();
    }

    /** Plans the claimed tasks not yet at their first look; returns the due ones by product and surface. */
    private Map<Group, List<Due>> due(KlingAccount account, List<String> claimed, Instant now) {
        Map<Group, List<Due>> due = new LinkedHashMap<>();
        for (String requestId : claimed) {
            try {
                plan(account, requestId, now).ifPresent(d -> due.computeIfAbsent(
                        new Group(d.record().product(), d.surface()), g -> new ArrayList<>()).add(d));
            } catch (RuntimeException e) {
                log.warn("Planning the poll of request {} (account {}) failed: {}", requestId, account.id(),
                        e.toString());
                rescheduleQuietly(account.id(), requestId);
                PollerMetrics.POLLS.increment(meterRegistry, PollOutcome.ERROR.tag());
            }
        }
        return due;
    }

    private Optional<Due> plan(KlingAccount account, String requestId, Instant now) {
        Optional<TaskRecord> record = ledger.find(account.id(), requestId);
        if (record.isEmpty() || record.get().published()) {
            // a pending entry without an open task: keep it out of the next sweeps
            reschedule(account.id(), requestId);
            PollerMetrics.POLLS.increment(meterRegistry, PollOutcome.SKIPPED.tag());
            return Optional.empty();
        }
        Due due = new Due(record.get(), shapeOf(record.get()));
        Instant firstLook = schedule.firstLook(due.record(), due.shape());
        if (firstLook.isAfter(now)) {
            ledger.reschedulePoll(account.id(), requestId, firstLook);
            return Optional.empty();
        }
        return Optional.of(due);
    }

    private TaskShape shapeOf(TaskRecord record) {
        TaskShape shape = ledger.shape(record);
        // a ledger without the shape (a mocked one in unit tests): the product alone
        return Objects.requireNonNullElse(shape, new TaskShape(record.product(), null, null, null));
    }

    /**
     * Answers each group's due tasks in batches (legacy: list pages where worth it; 2026: the batch query);
     * one poll per due task.
     */
    private List<Callable<PollOutcome>> lookAt(KlingAccount account, Map<Group, List<Due>> due) {
        List<Callable<PollOutcome>> polls = new ArrayList<>();
        due.forEach((group, tasks) -> {
            Map<String, KlingTask> answers = batch(account, group, tasks.stream().map(Due::record).toList());
            for (Due task : tasks) {
                KlingTask answer = answers.get(task.record().taskId());
                polls.add(() -> poll(account, task, answer));
            }
        });
        return polls;
    }

    private Map<String, KlingTask> batch(KlingAccount account, Group group, List<TaskRecord> records) {
        if (lookup == null) {
            return Map.of();
        }
        if (group.surface() == KlingSurface.NEW_API) {
            return lookup.answerNewApi(account, group.product(), records);
        }
        return lookup.worthListing(records) ? lookup.answer(account, group.product(), records) : Map.of();
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
     * Polls one task by a single query, whatever its schedule; never throws.
     *
     * @param account   the account that created it
     * @param requestId the request id
     * @return what came of it
     */
    PollOutcome poll(KlingAccount account, String requestId) {
        try (RequestLogContext ignored = RequestLogContext.open(requestId, account.id(), null)) {
            Optional<TaskRecord> record = ledger.find(account.id(), requestId);
            if (record.isEmpty() || record.get().published()) {
                reschedule(account.id(), requestId);
                PollerMetrics.POLLS.increment(meterRegistry, PollOutcome.SKIPPED.tag());
                return PollOutcome.SKIPPED;
            }
            return poll(account, new Due(record.get(), shapeOf(record.get())), null);
        } catch (RuntimeException e) {
            log.warn("Poll of request {} (account {}) failed: {}", requestId, account.id(), e.toString());
            rescheduleQuietly(account.id(), requestId);
            PollerMetrics.POLLS.increment(meterRegistry, PollOutcome.ERROR.tag());
            return PollOutcome.ERROR;
        }
    }

    /** Settles one due task with a list page's answer, or a single query when there is none; never throws. */
    private PollOutcome poll(KlingAccount account, Due due, @Nullable KlingTask answer) {
        TaskRecord record = due.record();
        PollOutcome outcome;
        try (RequestLogContext ignored = RequestLogContext.open(record.requestId(), account.id(), record.taskId())) {
            outcome = traces.continueTrace(POLL_SPAN, record.requestId(),
                    ledger.traceparent(account.id(), record.requestId()).orElse(null),
                    () -> answer != null ? observed(due, answer) : query(account, due));
        } catch (RuntimeException e) {
            log.warn("Poll of request {} (account {}) failed: {}", record.requestId(), account.id(), e.toString());
            rescheduleQuietly(due);
            outcome = PollOutcome.ERROR;
        }
        PollerMetrics.POLLS.increment(meterRegistry, outcome.tag());
        return outcome;
    }

    private PollOutcome query(KlingAccount account, Due due) {
        TaskRecord record = due.record();
        if (!budget.acquire(account.id(), queries.rateWait())) {
            log.debug("No query token of account {} within {}; request {} rescheduled", account.id(),
                    queries.rateWait(), record.requestId());
            reschedule(due);
            return PollOutcome.RATE_LIMITED;
        }
        KlingTask task;
        try {
            task = single(account, due);
        } catch (TaskNotFoundException e) {
            if (isLost(record)) {
                log.warn("Kling does not know task_id {} of request {} (account {}) submitted at {}; ending it as failed",
                        record.taskId(), record.requestId(), record.accountId(), record.submittedAt());
                return terminal(due, lostTask(record, e), TaskStatus.FAILED);
            }
            log.info("Kling does not know task_id {} of request {} (account {}) yet; polled again later",
                    record.taskId(), record.requestId(), record.accountId());
            reschedule(due);
            return PollOutcome.KLING_ERROR;
        } catch (KlingRelayException e) {
            log.warn("Query of task_id {} (request {}, account {}) failed, polled again later: {}", record.taskId(),
                    record.requestId(), record.accountId(), e.getMessage());
            reschedule(due);
            return PollOutcome.KLING_ERROR;
        }
        return observed(due, task);
    }

    /**
     * One task's own query: legacy {@code GET <path>/{task_id}} (§10.2); a 2026 task the batch query with
     * its one id (§15), whose answer without it reads as Kling's "no such task".
     */
    private KlingTask single(KlingAccount account, Due due) {
        TaskRecord record = due.record();
        if (due.surface() == KlingSurface.LEGACY || lookup == null) {
            return client.queryByTaskId(account, record.product(), record.taskId());
        }
        return lookup.findNewApi(account, record.product(), record.taskId())
                .orElseThrow(() -> new TaskNotFoundException("2026 batch query: Kling's answer holds no task "
                        + record.taskId(), null, 200, record.taskId()));
    }

    /** Acts on Kling's answer about a task (from a list page or a single query). */
    private PollOutcome observed(Due due, KlingTask answer) {
        KlingTask task = answer.withUsableResult();
        TaskStatus status = task.status();
        if (status.isTerminal()) {
            learn(due, answer);
            return terminal(due, task, status);
        }
        return running(due, task, status);
    }

    private void learn(Due due, KlingTask task) {
        if (task.createdAt() != null && task.updatedAt() != null) {
            schedule.durations().learn(due.shape(), Duration.ofMillis(task.updatedAt() - task.createdAt()));
        }
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

    private PollOutcome terminal(Due due, KlingTask task, TaskStatus status) {
        TaskRecord record = due.record();
        Proposal proposal = propose(record, task, status);
        return switch (proposal) {
            case WON -> publishTerminal(due, task, status);
            case DUPLICATE -> PollOutcome.DUPLICATE;
            case UNKNOWN -> PollOutcome.SKIPPED;
            case MISMATCH -> mismatch(due, task);
            case IN_FLIGHT, UPDATED -> {
                reschedule(due);
                yield PollOutcome.IN_FLIGHT;
            }
        };
    }

    private PollOutcome running(Due due, KlingTask task, TaskStatus status) {
        TaskRecord record = due.record();
        Proposal proposal = propose(record, task, status);
        PollOutcome outcome = switch (proposal) {
            case UPDATED -> publishStatus(record, task, status);
            case MISMATCH -> mismatch(due, task);
            default -> PollOutcome.RUNNING;
        };
        ledger.renewPermit(record.accountId(), record.requestId(), clock.instant().plus(properties.permitLease()));
        reschedule(due);
        return outcome;
    }

    private Proposal propose(TaskRecord record, KlingTask task, TaskStatus status) {
        return ledger.propose(record.accountId(), record.requestId(), task.taskId(), status, CLAIMANT);
    }

    private PollOutcome mismatch(Due due, KlingTask task) {
        TaskRecord record = due.record();
        log.warn("Kling answered task_id {} for the recorded task_id {} of request {} (account {}); ignored",
                task.taskId(), record.taskId(), record.requestId(), record.accountId());
        reschedule(due);
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

    private PollOutcome publishTerminal(Due due, KlingTask task, TaskStatus status) {
        TaskRecord record = due.record();
        try {
            statusPublisher.publishTerminal(record.accountId(), record.requestId(), task, status, record,
                    StatusSource.POLLER, clock.instant());
        } catch (PublishException e) {
            log.warn("Terminal event of request {} (task_id {}) not acknowledged by Kafka; claim released, retried at "
                    + "the next poll: {}", record.requestId(), task.taskId(), e.getMessage());
            reschedule(due);
            return PollOutcome.KAFKA_ERROR;
        }
        log.info("Task {} of request {} (account {}) ended {}: terminal event published by the poller",
                task.taskId(), record.requestId(), record.accountId(), status.wireName());
        return PollOutcome.COMPLETED;
    }

    /** Makes a task due again after the back-off of its schedule. */
    private void reschedule(Due due) {
        Instant now = clock.instant();
        ledger.reschedulePoll(due.record().accountId(), due.record().requestId(),
                schedule.nextLook(due.record(), due.shape(), now));
    }

    /** Makes a task whose record is unknown due again {@code recheck} from now. */
    private void reschedule(String accountId, String requestId) {
        ledger.reschedulePoll(accountId, requestId, clock.instant().plus(properties.recheck()));
    }

    private void rescheduleQuietly(Due due) {
        try {
            reschedule(due);
        } catch (RuntimeException e) {
            log.debug("Could not reschedule request {}: {}", due.record().requestId(), e.toString());
        }
    }

    private void rescheduleQuietly(String accountId, String requestId) {
        try {
            reschedule(accountId, requestId);
        } catch (RuntimeException e) {
            log.debug("Could not reschedule request {}: {}", requestId, e.toString());
        }
    }
}
