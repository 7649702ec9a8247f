package io.klingrelay.coordination.permit;

import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.coordination.redis.DueClaims;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * An account's permit leases seen from outside a dispatch: the ones that expired without being
 * renewed (by the poller, while Kling reports the task running) or released (by the terminal
 * transition), to be reconciled against Kling before their slots are reused. Redis failures
 * surface as Spring's {@code DataAccessException}. Thread-safe.
 */
public final class Permits {

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final Clock clock;

    /**
     * @param redis the Redis template
     * @param keys  the key layout
     * @param clock the time source
     */
    public Permits(StringRedisTemplate redis, RedisKeys keys, Clock clock) {
        this.redis = redis;
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * A read: reconcilers take their work with {@link #claimExpired}.
     *
     * @param accountId the account
     * @param limit     at most this many
     * @return holder request ids whose lease expired
     */
    public List<String> expired(String accountId, int limit) {
        Set<String> expired = redis.opsForZSet().rangeByScore(keys.permits(accountId), Double.NEGATIVE_INFINITY,
                clock.millis(), 0, limit);
        return expired == null ? List.of() : List.copyOf(expired);
    }

    /**
     * Claims expired permit leases for one reconciler ({@code claim-due.lua}): in one atomic step it
     * picks up to {@code limit} leases that expired and extends each to now plus {@code lease}, so
     * the reconcilers of N submitter instances never reconcile the same permit at once (one Kling
     * query per expired lease, not N). The claimant settles the permit (extends, releases or hands
     * its task to the poller); a claimant that dies leaves the lease to expire again after
     * {@code lease}.
     *
     * @param accountId the account
     * @param lease     how long the claim keeps the permit from other reconcilers; longer than one
     *                  reconciliation (a Kling query)
     * @param limit     at most this many
     * @return holder request ids whose lease had expired, earliest expiry first
     */
    public List<String> claimExpired(String accountId, Duration lease, int limit) {
        Instant now = clock.instant();
        return DueClaims.claim(redis, keys.permits(accountId), now, now.plus(lease), limit);
    }

    /**
     * Releases an expired permit whose task is known to have ended (or never existed), and wakes
     * the dispatchers.
     *
     * @param accountId the account
     * @param requestId the holder
     */
    public void release(String accountId, String requestId) {
        Long removed = redis.opsForZSet().remove(keys.permits(accountId), requestId);
        redis.opsForHash().delete(keys.permitWeights(accountId), requestId);
        if (removed != null && removed > 0) {
            redis.convertAndSend(keys.dispatchChannel(), accountId);
        }
    }

    /**
     * Extends a held permit's lease (a reconciliation found its task still running).
     *
     * @param accountId  the account
     * @param requestId  the holder
     * @param leaseUntil the new expiry
     */
    public void extend(String accountId, String requestId, Instant leaseUntil) {
        redis.opsForZSet().add(keys.permits(accountId), requestId, leaseUntil.toEpochMilli());
    }

    /** @param accountId the account @return permits held now (the sum of the holders' weights) */
    public int inUse(String accountId) {
        return redis.opsForHash().values(keys.permitWeights(accountId)).stream()
                .mapToInt(weight -> Integer.parseInt(weight.toString())).sum();
    }
}
