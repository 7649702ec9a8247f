package io.klingrelay.archiver.queue;

import java.time.Duration;

/**
 * How the {@link ArchiveWorkers} run (from {@code klingrelay.archiver.*}).
 *
 * @param concurrency         tasks archived at once
 * @param lease               how long a taken task stays leased without renewal
 * @param idlePoll            how long the dispatcher waits when nothing is ready
 * @param stopGrace           how long tasks in flight may finish at shutdown
 * @param downloadRetryDelay  the first delay before a task whose download failed is tried again
 * @param downloadRetryMax    the longest such delay (bounded by the URL's expiry anyway)
 * @param outageDelay         the first pause while the object store is down
 * @param outageMaxDelay      the longest such pause
 * @param giveUpAfter         how long after its first failure an object-store outage fails a task
 */
public record WorkerSettings(int concurrency, Duration lease, Duration idlePoll, Duration stopGrace,
        Duration downloadRetryDelay, Duration downloadRetryMax, Duration outageDelay, Duration outageMaxDelay,
        Duration giveUpAfter) {
}
