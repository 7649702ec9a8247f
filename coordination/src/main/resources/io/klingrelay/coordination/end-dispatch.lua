-- Ends a dispatched request that produced no task (it failed for good): releases its permits.
-- Kling answered, so a pause this request was probing is over.
-- KEYS: 1 dispatching zset, 2 parked hash, 3 permits zset, 4 permit-weights hash, 5 queue zset, 6 delayed zset,
--       7 limit hash
-- ARGV: 1 request id, 2 wake-up channel, 3 account id
-- Returns the number of permit holders released (0 or 1).
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[5], ARGV[1])
redis.call('ZREM', KEYS[6], ARGV[1])
redis.call('DEL', KEYS[2])
if redis.call('HGET', KEYS[7], 'probe') == ARGV[1] then
  redis.call('HDEL', KEYS[7], 'paused_until', 'pause_reason', 'pause_backoff', 'probe')
end
local released = redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
if released == 1 then
  redis.call('PUBLISH', ARGV[2], ARGV[3])
end
return released
