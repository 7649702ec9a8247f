-- Parks a request in its account's waiting queue, unless its request id is already known.
-- A request of a paused campaign is parked aside (held) until the campaign resumes.
-- KEYS: 1 seen marker, 2 parked hash, 3 queue zset, 4 accounts set, 5 held zset, 6 paused-campaigns set
-- ARGV: 1 request id, 2 queue score, 3 payload JSON, 4 weight, 5 seen TTL (s), 6 account id, 7 campaign id or ''
-- Returns 1 when parked (queued or held), 0 when the request id was already known (a replayed record).
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[5]) then
  return 0
end
redis.call('HSET', KEYS[2], 'payload', ARGV[3], 'weight', ARGV[4], 'score', ARGV[2], 'attempts', '0',
  'campaign', ARGV[7])
if ARGV[7] ~= '' and redis.call('SISMEMBER', KEYS[6], ARGV[7]) == 1 then
  redis.call('ZADD', KEYS[5], ARGV[2], ARGV[1])
else
  redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
end
redis.call('SADD', KEYS[4], ARGV[6])
return 1
