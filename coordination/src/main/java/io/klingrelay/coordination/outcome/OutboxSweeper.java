package io.klingrelay.coordination.outcome;

import io.klingrelay.coordination.publish.PublishException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * Publishes claimed outcomes whose claimant did not get Kafka's acknowledgement (it died, or Kafka
 * was down): every claim older than {@code staleAge} still in an account's outbox is published
 * from the ledger's copy and marked published. Every submitter instance runs it: each sweep
 * {@linkplain OutcomeLedger#claimUnpublished claims} the entries it publishes, so two instances
 * never take over the same outcome at once; should a publication still be repeated (a sweeper that
 * outlived the stale age), the events carry name-based ids and de-duplicate downstream.
 */
public final class OutboxSweeper {

    private static final Logger log = LoggerFactory.getLogger(OutboxSweeper.class);

    private final OutcomeLedger ledger;
    private final OutcomePublisher publisher;
    private final Clock clock;
    private final Duration staleAge;
    private final int batchSize;

    /**
     * @param ledger    the outcome ledger
     * @param publisher publishes from the ledger's copy
     * @param clock     the time source
     * @param staleAge  how old an unpublished claim must be before it is taken over (longer than a publish takes)
     * @param batchSize at most this many per account and sweep
     */
    public OutboxSweeper(OutcomeLedger ledger, OutcomePublisher publisher, Clock clock, Duration staleAge,
            int batchSize) {
        this.ledger = ledger;
        this.publisher = publisher;
        this.clock = clock;
        this.staleAge = staleAge;
        this.batchSize = batchSize;
    }

    /**
     * @param accountIds the accounts to sweep
     * @return how many outcomes were published
     */
    public int sweep(Collection<String> accountIds) {
        int published = 0;
        for (String accountId : accountIds) {
            try {
                published += sweepAccount(accountId);
            } catch (PublishException | DataAccessException e) {
                log.warn("outbox of account {} not swept, tried again later: {}", accountId, e.getMessage());
            }
        }
        return published;
    }

    private int sweepAccount(String accountId) {
        int published = 0;
        for (String requestId : ledger.claimUnpublished(accountId, clock.instant().minus(staleAge), batchSize)) {
            if (publisher.republish(accountId, requestId)) {
                log.info("request {} of account {}: claimed outcome published by the outbox sweeper", requestId,
                        accountId);
                published++;
            }
        }
        return published;
    }
}
