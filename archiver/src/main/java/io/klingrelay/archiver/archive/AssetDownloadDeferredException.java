package io.klingrelay.archiver.archive;

/**
 * An asset's download kept failing transiently (5xx, 408/425/429, timeouts, connection errors,
 * the download deadline) for the whole per-asset retry budget, while its signed URL is still
 * valid ({@link AssetUrlExpiry}): Kling keeps the asset for 30 days, so a later redelivery can
 * still archive it and the request is not failed now.
 */
public final class AssetDownloadDeferredException extends RedeliverLaterException {

    /**
     * @param message what failed and until when the URL is valid, e.g. {@code asset 0: cdn.klingai.com
     *                answered with an error (HTTP 503); gave up after 5 attempts; …}
     * @param cause   the last attempt's transient failure
     */
    public AssetDownloadDeferredException(String message, Throwable cause) {
        super(message, cause);
    }
}
