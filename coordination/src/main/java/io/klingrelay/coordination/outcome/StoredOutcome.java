package io.klingrelay.coordination.outcome;

import io.klingrelay.common.event.KlingRelayEvent;
import java.time.Instant;
import java.util.Objects;

/**
 * A claimed outcome as the ledger holds it.
 *
 * @param accountId the account
 * @param requestId the request id
 * @param event     the outcome event to publish (its id is name-based, so a re-publication de-duplicates)
 * @param claimedAt when it was claimed
 * @param claimant  who claimed it (for diagnosis)
 */
public record StoredOutcome(String accountId, String requestId, KlingRelayEvent event, Instant claimedAt,
        String claimant) {

    public StoredOutcome {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(event, "event");
    }
}
