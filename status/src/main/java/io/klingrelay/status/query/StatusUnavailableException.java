package io.klingrelay.status.query;

/**
 * No instance can answer for a key right now: Kafka Streams is starting, restoring a store from
 * its changelog or rebalancing, or the owning instance did not answer. Answered with 503 and a
 * {@code Retry-After}; a retry a moment later succeeds.
 */
public final class StatusUnavailableException extends RuntimeException {

    /** @param message what is unavailable */
    public StatusUnavailableException(String message) {
        super(message);
    }

    /**
     * @param message what is unavailable
     * @param cause   the underlying failure
     */
    public StatusUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
