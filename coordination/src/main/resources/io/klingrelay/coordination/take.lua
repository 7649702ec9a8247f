-- Takes the head of an account's queue (or, before it, a queued request that still holds its
-- permits) together with its permits, in one atomic step, and hands
-- it a fresh fencing token (the request's dispatch counter): every later write of this dispatch
-- carries the token and is refused once another dispatch took the request over.
-- The account may be paused by an operator, or after an account-level error until its pause ends;
-- then exactly one request at a time goes through as a probe. Heads of paused campaigns are
-- moved aside (held) on the way.
-- KEYS: 1 queue zset, 2 permits zset, 3 permit-weights hash, 4 limit hash, 5 dispatching zset,
--       6 held zset, 7 paused-campaigns set, 8 parked hash
-- ARGV: 1 now (ms), 2 permit lease (ms), 3 dispatch lease (ms), 4 default limit
-- Returns {'empty'}, {'paused', reason}, {'blocked', used, limit} or
--         {'taken', request id, payload, weight, attempts, recovered, queue score, probe, fence, last error}.
local now = tonumber(ARGV[1])
local limitKey = KEYS[4]
if redis.call('HGET', limitKey, 'operator_paused') == '1' then
  return {'paused', 'operator'}
end
local probe = false
local pausedUntil = tonumber(redis.call('HGET', limitKey, 'paused_until') or '0')
if pausedUntil > 0 then
  if now < pausedUntil then
    return {'paused', redis.call('HGET', limitKey, 'pause_reason') or 'account error'}
  end
  local probing = redis.call('HGET', limitKey, 'probe')
  if probing and probing ~= '' and redis.call('ZSCORE', KEYS[5], probing) then
    return {'paused', 'probing'}
  end
  probe = true
end
local FIELDS = {'/payload', '/weight', '/attempts', '/recovered', '/campaign', '/last_error'}
local function hmget(id)
  local names = {}
  for i, f in ipairs(FIELDS) do
    names[i] = id .. f
  end
  return redis.call('HMGET', KEYS[8], unpack(names))
end
local function campaignPaused(campaign)
  return campaign and campaign ~= '' and redis.call('SISMEMBER', KEYS[7], campaign) == 1
end
local rid, fields, score
-- A queued request whose earlier create may have reached Kling still holds its permits: it needs no
-- new ones, so the earliest such request goes before the head (a head waiting for exactly those
-- permits would otherwise block it, and the account, for good). Only the permit holders are looked
-- at, at most the limit plus the requests waiting on a lookup.
local holderScore
for _, holder in ipairs(redis.call('HKEYS', KEYS[3])) do
  local s = redis.call('ZSCORE', KEYS[1], holder)
  if s and (not holderScore or tonumber(s) < holderScore) then
    local f = hmget(holder)
    if f[1] and not campaignPaused(f[5]) then
      rid, fields, score, holderScore = holder, f, s, tonumber(s)
    end
  end
end
for _ = 1, (rid and 0 or 100) do
  local head = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  if #head == 0 then
    return {'empty'}
  end
  rid = head[1]
  fields = hmget(rid)
  if not fields[1] then
    -- a queue entry without its payload cannot be dispatched: drop the entry
    redis.call('ZREM', KEYS[1], rid)
    rid = nil
  elseif campaignPaused(fields[5]) then
    redis.call('ZREM', KEYS[1], rid)
    redis.call('ZADD', KEYS[6], head[2], rid)
    rid = nil
  else
    score = head[2]
    break
  end
end
if not rid then
  return {'empty'}
end
local weight = tonumber(fields[2] or '1')
-- a request whose earlier create may have reached Kling still holds its permits: it needs no new ones
if not redis.call('HGET', KEYS[3], rid) then
  local limit = tonumber(redis.call('HGET', limitKey, 'effective') or redis.call('HGET', limitKey, 'configured') or ARGV[4])
  local used = 0
  for _, w in ipairs(redis.call('HVALS', KEYS[3])) do
    used = used + tonumber(w)
  end
  -- a request heavier than the whole limit may run alone rather than never
  if used + weight > limit and not (used == 0 and weight > limit) then
    return {'blocked', tostring(used), tostring(limit)}
  end
end
redis.call('ZREM', KEYS[1], rid)
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), rid)
redis.call('HSET', KEYS[3], rid, weight)
redis.call('ZADD', KEYS[5], now + tonumber(ARGV[3]), rid)
local fence = redis.call('HINCRBY', KEYS[8], rid .. '/fence', 1)
if probe then
  redis.call('HSET', limitKey, 'probe', rid)
end
return {'taken', rid, fields[1], tostring(weight), fields[3] or '0', fields[4] or '0', score, probe and '1' or '0',
  tostring(fence), fields[6] or ''}
