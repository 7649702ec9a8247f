package io.klingrelay.coordination.outcome;

import io.klingrelay.common.event.KlingRelayEvent;
import java.util.Optional;

/**
 * The port through which a path claims a request's single outcome ({@link OutcomeLedger} in Redis;
 * an in-memory fake in the coordination test-jar for unit tests).
 */
public interface OutcomeClaims {

    /**
     * @param event     the outcome event ({@code RequestFailed} or {@code AssetsArchived}) with a
     *                  usable account and request id
     * @param condition what must hold, checked atomically with the claim
     * @param claimant  who claims (for diagnosis)
     * @return {@link Claim.Claimed} when the caller must now publish {@code event}; otherwise why not
     */
    Claim claim(KlingRelayEvent event, ClaimCondition condition, String claimant);

    /**
     * @param accountId the account
     * @param requestId the request id
     * @return false when there was no such claim
     */
    boolean published(String accountId, String requestId);

    /**
     * @param accountId the account
     * @param requestId the request id
     * @return whether the request has an outcome (claimed or published)
     */
    boolean hasOutcome(String accountId, String requestId);

    /**
     * @param accountId the account
     * @param requestId the request id
     * @return the claimed outcome while it is not published
     */
    Optional<StoredOutcome> find(String accountId, String requestId);
}
