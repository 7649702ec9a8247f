-- Claims a request's single outcome (requests.failed or assets.archived) before it is published:
-- the outcome is recorded here with the event to publish, so no other path can publish a second
-- one, and the outbox keeps it until outcome-published.lua says Kafka acknowledged it (a claimant
-- that dies in between leaves it to the outbox sweeper). Claiming ends the request everywhere in
-- the waiting room: it leaves the queue, the held and delayed sets and its dispatch, and its
-- permits are given back.
-- Conditions (ARGV 9): 'none'; 'new' (intake: only for a request id not seen before, which it then
-- marks seen); 'dispatch:<token>' (only the dispatch holding this fencing token); 'waiting' (cancel:
-- only a request waiting in the queue, held or delayed, that may not already exist on Kling).
-- KEYS: 1 outcome hash, 2 outbox zset, 3 seen marker, 4 parked hash, 5 queue zset, 6 delayed zset,
--       7 held zset, 8 dispatching zset, 9 permits zset, 10 permit-weights hash, 11 limit hash
-- ARGV: 1 request id, 2 topic, 3 event type, 4 event JSON, 5 event id, 6 now (ms), 7 claimant,
--       8 wake-up channel, 9 condition, 10 account id, 11 seen TTL (s)
-- Returns {'CLAIMED'}, {'TAKEN', event type, published '1'|'0'}, {'KNOWN'}, {'FENCED'},
--         {'NOT_WAITING'} or {'MAY_EXIST'}.
local rid = ARGV[1]
if redis.call('EXISTS', KEYS[1]) == 1 then
  local taken = redis.call('HMGET', KEYS[1], 'event_type', 'published')
  return {'TAKEN', taken[1] or '', taken[2] or '0'}
end
local condition = ARGV[9]
if condition == 'new' then
  if redis.call('EXISTS', KEYS[3]) == 1 then
    return {'KNOWN'}
  end
  redis.call('SET', KEYS[3], '1', 'EX', ARGV[11])
elseif string.sub(condition, 1, 9) == 'dispatch:' then
  if redis.call('HGET', KEYS[4], rid .. '/fence') ~= string.sub(condition, 10) then
    return {'FENCED'}
  end
  -- Kling answered this dispatch: a pause it was probing is over
  if redis.call('HGET', KEYS[11], 'probe') == rid then
    redis.call('HDEL', KEYS[11], 'paused_until', 'pause_reason', 'pause_backoff', 'probe')
  end
elseif condition == 'waiting' then
  local waiting = redis.call('ZSCORE', KEYS[5], rid) or redis.call('ZSCORE', KEYS[6], rid)
      or redis.call('ZSCORE', KEYS[7], rid)
  if not waiting or redis.call('ZSCORE', KEYS[8], rid) then
    return {'NOT_WAITING'}
  end
  if redis.call('HGET', KEYS[4], rid .. '/recovered') == '1' then
    return {'MAY_EXIST'}
  end
end
redis.call('HSET', KEYS[1], 'topic', ARGV[2], 'event_type', ARGV[3], 'event', ARGV[4], 'event_id', ARGV[5],
  'claimed_at', ARGV[6], 'claimant', ARGV[7], 'published', '0')
redis.call('ZADD', KEYS[2], ARGV[6], rid)
redis.call('ZREM', KEYS[5], rid)
redis.call('ZREM', KEYS[6], rid)
redis.call('ZREM', KEYS[7], rid)
redis.call('ZREM', KEYS[8], rid)
redis.call('HDEL', KEYS[4], rid .. '/payload', rid .. '/weight', rid .. '/score', rid .. '/attempts',
  rid .. '/recovered', rid .. '/campaign', rid .. '/fence', rid .. '/last_error', rid .. '/traceparent')
local released = redis.call('ZREM', KEYS[9], rid)
redis.call('HDEL', KEYS[10], rid)
if released == 1 then
  redis.call('PUBLISH', ARGV[8], ARGV[10])
end
return {'CLAIMED'}
