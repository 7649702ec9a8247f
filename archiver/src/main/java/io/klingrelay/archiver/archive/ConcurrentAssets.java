package io.klingrelay.archiver.archive;

import io.klingrelay.common.error.KlingRelayException;
import io.klingrelay.common.error.TransientException;
import io.klingrelay.common.event.ArchivedAsset;
import io.klingrelay.common.event.TaskAsset;
import io.klingrelay.common.event.TaskCompleted;
import io.klingrelay.coordination.logging.RequestLogContext;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Archives the assets of one task a bounded number at a time, each on a virtual thread that
 * carries the caller's trace (Micrometer context propagation, so each upload's span stays in the
 * request's trace) and the request's log context. Waits for every asset, then returns them in the
 * task's order, or throws the failure that decides the task: a permanent one wins over a
 * {@link RedeliverLaterException}, which wins over anything else.
 */
final class ConcurrentAssets {

    private static final ContextSnapshotFactory SNAPSHOTS = ContextSnapshotFactory.builder().build();

    private ConcurrentAssets() {
    }

    /**
     * @param task        the task
     * @param concurrency assets in flight at most
     * @param archiveOne  archives one asset (with its own retry budget)
     * @return the archived assets, in the task's order
     * @throws KlingRelayException the deciding failure, when any asset failed
     */
    static List<ArchivedAsset> archive(TaskCompleted task, int concurrency,
            Function<TaskAsset, ArchivedAsset> archiveOne) {
        Semaphore permits = new Semaphore(concurrency);
        ContextSnapshot context = SNAPSHOTS.captureAll();
        List<Future<ArchivedAsset>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (TaskAsset asset : task.assets()) {
                futures.add(threads.submit(context.wrap(() -> bounded(permits, task, asset, archiveOne))));
            }
        } // waits for every asset
        return collect(futures);
    }

    private static ArchivedAsset bounded(Semaphore permits, TaskCompleted task, TaskAsset asset,
            Function<TaskAsset, ArchivedAsset> archiveOne) throws InterruptedException {
        permits.acquire();
        try (RequestLogContext ignored = RequestLogContext.open(task.requestId(), task.accountId(), task.taskId())) {
            return archiveOne.apply(asset);
        } finally {
            permits.release();
        }
    }

    private static List<ArchivedAsset> collect(List<Future<ArchivedAsset>> futures) {
        List<ArchivedAsset> archived = new ArrayList<>();
        RuntimeException deciding = null;
        for (Future<ArchivedAsset> future : futures) {
            try {
                archived.add(future.get());
            } catch (ExecutionException e) {
                deciding = moreDeciding(deciding, asRuntime(e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransientException("interrupted while archiving", e);
            }
        }
        if (deciding != null) {
            throw deciding;
        }
        return archived;
    }

    private static RuntimeException moreDeciding(@Nullable RuntimeException current, RuntimeException next) {
        return current == null || rank(next) > rank(current) ? next : current;
    }

    private static int rank(RuntimeException failure) {
        if (failure instanceof RedeliverLaterException) {
            return 1;
        }
        return failure instanceof KlingRelayException ? 2 : 0;
    }

    private static RuntimeException asRuntime(@Nullable Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        return new TransientException("unexpected " + (cause == null ? "error" : cause.getClass().getSimpleName()),
                cause);
    }
}
