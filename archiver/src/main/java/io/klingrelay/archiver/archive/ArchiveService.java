package io.klingrelay.archiver.archive;

import io.klingrelay.archiver.download.AssetDownload;
import io.klingrelay.archiver.download.AssetDownloader;
import io.klingrelay.common.error.KlingRelayException;
import io.klingrelay.common.error.PermanentException;
import io.klingrelay.common.error.TransientException;
import io.klingrelay.common.event.ArchivedAsset;
import io.klingrelay.common.event.AssetsArchived;
import io.klingrelay.common.event.FailureStage;
import io.klingrelay.common.event.KlingRelayEvent;
import io.klingrelay.common.event.RequestFailed;
import io.klingrelay.common.event.TaskAsset;
import io.klingrelay.common.event.TaskCompleted;
import io.klingrelay.common.event.TaskStatus;
import io.klingrelay.coordination.retry.FullJitterBackOff;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

/**
 * Decides a completed task's one terminal event: {@code failed} tasks end with
 * {@link RequestFailed} (stage {@code generation}); {@code succeed} tasks have every asset
 * archived and end with {@link AssetsArchived} (assets in Kling's order), or with {@link RequestFailed}
 * (stage {@code archive}) when an asset cannot be archived.
 *
 * <p>The assets of one task are archived {@code asset-concurrency} at a time (virtual threads; each
 * in-flight asset buffers one multipart part). A permanent failure of any asset fails the request;
 * otherwise a {@link RedeliverLaterException} of any asset defers the whole task (assets already
 * stored are skipped next time).
 *
 * <p>Each asset is archived under a retry budget (Spring Framework 7's {@link RetryTemplate},
 * which ships with Spring itself, so no extra library; {@link FullJitterBackOff} gives the
 * full jitter) and a download deadline ({@code klingrelay.archiver.download-deadline}) that spans
 * all its attempts and the waits between them: transient errors (5xx, timeouts, connection
 * errors, S3 down) are retried while both last, permanent ones (expired URL, refused host, size
 * cap, a body that is not the asset's media) end the request at once. Assets found already
 * archived are not downloaded again.
 *
 * <p>When the budget or the deadline is spent on a transient error, nothing is decided as long as
 * the cause may pass and the asset can still be fetched ({@link RedeliverLaterException}, which
 * goes back to the listener container to be redelivered later): an object store that is still
 * down ({@link ObjectStoreUnavailableException}), or a download whose signed URL is still valid
 * ({@link AssetDownloadDeferredException}, {@link AssetUrlExpiry}). A download that fails
 * transiently after its URL has expired ends the request with {@code requests.failed}. An answer
 * that the asset is gone (HTTP 403, 404, 410) is final only once the URL's signed expiry has passed
 * or when the URL carries none; before it, it is deferred like a transient failure (a CDN that
 * refuses a valid signature for a while, clock skew).
 */
public final class ArchiveService {

    /**
     * The most assets one task has: image products take {@code n} 1–9 (kling-api.md, image
     * generation), video products return one video. Sizes the consumer's {@code max.poll.interval.ms}
     * together with the download deadline.
     */
    public static final int MAX_ASSETS_PER_TASK = 9;

    private static final Logger log = LoggerFactory.getLogger(ArchiveService.class);

    private final AssetDownloader downloader;
    private final AssetStore store;
    private final FullJitterBackOff backOff;
    private final Duration downloadDeadline;
    private final Duration presignedUrlExpiry;
    private final MeterRegistry meters;
    private final Clock clock;
    private final int assetConcurrency;

    /**
     * @param downloader         the SSRF-safe downloader
     * @param store              the object store
     * @param backOff            the retry budget per asset
     * @param downloadDeadline   how long one asset's download may take, all attempts included
     * @param presignedUrlExpiry how long the presigned GET URLs work
     * @param meters             the meter registry (used through {@link ArchiverMetrics})
     * @param clock              the clock for event times and URL expiry checks
     * @param assetConcurrency   how many assets of one task are archived at once, at least 1
     */
    public ArchiveService(AssetDownloader downloader, AssetStore store, FullJitterBackOff backOff,
            Duration downloadDeadline, Duration presignedUrlExpiry, MeterRegistry meters, Clock clock,
            int assetConcurrency) {
        if (assetConcurrency < 1) {
            throw new IllegalArgumentException("assetConcurrency must be at least 1, got " + assetConcurrency);
        }
        this.assetConcurrency = assetConcurrency;
        this.downloader = downloader;
        this.store = store;
        this.backOff = backOff;
        this.downloadDeadline = downloadDeadline;
        this.presignedUrlExpiry = presignedUrlExpiry;
        this.meters = meters;
        this.clock = clock;
    }

    /**
     * @param task a completed task
     * @return {@link AssetsArchived} or {@link RequestFailed}
     * @throws RedeliverLaterException when the object store stayed unavailable for the whole
     *         per-asset retry budget, or an asset's download kept failing transiently while its
     *         URL is still valid: not the request's fault, so no outcome is decided and the caller
     *         must redeliver the task later (assets already stored are then skipped)
     */
    public KlingRelayEvent outcomeOf(TaskCompleted task) {
        return outcomeOf(task, true);
    }

    /**
     * {@link #outcomeOf(TaskCompleted)}, skipping the per-asset "already archived?" lookup
     * ({@code HeadObject}) when nothing can have been stored for the task yet.
     *
     * @param task              a completed task
     * @param mayHaveArchived   false only when no earlier attempt for this request can have stored an asset
     * @return {@link AssetsArchived} or {@link RequestFailed}
     * @throws RedeliverLaterException as {@link #outcomeOf(TaskCompleted)}
     */
    public KlingRelayEvent outcomeOf(TaskCompleted task, boolean mayHaveArchived) {
        if (task.taskStatus() == TaskStatus.FAILED) {
            return generationFailed(task);
        }
        if (task.assets().isEmpty()) {
            return archiveFailed(task, "Kling reported succeed without any asset");
        }
        return archive(task, mayHaveArchived);
    }

    /**
     * The outcome of a task the listener container gave up redelivering (dead-lettered): a
     * {@code failed} task keeps its generation failure, any other fails with stage {@code archive}.
     *
     * @param task   the task
     * @param reason why archiving gave up, without secrets
     * @return the request's {@link RequestFailed}
     */
    public RequestFailed gaveUp(TaskCompleted task, String reason) {
        if (task.taskStatus() == TaskStatus.FAILED) {
            return generationFailed(task);
        }
        log.error("request {} task_id {}: {}", task.requestId(), task.taskId(), reason);
        return archiveFailed(task, reason);
    }

    private RequestFailed generationFailed(TaskCompleted task) {
        String message = task.taskStatusMsg();
        log.info("request {} task_id {} failed on Kling: {}", task.requestId(), task.taskId(), message);
        return new RequestFailed(KlingRelayEvent.CURRENT_SCHEMA_VERSION, null, task.requestId(), task.accountId(),
                task.campaignId(), FailureStage.GENERATION, "Kling task failed: " + message, null,
                message.isBlank() ? null : message, task.taskId(), clock.instant());
    }

    private KlingRelayEvent archive(TaskCompleted task, boolean mayHaveArchived) {
        long started = System.nanoTime();
        List<ArchivedAsset> archived;
        try {
            archived = archiveAll(task, mayHaveArchived);
        } catch (RedeliverLaterException e) {
            log.warn("request {} task_id {}: the task is retried later: {}", task.requestId(), task.taskId(),
                    e.getMessage());
            throw e;
        } catch (KlingRelayException e) {
            ArchiverMetrics.countAsset(meters, ArchiverMetrics.FAILED);
            ArchiverMetrics.recordDuration(meters, ArchiverMetrics.FAILED, Duration.ofNanos(System.nanoTime() - started));
            log.error("request {} task_id {}: archiving failed: {}", task.requestId(), task.taskId(), e.getMessage());
            return archiveFailed(task, e.getMessage());
        }
        ArchiverMetrics.recordDuration(meters, ArchiverMetrics.ARCHIVED, Duration.ofNanos(System.nanoTime() - started));
        log.info("request {} task_id {}: {} assets archived", task.requestId(), task.taskId(), archived.size());
        return new AssetsArchived(KlingRelayEvent.CURRENT_SCHEMA_VERSION, null, task.requestId(), task.accountId(),
                task.campaignId(), task.product(), task.taskId(), archived, clock.instant());
    }

    private List<ArchivedAsset> archiveAll(TaskCompleted task, boolean mayHaveArchived) {
        if (task.assets().size() == 1 || assetConcurrency == 1) {
            return task.assets().stream().map(asset -> archiveWithRetry(task, asset, mayHaveArchived)).toList();
        }
        return ConcurrentAssets.archive(task, assetConcurrency,
                asset -> archiveWithRetry(task, asset, mayHaveArchived));
    }

    private RequestFailed archiveFailed(TaskCompleted task, String reason) {
        return new RequestFailed(KlingRelayEvent.CURRENT_SCHEMA_VERSION, null, task.requestId(), task.accountId(),
                task.campaignId(), FailureStage.ARCHIVE, reason, null, null, task.taskId(), clock.instant());
    }

    private ArchivedAsset archiveWithRetry(TaskCompleted task, TaskAsset asset, boolean mayHaveArchived) {
        AtomicInteger attempt = new AtomicInteger();
        long deadline = System.nanoTime() + downloadDeadline.toNanos();
        RetryTemplate retry = new RetryTemplate(RetryPolicy.builder().backOff(backOff)
                .predicate(e -> e instanceof TransientException && timeLeft(deadline).isPositive()).build());
        try {
            return retry.execute(() -> attempt(task, asset, attempt, attempt.incrementAndGet() > 1 || mayHaveArchived,
                    deadline));
        } catch (RetryException e) {
            throw giveUp(e.getLastException(), attempt.get(), task, asset);
        }
    }

    private static Duration timeLeft(long deadline) {
        return Duration.ofNanos(deadline - System.nanoTime());
    }

    private KlingRelayException giveUp(Throwable last, int attempts, TaskCompleted task, TaskAsset asset) {
        String gaveUp = "; gave up after " + attempts + (attempts == 1 ? " attempt" : " attempts");
        if (last instanceof ObjectStoreUnavailableException storeDown) {
            return new ObjectStoreUnavailableException(storeDown.getMessage() + gaveUp, storeDown);
        }
        if (last instanceof TransientException downloadFailure) {
            return downloadGaveUp(downloadFailure, gaveUp, AssetUrlExpiry.of(asset, task.completedAt()));
        }
        if (last instanceof PermanentException gone && isGone(gone) && isSignedAndValid(asset)) {
            return new AssetDownloadDeferredException(gone.getMessage() + "; the URL's signature is valid until "
                    + AssetUrlExpiry.of(asset, task.completedAt()).truncatedTo(ChronoUnit.SECONDS)
                    + ", so the task is retried later", gone);
        }
        if (last instanceof KlingRelayException failure) {
            return failure;
        }
        return new TransientException("unexpected " + last.getClass().getSimpleName() + gaveUp, last);
    }

    private static boolean isGone(PermanentException failure) {
        int status = failure.httpStatus();
        return status == 403 || status == 404 || status == 410;
    }

    private boolean isSignedAndValid(TaskAsset asset) {
        return AssetUrlExpiry.signed(asset.url()).filter(clock.instant()::isBefore).isPresent();
    }

    private KlingRelayException downloadGaveUp(TransientException failure, String gaveUp, Instant expiry) {
        Instant urlExpiry = expiry.truncatedTo(ChronoUnit.SECONDS);
        if (clock.instant().isBefore(expiry)) {
            return new AssetDownloadDeferredException(failure.getMessage() + gaveUp + "; the URL is valid until "
                    + urlExpiry + ", so the task is retried later", failure);
        }
        return new PermanentException(failure.getMessage() + gaveUp + ", and the URL expired at " + urlExpiry,
                failure);
    }

    private ArchivedAsset attempt(TaskCompleted task, TaskAsset asset, AtomicInteger attempt, boolean lookUp,
            long deadline) {
        try {
            return archiveOnce(task, asset, lookUp, deadline);
        } catch (TransientException e) {
            log.warn("request {} task_id {}: attempt {}/{} failed: {}", task.requestId(), task.taskId(), attempt.get(),
                    backOff.maxAttempts(), e.getMessage());
            throw e;
        }
    }

    private ArchivedAsset archiveOnce(TaskCompleted task, TaskAsset asset, boolean lookUp, long deadline) {
        String objectKey = ObjectKeys.forAsset(task.accountId(), task.requestId(), asset);
        StoredObject stored = (lookUp ? store.find(objectKey) : Optional.<StoredObject>empty())
                .map(this::skipped)
                .orElseGet(() -> download(task, asset, objectKey, deadline));
        return toArchivedAsset(asset, stored);
    }

    private StoredObject skipped(StoredObject existing) {
        ArchiverMetrics.countAsset(meters, ArchiverMetrics.SKIPPED);
        log.debug("object {} already archived, not downloading again", existing.objectKey());
        return existing;
    }

    private StoredObject download(TaskCompleted task, TaskAsset asset, String objectKey, long deadline) {
        try (AssetDownload download = downloader.open(asset, timeLeft(deadline))) {
            String contentType = download.contentType() == null ? ObjectKeys.defaultContentType(asset)
                    : download.contentType();
            StoredObject stored = store.put(objectKey, download.body(), download.contentLength(), contentType,
                    task.requestId());
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
