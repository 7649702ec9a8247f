-- After Kafka acknowledged the terminal event: marks it published, stops polling the task,
-- releases its permits and wakes the dispatchers of its account.
-- KEYS: 1 task hash, 2 pending zset, 3 permits zset, 4 permit-weights hash
-- ARGV: 1 request id, 2 wake-up channel, 3 account id, 4 task record TTL (s)
-- Returns the number of permit holders released (0 or 1).
redis.call('HSET', KEYS[1], 'published', '1')
redis.call('HDEL', KEYS[1], 'claimed_at', 'claimant')
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('ZREM', KEYS[2], ARGV[1])
local released = redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
if released == 1 then
  redis.call('PUBLISH', ARGV[2], ARGV[3])
end
return released
