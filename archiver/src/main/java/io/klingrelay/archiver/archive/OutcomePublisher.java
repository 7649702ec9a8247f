package io.klingrelay.archiver.archive;

import io.klingrelay.common.event.AssetsArchived;
import io.klingrelay.common.event.KlingRelayEvent;
import io.klingrelay.common.event.RequestFailed;
import io.klingrelay.coordination.outcome.Claim;
import io.klingrelay.coordination.outcome.ClaimCondition;
import io.klingrelay.coordination.outcome.OutcomeClaims;
import io.klingrelay.coordination.publish.EventPublisher;
import io.klingrelay.coordination.publish.PublishException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a request with the archiver's outcome ({@link AssetsArchived} or {@link RequestFailed}),
 * through the request's single outcome claim (ARCHITECTURE.md "Every request ends with exactly one
 * outcome event"): the outcome is claimed in Redis, then published and acknowledged by Kafka, so
 * the consumed offset is committed only afterwards. A request that already has its outcome (a
 * redelivered completion, a second terminal event) gets no second one: its task is not archived
 * again ({@link #endedBefore}) and a late outcome is not published.
 */
public final class OutcomePublisher {

    /** Who claims outcomes in this service, recorded with each claim for diagnosis. */
    public static final String CLAIMANT = "archiver";

    private static final Logger log = LoggerFactory.getLogger(OutcomePublisher.class);

    private final OutcomeClaims claims;
    private final io.klingrelay.coordination.outcome.OutcomePublisher outcomes;

    /**
     * @param claims    the outcome claims (Redis)
     * @param publisher the acknowledged Kafka publisher
     */
    public OutcomePublisher(OutcomeClaims claims, EventPublisher publisher) {
        this.claims = claims;
        this.outcomes = new io.klingrelay.coordination.outcome.OutcomePublisher(claims, publisher, CLAIMANT);
    }

    /**
     * @param outcome {@link AssetsArchived} or {@link RequestFailed}
     * @return true when this outcome was published; false when the request already had one
     * @throws PublishException when Kafka does not acknowledge (the claim stays and is published by
     *         the redelivery or the outbox)
     */
    public boolean publish(KlingRelayEvent outcome) {
        Claim claim = outcomes.end(outcome, ClaimCondition.none());
        if (!claim.won()) {
            log.warn("request {} of account {} already has its outcome ({}); {} not published", outcome.requestId(),
                    outcome.accountId(), claim, outcome.getClass().getSimpleName());
        }
        return claim.won();
    }

    /**
     * Whether a completed task's request already has its outcome, so it must not be archived again;
     * an outcome claimed but left unpublished (its publisher died) is published now.
     *
     * @param accountId the account
     * @param requestId the request id
     * @return true when the request already ended
     * @throws PublishException when such an unpublished outcome could not be published
     */
    public boolean endedBefore(String accountId, String requestId) {
        if (!claims.hasOutcome(accountId, requestId)) {
            return false;
        }
        outcomes.republish(accountId, requestId);
        return true;
    }
}
