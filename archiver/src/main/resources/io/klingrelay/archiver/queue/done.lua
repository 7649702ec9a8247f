-- Forget a task whose request has its outcome.
-- KEYS: 1 ready, 2 delayed, 3 in-flight (ZSETs), 4 tasks (HASH), 5 meta (HASH)
-- ARGV: 1 request id
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[5], ARGV[1] .. '/expiry', ARGV[1] .. '/deferrals', ARGV[1] .. '/first_deferred',
    ARGV[1] .. '/takes')
return redis.call('HDEL', KEYS[4], ARGV[1])
