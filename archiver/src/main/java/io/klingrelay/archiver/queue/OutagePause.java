package io.klingrelay.archiver.queue;

import java.time.Duration;

/**
 * Stops taking tasks while the object store is down: every task would fail the same way, so the
 * workers wait instead of cycling the backlog, and when the store is back they start again with
 * the task that expires first. Each failure while paused doubles the pause from
 * {@code initialDelay} up to {@code maxDelay}; a success ends it.
 */
final class OutagePause {

    private final Duration initialDelay;
    private final Duration maxDelay;
    private int failures;
    private long until = System.nanoTime();

    /**
     * @param initialDelay the first pause
     * @param maxDelay     the longest pause
     */
    OutagePause(Duration initialDelay, Duration maxDelay) {
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
    }

    /** @return the pause now started (or extended) after one more failure */
    synchronized Duration failed() {
        long factor = 1L << Math.min(failures, 30);
        Duration delay = initialDelay.multipliedBy(factor);
        delay = delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
        failures++;
        until = Math.max(until, System.nanoTime() + delay.toNanos());
        return delay;
    }

    /**
     * @return whether the store failed last time: the next task looks its assets up in the store
     *         before downloading them, which probes the store without fetching a whole asset
     */
    synchronized boolean probing() {
        return failures > 0;
    }

    /** The store answered: no pause. */
    synchronized void recovered() {
        failures = 0;
        until = System.nanoTime();
        notifyAll();
    }

    /** @throws InterruptedException when interrupted while paused */
    synchronized void awaitOver() throws InterruptedException {
        for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
