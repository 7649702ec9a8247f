package io.klingrelay.coordination.outcome;

import io.klingrelay.common.event.KlingRelayEvent;
import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.coordination.publish.EventPublisher;
import io.klingrelay.coordination.publish.PublishException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a request with its one outcome, the same way on every path: claim it
 * ({@link OutcomeClaims#claim}), publish it, mark it published. A claim that is already taken but
 * not yet published (its claimant died, or this is the redelivery of a record whose publish
 * failed) is published from the ledger's copy, so the request's outcome is the one first claimed,
 * whoever publishes it. An event without a usable account or request id (a record too malformed
 * to name them) cannot be claimed and is published as is: it cannot collide with a real request.
 */
public final class OutcomePublisher {

    private static final Logger log = LoggerFactory.getLogger(OutcomePublisher.class);

    private final OutcomeClaims ledger;
    private final EventPublisher publisher;
    private final String claimant;

    /**
     * @param ledger    the outcome claims (the Redis ledger)
     * @param publisher the acknowledged Kafka publisher
     * @param claimant  who publishes (for diagnosis), e.g. {@code submitter}
     */
    public OutcomePublisher(OutcomeClaims ledger, EventPublisher publisher, String claimant) {
        this.ledger = ledger;
        this.publisher = publisher;
        this.claimant = claimant;
    }

    /**
     * @param outcome   the outcome event
     * @param condition what must hold for the claim
     * @return the claim; on {@link Claim.Claimed} the event was published and marked published
     * @throws PublishException when Kafka did not acknowledge: the claim stays and is published later
     *         (by the redelivered record's retry or the outbox sweeper)
     */
    public Claim end(KlingRelayEvent outcome, ClaimCondition condition) {
        if (!isClaimable(outcome)) {
            publisher.publish(List.of(outcome));
            return new Claim.Claimed();
        }
        Claim claim = ledger.claim(outcome, condition, claimant);
        switch (claim) {
            case Claim.Claimed claimed -> publishAndMark(outcome);
            case Claim.Taken taken when !taken.published() -> republish(outcome.accountId(), outcome.requestId());
            default -> log.debug("request {} of account {}: outcome not claimed ({})", outcome.requestId(),
                    outcome.accountId(), claim);
        }
        return claim;
    }

    /**
     * Ends many requests at once (an operator's cancel of a whole backlog): claims each outcome,
     * then publishes the claimed ones together, waiting for all of Kafka's acknowledgements at
     * once rather than one by one, and marks them published.
     *
     * @param outcomes  the outcome events, each with a usable account and request id
     * @param condition what must hold for each claim
     * @return the claim of each event, in order
     * @throws PublishException when Kafka did not acknowledge: every claim stays and the outbox
     *         publishes them
     */
    public List<Claim> endAll(List<? extends KlingRelayEvent> outcomes, ClaimCondition condition) {
        List<Claim> claims = new java.util.ArrayList<>(outcomes.size());
        List<KlingRelayEvent> won = new java.util.ArrayList<>();
        for (KlingRelayEvent outcome : outcomes) {
            Claim claim = ledger.claim(outcome, condition, claimant);
            claims.add(claim);
            if (claim.won()) {
                won.add(outcome);
            }
        }
        if (!won.isEmpty()) {
            publisher.publish(won);
            won.forEach(outcome -> ledger.published(outcome.accountId(), outcome.requestId()));
        }
        return claims;
    }

    /**
     * Publishes a claimed, unpublished outcome from the ledger's copy and marks it published.
     *
     * @param accountId the account
     * @param requestId the request id
     * @return whether there was one to publish
     * @throws PublishException when Kafka did not acknowledge
     */
    public boolean republish(String accountId, String requestId) {
        Optional<StoredOutcome> stored = ledger.find(accountId, requestId);
        stored.ifPresent(outcome -> publishAndMark(outcome.event()));
        return stored.isPresent();
    }

    /**
     * Whether a request already has its outcome, so its caller must not work towards another one
     * (the archiver given a redelivered completion does not archive the task again); an outcome
     * claimed but left unpublished (its claimant died before Kafka acknowledged) is published now.
     *
     * @param accountId the account
     * @param requestId the request id
     * @return true when the request already ended
     * @throws PublishException when such an unpublished outcome could not be published
     */
    public boolean endedBefore(String accountId, String requestId) {
        if (!ledger.hasOutcome(accountId, requestId)) {
            return false;
        }
        republish(accountId, requestId);
        return true;
    }

    private void publishAndMark(KlingRelayEvent outcome) {
        publisher.publish(List.of(outcome));
        ledger.published(outcome.accountId(), outcome.requestId());
    }

    private static boolean isClaimable(KlingRelayEvent outcome) {
        return RedisKeys.isSafeId(outcome.accountId()) && RedisKeys.isSafeId(outcome.requestId());
    }
}
