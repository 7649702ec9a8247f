-- Park a completed task unless one is queued for the request already.
-- KEYS: 1 tasks (HASH), 2 meta (HASH), 3 ready (ZSET)
-- ARGV: 1 request id, 2 payload (JSON), 3 expiry (epoch ms)
-- returns 1 when parked, 0 when the request already had a queued task
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1] .. '/expiry', ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
return 1
