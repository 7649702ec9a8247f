package io.klingrelay.archiver.archive;

import io.klingrelay.archiver.download.AssetDownload;
import io.klingrelay.archiver.download.AssetDownloader;
import io.klingrelay.common.error.KlingRelayException;
import io.klingrelay.common.error.TransientException;
import io.klingrelay.common.event.ArchivedAsset;
import io.klingrelay.common.event.AssetsArchived;
import io.klingrelay.common.event.FailureStage;
import io.klingrelay.common.event.KlingRelayEvent;
import io.klingrelay.common.event.RequestFailed;
import io.klingrelay.common.event.TaskAsset;
import io.klingrelay.common.event.TaskCompleted;
import io.klingrelay.common.event.TaskStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

/**
 * Decides a completed task's one terminal event: {@code failed} tasks end with
 * {@link RequestFailed} (stage {@code generation}); {@code succeed} tasks have every asset
 * archived, in Kling's order, and end with {@link AssetsArchived}, or with {@link RequestFailed}
 * (stage {@code archive}) at the first asset that cannot be archived.
 *
 * <p>Each asset is archived under a retry budget (Spring Framework 7's {@link RetryTemplate},
 * which ships with Spring itself, so no extra library; {@link FullJitterBackOff} gives the
 * full jitter): transient errors (5xx, timeouts, connection errors, S3 down) are retried,
 * permanent ones (expired URL, refused host, size cap) end the request at once. Assets found
 * already archived are not downloaded again. An object store that is still down when the budget
 * is spent ends nothing: {@link ObjectStoreUnavailableException} goes back to the listener
 * container, which redelivers the task until the store is back.
 */
public final class ArchiveService {

    private static final Logger log = LoggerFactory.getLogger(ArchiveService.class);

    private final AssetDownloader downloader;
    private final AssetStore store;
    private final FullJitterBackOff backOff;
    private final Duration presignedUrlExpiry;
    private final MeterRegistry meters;
    private final Clock clock;

    /**
     * @param downloader         the SSRF-safe downloader
     * @param store              the object store
     * @param backOff            the retry budget per asset
     * @param presignedUrlExpiry how long the presigned GET URLs work
     * @param meters             the meter registry (used through {@link ArchiverMetrics})
     * @param clock              the clock for event times
     */
    public ArchiveService(AssetDownloader downloader, AssetStore store, FullJitterBackOff backOff,
            Duration presignedUrlExpiry, MeterRegistry meters, Clock clock) {
        this.downloader = downloader;
        this.store = store;
        this.backOff = backOff;
        this.presignedUrlExpiry = presignedUrlExpiry;
        this.meters = meters;
        this.clock = clock;
    }

    /**
     * @param task a completed task
     * @return {@link AssetsArchived} or {@link RequestFailed}
     * @throws ObjectStoreUnavailableException when the object store stayed unavailable for the
     *         whole per-asset retry budget: not the request's fault, so no outcome is decided and
     *         the caller must redeliver the task later (assets already stored are then skipped)
     */
    public KlingRelayEvent outcomeOf(TaskCompleted task) {
        if (task.taskStatus() == TaskStatus.FAILED) {
            return generationFailed(task);
        }
        if (task.assets().isEmpty()) {
            return archiveFailed(task, "Kling reported succeed without any asset");
        }
        return archive(task);
    }

    private RequestFailed generationFailed(TaskCompleted task) {
        String message = task.taskStatusMsg();
        log.info("request {} task_id {} failed on Kling: {}", task.requestId(), task.taskId(), message);
        return new RequestFailed(KlingRelayEvent.CURRENT_SCHEMA_VERSION, null, task.requestId(), task.accountId(),
                task.campaignId(), FailureStage.GENERATION, "Kling task failed: " + message, null,
                message.isBlank() ? null : message, task.taskId(), clock.instant());
    }

    private KlingRelayEvent archive(TaskCompleted task) {
        long started = System.nanoTime();
        List<ArchivedAsset> archived = new ArrayList<>();
        for (TaskAsset asset : task.assets()) {
            try {
                archived.add(archiveWithRetry(task, asset));
            } catch (ObjectStoreUnavailableException e) {
                log.warn("request {} task_id {}: object store unavailable, the task is redelivered later: {}",
                        task.requestId(), task.taskId(), e.getMessage());
                throw e;
            } catch (KlingRelayException e) {
                ArchiverMetrics.countAsset(meters, ArchiverMetrics.FAILED);
                ArchiverMetrics.recordDuration(meters, ArchiverMetrics.FAILED, Duration.ofNanos(System.nanoTime() - started));
                log.error("request {} task_id {}: archiving failed: {}", task.requestId(), task.taskId(), e.getMessage());
                return archiveFailed(task, e.getMessage());
            }
        }
        ArchiverMetrics.recordDuration(meters, ArchiverMetrics.ARCHIVED, Duration.ofNanos(System.nanoTime() - started));
        log.info("request {} task_id {}: {} assets archived", task.requestId(), task.taskId(), archived.size());
        return new AssetsArchived(KlingRelayEvent.CURRENT_SCHEMA_VERSION, null, task.requestId(), task.accountId(),
                task.campaignId(), task.product(), task.taskId(), archived, clock.instant());
    }

    private RequestFailed archiveFailed(TaskCompleted task, String reason) {
        return new RequestFailed(KlingRelayEvent.CURRENT_SCHEMA_VERSION, null, task.requestId(), task.accountId(),
                task.campaignId(), FailureStage.ARCHIVE, reason, null, null, task.taskId(), clock.instant());
    }

    private ArchivedAsset archiveWithRetry(TaskCompleted task, TaskAsset asset) {
        AtomicInteger attempt = new AtomicInteger();
        RetryTemplate retry = new RetryTemplate(RetryPolicy.builder().backOff(backOff)
                .includes(TransientException.class).build());
        try {
            return retry.execute(() -> attempt(task, asset, attempt.incrementAndGet()));
        } catch (RetryException e) {
            throw giveUp(e.getLastException(), attempt.get());
        }
    }

    private static KlingRelayException giveUp(Throwable last, int attempts) {
        if (last instanceof ObjectStoreUnavailableException storeDown) {
            return new ObjectStoreUnavailableException(storeDown.getMessage() + "; still failing after " + attempts
                    + " attempts", storeDown);
        }
        if (last instanceof TransientException transientFailure) {
            return new TransientException(transientFailure.getMessage() + "; gave up after " + attempts + " attempts",
                    transientFailure);
        }
        if (last instanceof KlingRelayException failure) {
            return failure;
        }
        return new TransientException("unexpected " + last.getClass().getSimpleName() + "; gave up after " + attempts
                + " attempts", last);
    }

    private ArchivedAsset attempt(TaskCompleted task, TaskAsset asset, int attempt) {
        try {
            return archiveOnce(task, asset);
        } catch (TransientException e) {
            log.warn("request {} task_id {}: attempt {}/{} failed: {}", task.requestId(), task.taskId(), attempt,
                    backOff.maxAttempts(), e.getMessage());
            throw e;
        }
    }

    private ArchivedAsset archiveOnce(TaskCompleted task, TaskAsset asset) {
        String objectKey = ObjectKeys.forAsset(task.accountId(), task.requestId(), asset);
        StoredObject stored = store.find(objectKey)
                .map(this::skipped)
                .orElseGet(() -> download(task, asset, objectKey));
        return toArchivedAsset(asset, stored);
    }

    private StoredObject skipped(StoredObject existing) {
        ArchiverMetrics.countAsset(meters, ArchiverMetrics.SKIPPED);
        log.debug("object {} already archived, not downloading again", existing.objectKey());
        return existing;
    }

    private StoredObject download(TaskCompleted task, TaskAsset asset, String objectKey) {
        try (AssetDownload download = downloader.open(asset)) {
            String contentType = download.contentType() == null ? ObjectKeys.defaultContentType(asset)
                    : download.contentType();
            StoredObject stored = store.put(objectKey, download.body(), contentType, task.requestId());
            ArchiverMetrics.countAsset(meters, ArchiverMetrics.ARCHIVED);
            ArchiverMetrics.countBytes(meters, stored.size());
            return stored;
        }
    }

    private ArchivedAsset toArchivedAsset(TaskAsset asset, StoredObject stored) {
        Instant expiresAt = clock.instant().plus(presignedUrlExpiry);
        String presignedUrl = store.presignedGetUrl(stored.objectKey(), presignedUrlExpiry);
        return new ArchivedAsset(asset.kind(), asset.index(), asset.id(), store.bucket(), stored.objectKey(),
                stored.size(), stored.sha256(), stored.contentType(), presignedUrl, expiresAt);
    }
}
