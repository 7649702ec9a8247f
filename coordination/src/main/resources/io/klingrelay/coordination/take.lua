-- Takes the head of an account's queue together with its permits, in one atomic step.
-- KEYS: 1 queue zset, 2 permits zset, 3 permit-weights hash, 4 limit hash, 5 dispatching zset
-- ARGV: 1 now (ms), 2 permit lease (ms), 3 dispatch lease (ms), 4 default limit, 5 parked key prefix
-- Returns {'empty'}, {'blocked', used, limit} or {'taken', request id, payload, weight, attempts, recovered}.
local head = redis.call('ZRANGE', KEYS[1], 0, 0)
if #head == 0 then
  return {'empty'}
end
local rid = head[1]
local parked = ARGV[5] .. rid
local fields = redis.call('HMGET', parked, 'payload', 'weight', 'attempts', 'recovered')
if not fields[1] then
  -- a queue entry without its payload cannot be dispatched: drop the entry
  redis.call('ZREM', KEYS[1], rid)
  return {'empty'}
end
local weight = tonumber(fields[2] or '1')
local limit = tonumber(redis.call('HGET', KEYS[4], 'effective') or redis.call('HGET', KEYS[4], 'configured') or ARGV[4])
local used = 0
for _, w in ipairs(redis.call('HVALS', KEYS[3])) do
  used = used + tonumber(w)
end
-- a request heavier than the whole limit may run alone rather than never
if used + weight > limit and not (used == 0 and weight > limit) then
  return {'blocked', tostring(used), tostring(limit)}
end
local now = tonumber(ARGV[1])
redis.call('ZREM', KEYS[1], rid)
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), rid)
redis.call('HSET', KEYS[3], rid, weight)
redis.call('ZADD', KEYS[5], now + tonumber(ARGV[3]), rid)
return {'taken', rid, fields[1], tostring(weight), fields[3] or '0', fields[4] or '0'}
