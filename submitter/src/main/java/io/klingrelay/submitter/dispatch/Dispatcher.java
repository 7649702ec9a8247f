package io.klingrelay.submitter.dispatch;

import io.klingrelay.coordination.admission.AccountAdmission;
import io.klingrelay.coordination.dispatch.RequestQueue;
import io.klingrelay.coordination.dispatch.TakeResult;
import io.klingrelay.coordination.outcome.OutboxSweeper;
import io.klingrelay.coordination.trace.RequestTraces;
import io.klingrelay.klingclient.config.KlingAccount;
import io.klingrelay.klingclient.config.KlingProperties;
import io.klingrelay.submitter.config.SubmitterProperties;
import io.klingrelay.submitter.metrics.SubmitterMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The dispatcher of one submitter instance (ARCHITECTURE.md "No head-of-line blocking"). One loop
 * thread serves the configured accounts round-robin, taking at most one request per account per
 * round, so a saturated or deep account never delays another; each taken request (which already
 * holds its permits) is handed to a virtual thread running {@link TaskDispatch}. The loop sleeps
 * until it is woken — by a permit release published on the Redis wake-up channel, by a newly
 * parked request, or by a finished dispatch — or until the next safety-net sweep
 * ({@link SubmitterProperties#sweepInterval()}), which returns due retries, recovers expired
 * dispatch leases, reconciles expired permit leases against Kling ({@link PermitReconciler}) and
 * refreshes the account gauges, and publishes claimed outcomes left unpublished ({@link OutboxSweeper}). A paused account is skipped (its requests stay queued). At most
 * {@link SubmitterProperties#maxInFlight()} create calls run at once.
 */
public final class Dispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final int SWEEP_BATCH = 500;
    /** The span of one request's dispatch: the Kling create (or lookup), the task record, {@code tasks.submitted}. */
    static final String DISPATCH_SPAN = "klingrelay.dispatch";

    private final RequestQueue queue;
    private final AccountAdmission admission;
    private final OutboxSweeper outbox;
    private final List<KlingAccount> accounts;
    private final TaskDispatch taskDispatch;
    private final PermitReconciler reconciler;
    private final SubmitterMetrics metrics;
    private final SubmitterProperties properties;
    private final Semaphore inFlight;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();
    private boolean wakeRequested;
    private volatile boolean running;
    private ExecutorService workers;
    private Thread loop;
    private int startIndex;
    /** {@link System#nanoTime()} when the next sweep is due; read and written by the loop thread only. */
    private long nextSweep;
    private final RequestTraces traces;

    /**
     * @param queue        the per-account queues
     * @param admission    the accounts' limits and state
     * @param outbox       publishes outcomes whose claimant died before Kafka acknowledged them
     * @param kling        the configured accounts (served in this order, rotating)
     * @param taskDispatch the per-request work
     * @param reconciler   reconciles expired permit leases against Kling
     * @param metrics      the metrics catalogue (account gauges are refreshed by the sweep)
     * @param properties   submitter settings
     * @param traces       continues each request's trace (parked with it) in its dispatch span
     */
    public Dispatcher(RequestQueue queue, AccountAdmission admission, OutboxSweeper outbox, KlingProperties kling,
            TaskDispatch taskDispatch, PermitReconciler reconciler, SubmitterMetrics metrics,
            SubmitterProperties properties, RequestTraces traces) {
        this.traces = traces;
        this.queue = queue;
        this.admission = admission;
        this.outbox = outbox;
        this.accounts = kling.accounts();
        this.taskDispatch = taskDispatch;
        this.reconciler = reconciler;
        this.metrics = metrics;
        this.properties = properties;
        this.inFlight = new Semaphore(properties.maxInFlight());
    }

    /** Wakes the loop: something may be dispatchable now. Cheap; callable from any thread. */
    public void wake() {
        lock.lock();
        try {
            wakeRequested = true;
            woken.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void start() {
        accounts.forEach(account -> admission.setConfiguredLimit(account.id(), account.concurrencyLimit()));
        workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("dispatch-", 0).factory());
        running = true;
        loop = Thread.ofPlatform().name("dispatcher").daemon(true).start(this::run);
        log.info("dispatcher started for accounts {}", accounts.stream().map(KlingAccount::id).toList());
    }

    @Override
    public void stop() {
        running = false;
        wake();
        try {
            loop.join(Duration.ofSeconds(10));
            workers.shutdown();
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("dispatches still running at shutdown; their leases will expire and be recovered");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        nextSweep = System.nanoTime();
        while (running) {
            try {
                if (sweepDue()) {
                    sweep();
                    nextSweep = System.nanoTime() + properties.sweepInterval().toNanos();
                }
                if (!dispatchRounds()) {
                    awaitWake(Math.max(0, nextSweep - System.nanoTime()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("dispatch cycle failed, retrying after the sweep interval: {}", e.toString());
                awaitWakeQuietly(properties.sweepInterval());
            }
        }
    }

    private void sweep() {
        for (KlingAccount account : accounts) {
            RequestQueue.SweepResult result = queue.sweep(account.id(), SWEEP_BATCH);
            if (result.recovered() > 0) {
                log.warn("recovered {} expired dispatch lease(s) of account {}", result.recovered(), account.id());
            }
            reconciler.reconcile(account);
            metrics.refresh(admission.state(account.id()));
        }
        outbox.sweep(accounts.stream().map(KlingAccount::id).toList());
    }

    private boolean sweepDue() {
        return System.nanoTime() - nextSweep >= 0;
    }

    /**
     * Takes round after round while anything is taken, but no longer than until the next sweep is due:
     * a deep backlog under a high limit would otherwise keep the loop here and starve the sweep (due
     * retries, expired leases, permit reconciliation, the outbox and the account gauges).
     *
     * @return whether anything was taken (the caller loops again instead of sleeping)
     */
    private boolean dispatchRounds() throws InterruptedException {
        boolean anyTaken = false;
        boolean progress = true;
        while (progress && running && !sweepDue()) {
            progress = false;
            int size = accounts.size();
            for (int i = 0; i < size; i++) {
                KlingAccount account = accounts.get((startIndex + i) % size);
                progress |= takeOne(account);
            }
            startIndex = size == 0 ? 0 : (startIndex + 1) % size;
            anyTaken |= progress;
        }
        return anyTaken;
    }

    private boolean takeOne(KlingAccount account) throws InterruptedException {
        inFlight.acquire();
        TakeResult result;
        try {
            result = queue.take(account.id(), account.concurrencyLimit(),
                    new RequestQueue.Leases(properties.permitLease(), properties.dispatchLease()));
        } catch (RuntimeException e) {
            inFlight.release();
            throw e;
        }
        if (result instanceof TakeResult.Taken taken) {
            workers.submit(() -> runDispatch(account, taken));
            return true;
        }
        inFlight.release();
        return false;
    }

    /** The trace context the request was parked with; a dispatch goes on untraced when Redis cannot tell. */
    private @Nullable String parkedTraceparent(TakeResult.Taken taken) {
        try {
            return queue.traceparent(taken.accountId(), taken.requestId()).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void runDispatch(KlingAccount account, TakeResult.Taken taken) {
        try {
            traces.continueTrace(DISPATCH_SPAN, taken.requestId(), parkedTraceparent(taken),
                    () -> taskDispatch.dispatch(account, taken));
        } catch (RuntimeException e) {
            log.error("dispatch of request {} failed unexpectedly; its lease will expire and it will be recovered",
                    taken.requestId(), e);
        } finally {
            inFlight.release();
            wake();
        }
    }

    private void awaitWake(long nanos) throws InterruptedException {
        lock.lock();
        try {
            long remaining = nanos;
            while (!wakeRequested && running && remaining > 0) {
                remaining = woken.awaitNanos(remaining);
            }
            wakeRequested = false;
        } finally {
            lock.unlock();
        }
    }

    private void awaitWakeQuietly(Duration duration) {
        try {
            awaitWake(duration.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
