-- The dispatcher's safety net for one account: requests whose retry delay is over, and requests
-- whose dispatch lease expired (their submitter died or stalled past its lease), go back to their
-- place in the queue; an expired dispatch keeps its permits (its create may be running on Kling) and is
-- marked recovered, so
-- that the next dispatch asks Kling by external_task_id before creating anything; its fencing
-- token is advanced, so the dispatch that lost its lease is fenced off at once.
-- KEYS: 1 delayed zset, 2 queue zset, 3 dispatching zset, 4 permits zset, 5 permit-weights hash, 6 parked hash
-- ARGV: 1 now (ms), 2 batch size
-- Returns {requests promoted, dispatch leases recovered}.
local promoted = 0
for _, rid in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))) do
  local score = redis.call('HGET', KEYS[6], rid .. '/score')
  redis.call('ZREM', KEYS[1], rid)
  if score then
    redis.call('ZADD', KEYS[2], score, rid)
    promoted = promoted + 1
  end
end
local recovered = 0
for _, rid in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))) do
  redis.call('ZREM', KEYS[3], rid)
  -- its create may have reached Kling: the permits stay held until the next dispatch's lookup settles it
  local score = redis.call('HGET', KEYS[6], rid .. '/score')
  if not score then
    -- nothing left to dispatch: give the permits back
    redis.call('ZREM', KEYS[4], rid)
    redis.call('HDEL', KEYS[5], rid)
  end
  if score then
    redis.call('HSET', KEYS[6], rid .. '/recovered', '1')
    -- the dispatch that lost its lease is fenced off from here on
    redis.call('HINCRBY', KEYS[6], rid .. '/fence', 1)
    redis.call('ZADD', KEYS[2], score, rid)
    recovered = recovered + 1
  end
end
return {promoted, recovered}
