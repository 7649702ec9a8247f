-- Marks a claimed outcome published once Kafka acknowledged its event: it leaves the outbox and
-- the record is kept for the record TTL (so the request id stays "ended" that long).
-- KEYS: 1 outcome hash, 2 outbox zset
-- ARGV: 1 request id, 2 record TTL (s)
-- Returns 1 when marked, 0 when there was no such claim.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
redis.call('HSET', KEYS[1], 'published', '1')
redis.call('HDEL', KEYS[1], 'event')
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
