package io.klingrelay.coordination.admission;

import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.coordination.permit.Permits;
import io.klingrelay.coordination.redis.LuaScripts;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * An account's admission settings in Redis, shared by every submitter instance: its configured
 * limit, operator pauses, paused campaigns, and the state operators and gauges read. (The
 * effective limit and account-error pauses are changed by the dispatch steps themselves, see
 * {@link AdmissionPolicy}.) Redis failures surface as Spring's {@code DataAccessException}.
 * Thread-safe.
 */
public final class AccountAdmission {

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final Permits permits;

    /**
     * @param redis   the Redis template
     * @param keys    the key layout
     * @param permits the permit view, for the state
     */
    public AccountAdmission(StringRedisTemplate redis, RedisKeys keys, Permits permits) {
        this.redis = redis;
        this.keys = keys;
        this.permits = permits;
    }

    /**
     * Stores the limit the account's configuration gives (every submitter does this at start-up).
     * It is in force unless an operator set one at run time ({@link #setOperatorLimit}), which it
     * never overrides; an effective limit above it is lowered to it.
     *
     * @param accountId the account
     * @param limit     permits the account may hold at once (>= 1)
     */
    public void setConfiguredLimit(String accountId, int limit) {
        redis.opsForSet().add(keys.accounts(), accountId);
        setLimit(accountId, "configuration", limit);
    }

    /**
     * Sets the account's limit at run time, in force for every submitter until {@link
     * #clearOperatorLimit} (a submitter starting with the configuration's limit does not undo it);
     * an effective limit above it is lowered to it at once.
     *
     * @param accountId the account
     * @param limit     permits the account may hold at once (>= 1)
     */
    public void setOperatorLimit(String accountId, int limit) {
        redis.opsForSet().add(keys.accounts(), accountId);
        setLimit(accountId, "operator", limit);
    }

    /**
     * Drops an operator's limit: the configuration's limit (as last written by a submitter) is in
     * force again.
     *
     * @param accountId the account
     */
    public void clearOperatorLimit(String accountId) {
        setLimit(accountId, "clear", 0);
    }

    private void setLimit(String accountId, String source, int limit) {
        if (limit < 1 && !"clear".equals(source)) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        redis.execute(LuaScripts.SET_LIMIT, List.of(keys.limit(accountId)), source, Integer.toString(limit));
    }

    /**
     * Pauses or resumes an account by operator decision; its requests stay queued meanwhile.
     *
     * @param accountId the account
     * @param paused    true to pause, false to resume (also ends an account-error pause at once)
     */
    public void setOperatorPaused(String accountId, boolean paused) {
        if (paused) {
            redis.opsForHash().put(keys.limit(accountId), "operator_paused", "1");
        } else {
            redis.opsForHash().delete(keys.limit(accountId), "operator_paused", "paused_until", "pause_reason",
                    "pause_backoff", "probe");
            redis.convertAndSend(keys.dispatchChannel(), accountId);
        }
    }

    /**
     * Pauses a campaign on an account: its waiting requests are held aside as the dispatcher meets
     * them, and new ones are parked aside, until {@link #resumeCampaign}.
     *
     * @param accountId  the account
     * @param campaignId the campaign
     */
    public void pauseCampaign(String accountId, String campaignId) {
        redis.opsForSet().add(keys.pausedCampaigns(accountId), campaignId);
    }

    /**
     * @param accountId  the account
     * @param campaignId the campaign
     * @return how many held requests returned to their queue places
     */
    public long resumeCampaign(String accountId, String campaignId) {
        Long moved = redis.execute(LuaScripts.RESUME_CAMPAIGN,
                List.of(keys.queue(accountId), keys.held(accountId), keys.pausedCampaigns(accountId),
                        keys.parked(accountId)),
                campaignId);
        redis.convertAndSend(keys.dispatchChannel(), accountId);
        return moved == null ? 0 : moved;
    }

    /**
     * @param accountId the account
     * @return everything Redis holds about its admission
     */
    public AccountState state(String accountId) {
        Map<Object, Object> limit = redis.opsForHash().entries(keys.limit(accountId));
        int configured = Integer.parseInt(String.valueOf(limit.getOrDefault("configured", "0")));
        int effective = Integer.parseInt(String.valueOf(limit.getOrDefault("effective", String.valueOf(configured))));
        Object pausedUntil = limit.get("paused_until");
        return new AccountState(accountId, configured, effective, permits.inUse(accountId),
                zcard(keys.queue(accountId)), zcard(keys.held(accountId)), zcard(keys.delayed(accountId)),
                zcard(keys.dispatching(accountId)), "1".equals(limit.get("operator_paused")),
                pausedUntil == null ? null : Instant.ofEpochMilli(Long.parseLong(pausedUntil.toString())),
                (String) limit.get("pause_reason"), hlen(keys.orphans(accountId)), zcard(keys.outbox(accountId)),
                limit.containsKey("operator_limit"));
    }

    /** @return ids of every account with state */
    public Set<String> accounts() {
        Set<String> accounts = redis.opsForSet().members(keys.accounts());
        return accounts == null ? Set.of() : accounts;
    }

    private long zcard(String key) {
        Long size = redis.opsForZSet().zCard(key);
        return size == null ? 0 : size;
    }

    private long hlen(String key) {
        Long size = redis.opsForHash().size(key);
        return size == null ? 0 : size;
    }
}
