-- Renews a dispatch lease while its create call is in flight, only for the dispatch that holds it
-- (its fencing token is the request's current one and it is still dispatching).
-- KEYS: 1 dispatching zset, 2 parked hash
-- ARGV: 1 request id, 2 fencing token, 3 new lease expiry (ms)
-- Returns 1 when renewed, 0 when the dispatch lost its lease (recovered by a sweep, taken over, ended).
local rid = ARGV[1]
if redis.call('HGET', KEYS[2], rid .. '/fence') ~= ARGV[2] or not redis.call('ZSCORE', KEYS[1], rid) then
  return 0
end
redis.call('ZADD', KEYS[1], 'XX', ARGV[3], rid)
return 1
