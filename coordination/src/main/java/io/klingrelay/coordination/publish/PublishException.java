package io.klingrelay.coordination.publish;

import io.klingrelay.common.error.TransientException;
import org.jspecify.annotations.Nullable;

/** Kafka did not acknowledge an event in time (or refused it): nothing may be marked as published. */
public final class PublishException extends TransientException {

    /**
     * @param detail what failed, without secrets
     * @param cause  the underlying error, may be null
     */
    public PublishException(String detail, @Nullable Throwable cause) {
        super(detail, null, 0, null, cause);
    }
}
