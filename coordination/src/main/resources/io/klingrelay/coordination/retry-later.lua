-- Schedules a dispatched request to return to its queue position, giving its permits back unless
-- its create may have reached Kling (then they stay held until a lookup settles it),
-- only for the dispatch that holds it (its fencing token is current): a stale dispatch can neither
-- release the permits of the one that took it over nor requeue a request that was recorded or ended.
-- kind 'transient' spends an attempt; 'capacity' (1303) spends none and lowers the account's
-- effective limit (multiplicative decrease, at most once per hold-off); 'account' spends none and
-- pauses the whole account (doubling the pause up to a maximum) while its requests stay queued.
-- KEYS: 1 dispatching zset, 2 parked hash, 3 permits zset, 4 permit-weights hash, 5 delayed zset, 6 limit hash
-- ARGV: 1 request id, 2 due at (ms), 3 kind, 4 wake-up channel, 5 account id, 6 1 when the create may
--       have reached Kling, 7 now (ms), 8 decrease factor, 9 decrease hold-off (ms), 10 default limit,
--       11 first pause (ms), 12 longest pause (ms), 13 pause reason, 14 fencing token, 15 last error
-- Returns the attempts spent so far, or -1 when the dispatch was fenced off (nothing changed).
local rid = ARGV[1]
if redis.call('HGET', KEYS[2], rid .. '/fence') ~= ARGV[14] then
  return -1
end
local now = tonumber(ARGV[7])
redis.call('ZREM', KEYS[1], rid)
local weight = tonumber(redis.call('HGET', KEYS[4], rid) or '1')
local released = 0
-- a create that may have reached Kling may be running there: its permits stay held until a lookup
-- by external_task_id settles it (adopt, create, or fail), so the slot is never handed to another
-- request while Kling may count it
if ARGV[6] ~= '1' then
  released = redis.call('ZREM', KEYS[3], rid)
  redis.call('HDEL', KEYS[4], rid)
end
local attempts = tonumber(redis.call('HGET', KEYS[2], rid .. '/attempts') or '0')
if ARGV[3] == 'transient' then
  attempts = redis.call('HINCRBY', KEYS[2], rid .. '/attempts', 1)
end
if ARGV[6] == '1' then
  redis.call('HSET', KEYS[2], rid .. '/recovered', '1')
end
if ARGV[15] ~= '' then
  redis.call('HSET', KEYS[2], rid .. '/last_error', ARGV[15])
end
local limitKey = KEYS[6]
if redis.call('HGET', limitKey, 'probe') == rid then
  redis.call('HDEL', limitKey, 'probe')
end
if ARGV[3] == 'capacity' then
  local decreased = tonumber(redis.call('HGET', limitKey, 'decreased_at') or '0')
  if now - decreased >= tonumber(ARGV[9]) then
    local current = tonumber(redis.call('HGET', limitKey, 'effective') or redis.call('HGET', limitKey, 'configured') or ARGV[10])
    local used = 0
    for _, w in ipairs(redis.call('HVALS', KEYS[4])) do
      used = used + tonumber(w)
    end
    -- Kling refused with `used` others running: its ceiling is below used + weight
    local ceiling = math.min(current, used + weight - 1)
    local lowered = math.max(1, math.floor(ceiling * tonumber(ARGV[8])))
    redis.call('HSET', limitKey, 'effective', lowered, 'decreased_at', now, 'changed_at', now)
  end
elseif ARGV[3] == 'account' then
  local backoff = tonumber(redis.call('HGET', limitKey, 'pause_backoff') or '0')
  if backoff == 0 then
    backoff = tonumber(ARGV[11])
  else
    backoff = math.min(backoff * 2, tonumber(ARGV[12]))
  end
  redis.call('HSET', limitKey, 'paused_until', now + backoff, 'pause_backoff', backoff, 'pause_reason', ARGV[13])
end
redis.call('ZADD', KEYS[5], ARGV[2], rid)
if released == 1 then
  redis.call('PUBLISH', ARGV[4], ARGV[5])
end
return attempts
