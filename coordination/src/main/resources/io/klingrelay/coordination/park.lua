-- Parks a request in its account's waiting queue, unless its request id is already known (a
-- replayed record) or already has its outcome. A request of a paused campaign is parked aside
-- (held) until the campaign resumes.
-- KEYS: 1 seen marker, 2 outcome hash, 3 parked hash, 4 queue zset, 5 held zset, 6 paused-campaigns set
-- ARGV: 1 request id, 2 queue score, 3 payload JSON, 4 weight, 5 seen TTL (s), 6 campaign id or '',
--       7 W3C traceparent or '' (optional)
-- Returns 1 when parked (queued or held), 0 when the request id was already known.
if redis.call('EXISTS', KEYS[2]) == 1 then
  return 0
end
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[5]) then
  return 0
end
local rid = ARGV[1]
redis.call('HSET', KEYS[3], rid .. '/payload', ARGV[3], rid .. '/weight', ARGV[4], rid .. '/score', ARGV[2],
  rid .. '/attempts', '0', rid .. '/campaign', ARGV[6])
if ARGV[7] and ARGV[7] ~= '' then
  redis.call('HSET', KEYS[3], rid .. '/traceparent', ARGV[7])
end
if ARGV[6] ~= '' and redis.call('SISMEMBER', KEYS[6], ARGV[6]) == 1 then
  redis.call('ZADD', KEYS[5], ARGV[2], rid)
else
  redis.call('ZADD', KEYS[4], ARGV[2], rid)
end
return 1
