package io.klingrelay.archiver.archive;

import io.klingrelay.common.error.TransientException;

/**
 * A task that cannot be archived now, for a reason that is not the request's fault and may pass:
 * no outcome is decided. The listener hands the record back to the listener container, which
 * redelivers it with the {@code klingrelay.archiver.store-outage.*} back-off (already archived
 * assets are then skipped) and, after {@code give-up-after}, ends the request with
 * {@code requests.failed} and dead-letters the record ({@link GiveUpRecoverer}). Messages name the
 * asset index, host, bucket or S3 error code, never credentials or signed URLs.
 */
public abstract sealed class RedeliverLaterException extends TransientException
        permits ObjectStoreUnavailableException, AssetDownloadDeferredException {

    /**
     * @param message what failed, without secrets
     * @param cause   the failure of the last attempt
     */
    protected RedeliverLaterException(String message, Throwable cause) {
        super(message, cause);
    }
}
