package io.klingrelay.deploy.harness;

import io.klingrelay.deploy.stack.LocalStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a random running submitter with SIGKILL at random moments (every {@code minGap} to
 * {@code maxGap}) and restarts it in the background, always leaving at least one instance up.
 * Seeded, so a failing run can be replayed with the same choices (the timing still varies).
 */
public final class SubmitterChaos implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SubmitterChaos.class);

    private final LocalStack stack;
    private final Random random;
    private final Duration minGap;
    private final Duration maxGap;
    private final ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon(true).name("chaos-killer").factory());
    private final ExecutorService restarter = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon(true).name("chaos-restart-", 0).factory());
    private final Set<Integer> restarting = ConcurrentHashMap.newKeySet();
    private final AtomicInteger kills = new AtomicInteger();
    private final List<Throwable> restartFailures = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Guards {@link #running}: a kill and its restart hand-over never interleave with {@link #close}. */
    private final Object lock = new Object();
    private boolean running = true;

    private SubmitterChaos(LocalStack stack, long seed, Duration minGap, Duration maxGap) {
        this.stack = stack;
        this.random = new Random(seed);
        this.minGap = minGap;
        this.maxGap = maxGap;
    }

    /**
     * @param stack  a stack with several submitter instances
     * @param seed   the random seed (which instance, how long to wait)
     * @param minGap shortest wait between two kills
     * @param maxGap longest wait between two kills
     * @return the running chaos; close it to stop killing and wait for the restarts
     */
    public static SubmitterChaos start(LocalStack stack, long seed, Duration minGap, Duration maxGap) {
        SubmitterChaos chaos = new SubmitterChaos(stack, seed, minGap, maxGap);
        chaos.scheduleNextKill();
        return chaos;
    }

    private void scheduleNextKill() {
        long gapMs = minGap.toMillis() + (long) (random.nextDouble() * (maxGap.toMillis() - minGap.toMillis()));
        killer.schedule(this::killOne, gapMs, TimeUnit.MILLISECONDS);
    }

    private void killOne() {
        synchronized (lock) {
            if (!running) {
                return;
            }
            List<Integer> up = runningInstances();
            if (up.size() > 1) {
                int victim = up.get(random.nextInt(up.size()));
                restarting.add(victim);
                stack.killSubmitter(victim);
                kills.incrementAndGet();
                restarter.submit(() -> restart(victim));
            }
            scheduleNextKill();
        }
    }

    private List<Integer> runningInstances() {
        List<Integer> up = new ArrayList<>();
        for (int instance = 1; instance <= stack.submitterInstances(); instance++) {
            if (!restarting.contains(instance) && stack.isSubmitterAlive(instance)) {
                up.add(instance);
            }
        }
        return up;
    }

    private void restart(int instance) {
        try {
            stack.restartSubmitter(instance);
        } catch (RuntimeException e) {
            log.warn("restart of submitter {} failed: {}", instance, e.toString());
            restartFailures.add(e);
        } finally {
            restarting.remove(instance);
        }
    }

    /** @return how many submitters were killed so far */
    public int kills() {
        return kills.get();
    }

    /** @return restarts that failed (a test asserts there were none) */
    public List<Throwable> restartFailures() {
        return List.copyOf(restartFailures);
    }

    /**
     * Stops killing, waits (up to 5 min) until every restart finished, then checks that every
     * instance is up again; one that is not is restarted here and counted in
     * {@link #restartFailures()}. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lock) {
            // a kill in progress holds the lock until its restart is handed to the restarter
            running = false;
        }
        killer.shutdownNow();
        restarter.shutdown();
        try {
            if (!restarter.awaitTermination(5, TimeUnit.MINUTES)) {
                log.warn("submitter restarts still running after 5 min");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        for (int instance = 1; instance <= stack.submitterInstances(); instance++) {
            if (!stack.isSubmitterAlive(instance)) {
                IllegalStateException down = new IllegalStateException("submitter " + instance
                        + " was still down after the chaos stopped");
                log.warn("{}; restarting it", down.getMessage());
                restartFailures.add(down);
                restart(instance);
            }
        }
    }
}
