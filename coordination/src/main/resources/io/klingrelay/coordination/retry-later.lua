-- Gives a dispatched request's permits back and schedules it to return to its queue position.
-- KEYS: 1 dispatching zset, 2 parked hash, 3 permits zset, 4 permit-weights hash, 5 delayed zset
-- ARGV: 1 request id, 2 due at (ms), 3 1 to count an attempt (transient) or 0 (capacity),
--       4 wake-up channel, 5 account id, 6 1 when the create may have reached Kling
-- Returns the attempts spent so far.
redis.call('ZREM', KEYS[1], ARGV[1])
local released = redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
local attempts = tonumber(redis.call('HGET', KEYS[2], 'attempts') or '0')
if ARGV[3] == '1' then
  attempts = redis.call('HINCRBY', KEYS[2], 'attempts', 1)
end
if ARGV[6] == '1' then
  redis.call('HSET', KEYS[2], 'recovered', '1')
end
redis.call('ZADD', KEYS[5], ARGV[2], ARGV[1])
if released == 1 then
  redis.call('PUBLISH', ARGV[4], ARGV[5])
end
return attempts
