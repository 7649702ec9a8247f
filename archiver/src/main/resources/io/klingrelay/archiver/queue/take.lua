-- Return due retries and tasks whose lease expired to the ready set, then take the ready task whose
-- URL expires first, under a lease.
-- KEYS: 1 ready (ZSET expiry), 2 delayed (ZSET due), 3 in-flight (ZSET lease), 4 tasks (HASH), 5 meta (HASH)
-- ARGV: 1 now (epoch ms), 2 lease until (epoch ms)
-- returns {} when nothing is ready, else {request id, payload, deferrals, first deferred (epoch ms or ''), takes}
local now = tonumber(ARGV[1])
local function back_to_ready(key)
  local due = redis.call('ZRANGEBYSCORE', key, '-inf', now, 'LIMIT', 0, 100)
  for _, id in ipairs(due) do
    redis.call('ZREM', key, id)
    local expiry = redis.call('HGET', KEYS[5], id .. '/expiry')
    if expiry and redis.call('HEXISTS', KEYS[4], id) == 1 then
      redis.call('ZADD', KEYS[1], expiry, id)
    end
  end
end
back_to_ready(KEYS[2])
back_to_ready(KEYS[3])
while true do
  local head = redis.call('ZRANGE', KEYS[1], 0, 0)
  if #head == 0 then
    return {}
  end
  local id = head[1]
  redis.call('ZREM', KEYS[1], id)
  local payload = redis.call('HGET', KEYS[4], id)
  if payload then
    redis.call('ZADD', KEYS[3], ARGV[2], id)
    local takes = redis.call('HINCRBY', KEYS[5], id .. '/takes', 1)
    return {id, payload, redis.call('HGET', KEYS[5], id .. '/deferrals') or '0',
            redis.call('HGET', KEYS[5], id .. '/first_deferred') or '', tostring(takes)}
  end
end
