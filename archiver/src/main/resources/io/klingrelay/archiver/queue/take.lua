-- Return due retries and tasks whose lease expired to the ready set, then take up to ARGV[3] ready
-- tasks, those whose URL expires first, under a lease.
-- KEYS: 1 ready (ZSET expiry), 2 delayed (ZSET due), 3 in-flight (ZSET lease), 4 tasks (HASH), 5 meta (HASH)
-- ARGV: 1 now (epoch ms), 2 lease until (epoch ms), 3 how many to take at most
-- returns 5 values per task taken (none when nothing is ready): request id, payload, deferrals,
-- first deferred (epoch ms or ''), takes
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
local taken = {}
local wanted = tonumber(ARGV[3])
while #taken < wanted * 5 do
  local head = redis.call('ZRANGE', KEYS[1], 0, 0)
  if #head == 0 then
    break
  end
  local id = head[1]
  redis.call('ZREM', KEYS[1], id)
  local payload = redis.call('HGET', KEYS[4], id)
  if payload then
    redis.call('ZADD', KEYS[3], ARGV[2], id)
    local takes = redis.call('HINCRBY', KEYS[5], id .. '/takes', 1)
    table.insert(taken, id)
    table.insert(taken, payload)
    table.insert(taken, redis.call('HGET', KEYS[5], id .. '/deferrals') or '0')
    table.insert(taken, redis.call('HGET', KEYS[5], id .. '/first_deferred') or '')
    table.insert(taken, tostring(takes))
  end
end
return taken
