package io.klingrelay.coordination.outcome;

import io.klingrelay.common.event.AssetsArchived;
import io.klingrelay.common.event.KlingRelayEvent;
import io.klingrelay.common.event.RequestFailed;
import io.klingrelay.common.kafka.Topics;
import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.coordination.redis.DueClaims;
import io.klingrelay.coordination.redis.LuaScripts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every request's single outcome as a recorded fact in Redis (ARCHITECTURE.md: "one recorded,
 * atomic claim of the request's outcome comes before its publication, and no path publishes a
 * second one"). A path that ends a request ({@code requests.failed} at validation, submission or
 * cancel; {@code assets.archived} or {@code requests.failed} at the archiver) first
 * {@linkplain #claim claims} it with the event it will publish, in one Lua step
 * ({@code claim-outcome.lua}) that also takes the request out of the waiting room and gives its
 * permits back; it then publishes and calls {@link #published}. A claimant that dies in between
 * leaves the claim in the account's outbox, which {@link OutboxSweeper} publishes.
 * Redis failures surface as Spring's {@code DataAccessException}. Thread-safe.
 */
public final class OutcomeLedger implements OutcomeClaims {

    private static final Map<String, Class<? extends KlingRelayEvent>> OUTCOME_TYPES = Map.of(
            RequestFailed.class.getSimpleName(), RequestFailed.class,
            AssetsArchived.class.getSimpleName(), AssetsArchived.class);

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final JsonMapper jsonMapper;
    private final Clock clock;
    private final Duration recordTtl;

    /**
     * @param redis      the Redis template
     * @param keys       the key layout
     * @param jsonMapper serialises the stored events
     * @param clock      the time source
     * @param recordTtl  how long a published outcome is remembered (and its request id stays ended);
     *                   also the seen-marker TTL set by a {@link ClaimCondition#newRequest()} claim
     */
    public OutcomeLedger(StringRedisTemplate redis, RedisKeys keys, JsonMapper jsonMapper, Clock clock,
            Duration recordTtl) {
        this.redis = redis;
        this.keys = keys;
        this.jsonMapper = jsonMapper;
        this.clock = clock;
        this.recordTtl = recordTtl;
    }

    /**
     * Claims the request's outcome for {@code event}.
     *
     * @param event     a {@link RequestFailed} or {@link AssetsArchived} with an account id that is a
     *                  safe id ({@link RedisKeys#isSafeId})
     * @param condition what must hold, checked atomically with the claim
     * @param claimant  who claims (for diagnosis), e.g. {@code submitter}
     * @return {@link Claim.Claimed} when the caller must now publish {@code event}; otherwise why not
     * @throws IllegalArgumentException when the event is not an outcome or names no usable account
     */
    @Override
    public Claim claim(KlingRelayEvent event, ClaimCondition condition, String claimant) {
        requireOutcome(event);
        String accountId = Objects.requireNonNull(event.accountId(), "accountId");
        String requestId = event.requestId();
        List<?> result = redis.execute(LuaScripts.CLAIM_OUTCOME,
                List.of(keys.outcome(accountId, requestId), keys.outbox(accountId), keys.seen(accountId, requestId),
                        keys.parked(accountId), keys.queue(accountId), keys.delayed(accountId), keys.held(accountId),
                        keys.dispatching(accountId), keys.permits(accountId), keys.permitWeights(accountId),
                        keys.limit(accountId)),
                requestId, Topics.of(event), event.getClass().getSimpleName(), jsonMapper.writeValueAsString(event),
                event.eventId(), Long.toString(clock.millis()), claimant, keys.dispatchChannel(), condition.wireForm(),
                accountId, Long.toString(recordTtl.toSeconds()));
        Objects.requireNonNull(result, "claim-outcome.lua returned nothing");
        return switch (String.valueOf(result.getFirst())) {
            case "CLAIMED" -> new Claim.Claimed();
            case "TAKEN" -> new Claim.Taken(String.valueOf(result.get(1)), "1".equals(String.valueOf(result.get(2))));
            case "KNOWN" -> new Claim.Known();
            case "FENCED" -> new Claim.Fenced();
            case "MAY_EXIST" -> new Claim.MayExist();
            default -> new Claim.NotWaiting();
        };
    }

    /**
     * Marks a claimed outcome published, after Kafka acknowledged its event.
     *
     * @param accountId the account
     * @param requestId the request id
     * @return false when there was no such claim
     */
    @Override
    public boolean published(String accountId, String requestId) {
        Long marked = redis.execute(LuaScripts.OUTCOME_PUBLISHED,
                List.of(keys.outcome(accountId, requestId), keys.outbox(accountId)),
                requestId, Long.toString(recordTtl.toSeconds()));
        return marked != null && marked == 1L;
    }

    /**
     * @param accountId the account
     * @param requestId the request id
     * @return the claimed outcome while it is not published (a published one keeps only its type)
     */
    @Override
    public Optional<StoredOutcome> find(String accountId, String requestId) {
        Map<Object, Object> hash = redis.opsForHash().entries(keys.outcome(accountId, requestId));
        Object type = hash.get("event_type");
        Object json = hash.get("event");
        if (type == null || json == null || !OUTCOME_TYPES.containsKey(type.toString())) {
            return Optional.empty();
        }
        KlingRelayEvent event = jsonMapper.readValue(json.toString(), OUTCOME_TYPES.get(type.toString()));
        Instant claimedAt = Instant.ofEpochMilli(Long.parseLong(String.valueOf(hash.getOrDefault("claimed_at", "0"))));
        return Optional.of(new StoredOutcome(accountId, requestId, event, claimedAt,
                String.valueOf(hash.getOrDefault("claimant", ""))));
    }

    /**
     * @param accountId the account
     * @param requestId the request id
     * @return whether the request has an outcome (claimed or published)
     */
    @Override
    public boolean hasOutcome(String accountId, String requestId) {
        return Boolean.TRUE.equals(redis.hasKey(keys.outcome(accountId, requestId)));
    }

    /**
     * A read: outbox sweepers take their work with {@link #claimUnpublished}.
     *
     * @param accountId    the account
     * @param claimedUntil only claims at or before this time
     * @param limit        at most this many
     * @return request ids of claimed outcomes Kafka has not acknowledged, oldest first
     */
    public List<String> unpublished(String accountId, Instant claimedUntil, int limit) {
        Set<String> ids = redis.opsForZSet().rangeByScore(keys.outbox(accountId), Double.NEGATIVE_INFINITY,
                claimedUntil.toEpochMilli(), 0, limit);
        return ids == null ? List.of() : List.copyOf(ids);
    }

    /**
     * Claims stale outbox entries for one outbox sweeper ({@code claim-due.lua}): in one atomic step
     * it picks up to {@code limit} outcomes claimed at or before {@code claimedUntil} and still
     * unpublished, and stamps each one's outbox entry with now, so the sweepers of N instances never
     * take over the same outcome at once (one publication, not N). The sweeper ends its claim with
     * {@link #published}; a sweeper that dies or fails to publish leaves the entry stale again after
     * the same age.
     *
     * @param accountId    the account
     * @param claimedUntil only claims at or before this time (now minus the stale age)
     * @param limit        at most this many
     * @return request ids of claimed outcomes Kafka has not acknowledged, oldest first
     */
    public List<String> claimUnpublished(String accountId, Instant claimedUntil, int limit) {
        return DueClaims.claim(redis, keys.outbox(accountId), claimedUntil, clock.instant(), limit);
    }

    private static void requireOutcome(KlingRelayEvent event) {
        if (!OUTCOME_TYPES.containsKey(event.getClass().getSimpleName())) {
            throw new IllegalArgumentException(event.getClass().getSimpleName() + " is not an outcome event");
        }
        if (!RedisKeys.isSafeId(event.accountId()) || !RedisKeys.isSafeId(event.requestId())) {
            throw new IllegalArgumentException("an outcome claim needs a usable account id and request id");
        }
    }
}
