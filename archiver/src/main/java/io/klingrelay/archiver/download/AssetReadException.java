package io.klingrelay.archiver.download;

import io.klingrelay.common.error.KlingRelayException;
import java.io.IOException;

/**
 * Reading an asset's body failed, for a reason already classified: the size cap was passed
 * (permanent) or the connection broke (transient). Surfaces through the object store's upload,
 * which must not mistake it for a storage failure.
 */
public final class AssetReadException extends IOException {

    private final KlingRelayException failure;

    /** @param failure the classified failure */
    public AssetReadException(KlingRelayException failure) {
        super(failure.getMessage(), failure);
        this.failure = failure;
    }

    /** @return the classified failure */
    public KlingRelayException failure() {
        return failure;
    }
}
