-- Give a taken task back, to be taken again once due (a retry), if this taker still holds it.
-- KEYS: 1 in-flight (ZSET), 2 delayed (ZSET), 3 meta (HASH)
-- ARGV: 1 request id, 2 due (epoch ms), 3 now (epoch ms)
-- returns 1 when deferred, 0 when the task was not in flight (its lease expired and it was retaken)
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then
  return 0
end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
redis.call('HINCRBY', KEYS[3], ARGV[1] .. '/deferrals', 1)
redis.call('HSETNX', KEYS[3], ARGV[1] .. '/first_deferred', ARGV[3])
return 1
