package io.klingrelay.coordination.redis;

import java.time.Instant;
import java.util.List;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Runs {@code claim-due.lua}: claims the due members of one sorted set for one caller, with a
 * lease, so that N replicas of a service share the work of a sweep and never pick the same member
 * at once (the poller's due tasks, the submitter's expired permits and stale outbox entries).
 */
public final class DueClaims {

    private DueClaims() {
    }

    /**
     * @param redis        the Redis template
     * @param key          the sorted set (one account's key, so one Redis Cluster slot)
     * @param due          members scored at or before this are due
     * @param claimedScore the score claimed members get: no other caller picks them before the
     *                     clock reaches it (due + the lease)
     * @param limit        at most this many
     * @return the claimed members, lowest score first
     * @throws org.springframework.dao.DataAccessException when Redis cannot be reached
     */
    public static List<String> claim(StringRedisTemplate redis, String key, Instant due, Instant claimedScore,
            int limit) {
        @SuppressWarnings("unchecked")
        List<String> claimed = redis.execute(LuaScripts.CLAIM_DUE, List.of(key), Long.toString(due.toEpochMilli()),
                Long.toString(claimedScore.toEpochMilli()), Integer.toString(limit));
        return claimed == null ? List.of() : List.copyOf(claimed);
    }
}
