package io.klingrelay.coordination.outcome;

import io.klingrelay.common.event.KlingRelayEvent;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory {@link OutcomeClaims} for unit tests: one outcome per (account, request id); the
 * {@link ClaimCondition#newRequest()} condition refuses ids marked {@linkplain #markSeen seen};
 * dispatch and waiting conditions are not modelled (they always hold).
 */
public final class InMemoryOutcomeClaims implements OutcomeClaims {

    private final Map<String, StoredOutcome> claims = new ConcurrentHashMap<>();
    private final Set<String> published = ConcurrentHashMap.newKeySet();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    /**
     * @param accountId the account
     * @param requestId a request id that was parked before
     */
    public void markSeen(String accountId, String requestId) {
        seen.add(key(accountId, requestId));
    }

    @Override
    public synchronized Claim claim(KlingRelayEvent event, ClaimCondition condition, String claimant) {
        String key = key(event.accountId(), event.requestId());
        StoredOutcome existing = claims.get(key);
        if (existing != null) {
            return new Claim.Taken(existing.event().getClass().getSimpleName(), published.contains(key));
        }
        if (condition instanceof ClaimCondition.NewRequest && !seen.add(key)) {
            return new Claim.Known();
        }
        claims.put(key, new StoredOutcome(event.accountId(), event.requestId(), event, Instant.now(), claimant));
        return new Claim.Claimed();
    }

    @Override
    public boolean published(String accountId, String requestId) {
        String key = key(accountId, requestId);
        return claims.containsKey(key) && published.add(key);
    }

    @Override
    public Optional<StoredOutcome> find(String accountId, String requestId) {
        String key = key(accountId, requestId);
        return published.contains(key) ? Optional.empty() : Optional.ofNullable(claims.get(key));
    }

    @Override
    public boolean hasOutcome(String accountId, String requestId) {
        return claims.containsKey(key(accountId, requestId));
    }

    /** @return the claimed outcomes, published or not */
    public Map<String, StoredOutcome> claims() {
        return Map.copyOf(claims);
    }

    private static String key(String accountId, String requestId) {
        return accountId + "/" + requestId;
    }
}
