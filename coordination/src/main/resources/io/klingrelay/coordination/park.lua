-- Parks a request in its account's waiting queue, unless its request id is already known.
-- KEYS: 1 seen marker, 2 parked hash, 3 queue zset, 4 accounts set
-- ARGV: 1 request id, 2 queue score, 3 payload JSON, 4 weight, 5 seen TTL (s), 6 account id
-- Returns 1 when parked, 0 when the request id was already known (a replayed record).
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[5]) then
  return 0
end
redis.call('HSET', KEYS[2], 'payload', ARGV[3], 'weight', ARGV[4], 'score', ARGV[2], 'attempts', '0')
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
redis.call('SADD', KEYS[4], ARGV[6])
return 1
