package io.klingrelay.archiver.queue;

import io.klingrelay.archiver.archive.ArchiveService;
import io.klingrelay.coordination.outcome.OutcomePublisher;
import io.klingrelay.coordination.trace.RequestTraces;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Archives up to {@code concurrency} queued tasks at once. One dispatcher thread takes, whenever
 * workers are free, as many tasks as there are free workers, those whose URLs expire first, in one
 * Redis round trip ({@link ArchiveQueue#take(Duration, int)}), and hands each to a virtual thread
 * ({@link QueuedTaskHandler}); when nothing is ready it waits up to
 * {@code idlePoll} or until a task is parked in this process ({@link #wake}). While the object
 * store is down it takes nothing ({@link OutagePause}). The leases of the tasks in flight are
 * renewed every third of {@code lease}; a task whose archiver died returns to the queue when its
 * lease expires. On stop, tasks in flight get {@code stopGrace} to finish; those that do not are
 * interrupted and taken again after their lease.
 */
public final class ArchiveWorkers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ArchiveWorkers.class);

    private final ArchiveQueue queue;
    private final QueuedTaskHandler handler;
    private final OutagePause pause;
    private final int concurrency;
    private final Duration lease;
    private final Duration idlePoll;
    private final Duration stopGrace;
    private final Semaphore slots;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Object wakeup = new Object();
    private volatile boolean running;
    private @Nullable Thread dispatcher;
    private @Nullable ExecutorService workers;
    private @Nullable ScheduledExecutorService renewer;

    /**
     * @param queue          the queue
     * @param archiveService archives a task
     * @param publisher      publishes its outcome
     * @param template       dead-letters a task given up on
     * @param traces         continues each task's trace
     * @param settings       concurrency, leases and back-off
     * @param clock          the clock
     * @return workers, started by the application context
     */
    public static ArchiveWorkers create(ArchiveQueue queue, ArchiveService archiveService, OutcomePublisher publisher,
            KafkaTemplate<String, Object> template, RequestTraces traces, WorkerSettings settings, Clock clock) {
        OutagePause pause = new OutagePause(settings.outageDelay(), settings.outageMaxDelay());
        QueuedTaskHandler handler = new QueuedTaskHandler(queue, archiveService, publisher, template, traces,
                new RetrySchedule(settings.downloadRetryDelay(), settings.downloadRetryMax()), pause,
                settings.giveUpAfter(), settings.outageMaxDelay(), clock);
        return new ArchiveWorkers(queue, handler, pause, settings.concurrency(), settings.lease(), settings.idlePoll(),
                settings.stopGrace());
    }

    ArchiveWorkers(ArchiveQueue queue, QueuedTaskHandler handler, OutagePause pause, int concurrency, Duration lease,
            Duration idlePoll, Duration stopGrace) {
        this.queue = queue;
        this.handler = handler;
        this.pause = pause;
        this.concurrency = concurrency;
        this.lease = lease;
        this.idlePoll = idlePoll;
        this.stopGrace = stopGrace;
        this.slots = new Semaphore(concurrency);
    }

    /** Wakes the dispatcher: a task was parked. */
    public void wake() {
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
    }

    /** @return the request ids of the tasks this process is archiving now */
    public Set<String> inFlight() {
        return Set.copyOf(inFlight);
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("archive-", 0).factory());
        renewer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("archive-lease").daemon()
                .factory());
        long every = Math.max(1, lease.toMillis() / 3);
        renewer.scheduleWithFixedDelay(this::renewLeases, every, every, TimeUnit.MILLISECONDS);
        dispatcher = Thread.ofPlatform().name("archive-dispatcher").daemon().start(this::dispatch);
        log.info("archiving up to {} tasks at once", concurrency);
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        Thread stopping = dispatcher;
        if (stopping != null) {
            stopping.interrupt();
            join(stopping);
        }
        shutDown(workers);
        if (renewer != null) {
            renewer.shutdownNow();
        }
    }

    /** @return after the Kafka listener containers (which park) start, and stopped before them */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 50;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void dispatch() {
        while (running) {
            int free;
            try {
                slots.acquire();
                free = 1 + slots.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
            int handed = takeUpTo(free);
            slots.release(free - handed);
            if (handed == 0 && !idle()) {
                return;
            }
        }
    }

    /** @return how many tasks were handed to workers (each then releases its slot) */
    private int takeUpTo(int free) {
        try {
            pause.awaitOver();
            List<QueuedTask> next = queue.take(lease, free);
            for (QueuedTask task : next) {
                inFlight.add(task.requestId());
                workers().execute(() -> run(task));
            }
            return next.size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (RuntimeException e) {
            log.warn("cannot take from the archive queue: {}", e.toString());
            return 0;
        }
    }

    private void run(QueuedTask task) {
        try {
            handler.handle(task);
        } catch (RuntimeException e) {
            log.error("request {}: archiving failed unexpectedly; taken again after its lease: {}", task.requestId(),
                    e.toString());
        } finally {
            inFlight.remove(task.requestId());
            slots.release();
            wake();
        }
    }

    /** @return false when interrupted (stopping) */
    private boolean idle() {
        if (Thread.currentThread().isInterrupted()) {
            return false;
        }
        synchronized (wakeup) {
            try {
                wakeup.wait(idlePoll.toMillis());
                return true;
            } catch (InterruptedException e) {
                return false;
            }
        }
    }

    private void renewLeases() {
        try {
            queue.renew(List.copyOf(inFlight), lease);
        } catch (RuntimeException e) {
            log.warn("cannot renew the leases of {} tasks in flight: {}", inFlight.size(), e.toString());
        }
    }

    private ExecutorService workers() {
        ExecutorService pool = workers;
        if (pool == null) {
            throw new IllegalStateException("not started");
        }
        return pool;
    }

    private void shutDown(@Nullable ExecutorService pool) {
        if (pool == null) {
            return;
        }
        pool.shutdown();
        try {
            if (!pool.awaitTermination(stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} tasks still in flight at shutdown; they are taken again after their lease", inFlight.size());
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
