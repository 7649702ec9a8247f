-- Records the task created (or adopted) for a dispatched request and ends its dispatch. A
-- successful create also ends an account pause it was probing, and lets a lowered effective limit
-- climb back by one (additive increase) when the last change is at least the increase interval old.
-- A dispatch that lost its lease (stale fencing token) is not silently dropped: when no task is
-- recorded yet its task is adopted (the request is taken out of the queue and, as the task runs on
-- Kling, holds its permits again); when another task is already recorded, or the request has
-- ended otherwise (an outcome is claimed), its task is an orphan the caller must report.
-- KEYS: 1 dispatching zset, 2 parked hash, 3 task hash, 4 pending zset, 5 queue zset, 6 delayed zset,
--       7 limit hash, 8 permits zset, 9 permit-weights hash, 10 outcome hash, 11 held zset
-- ARGV: 1 request id, 2 task id, 3 product, 4 account id, 5 campaign id or '', 6 submitted at (ms),
--       7 permits held, 8 now (ms), 9 increase interval (ms), 10 fencing token, 11 permit lease (ms)
-- Returns RECORDED (the token was current), ADOPTED (a stale dispatch's task, recorded),
--         ALREADY (this very task was recorded before), DUPLICATE (another task is recorded) or ENDED.
local rid = ARGV[1]
local recorded = redis.call('HGET', KEYS[3], 'task_id')
if recorded then
  if recorded == ARGV[2] then
    return 'ALREADY'
  end
  return 'DUPLICATE'
end
if redis.call('EXISTS', KEYS[10]) == 1 then
  return 'ENDED'
end
local current = redis.call('HGET', KEYS[2], rid .. '/fence') == ARGV[10]
redis.call('ZREM', KEYS[1], rid)
redis.call('ZREM', KEYS[5], rid)
redis.call('ZREM', KEYS[6], rid)
redis.call('ZREM', KEYS[11], rid)
local traceparent = redis.call('HGET', KEYS[2], rid .. '/traceparent')
-- the request's shape (model_name, mode, duration of its input) travels on with its task: the poller
-- learns expected durations per product, model, mode and duration (issue 9); absent fields stay absent
local payload = redis.call('HGET', KEYS[2], rid .. '/payload')
local shape = {}
if payload then
  local ok, request = pcall(cjson.decode, payload)
  if ok and type(request) == 'table' and type(request.input) == 'table' then
    for _, field in ipairs({'model_name', 'mode', 'duration'}) do
      local value = request.input[field]
      if type(value) == 'string' or type(value) == 'number' then
        table.insert(shape, field)
        table.insert(shape, tostring(value))
      end
    end
  end
end
redis.call('HDEL', KEYS[2], rid .. '/payload', rid .. '/weight', rid .. '/score', rid .. '/attempts',
  rid .. '/recovered', rid .. '/campaign', rid .. '/fence', rid .. '/last_error', rid .. '/traceparent')
redis.call('HSET', KEYS[3], 'task_id', ARGV[2], 'product', ARGV[3], 'account_id', ARGV[4],
  'campaign_id', ARGV[5], 'submitted_at', ARGV[6], 'permits', ARGV[7])
if #shape > 0 then
  redis.call('HSET', KEYS[3], unpack(shape))
end
-- the request's trace context travels on with its task (a callback or a poll continues the trace)
if traceparent then
  redis.call('HSET', KEYS[3], 'traceparent', traceparent)
end
redis.call('HSETNX', KEYS[3], 'status', 'submitted')
if redis.call('HGET', KEYS[3], 'published') ~= '1' then
  redis.call('ZADD', KEYS[4], ARGV[6], rid)
end
local now = tonumber(ARGV[8])
-- the task runs on Kling: it holds its permits until its terminal event (a stale dispatch's
-- permits were given back when its lease was recovered)
if not redis.call('ZSCORE', KEYS[8], rid) then
  redis.call('ZADD', KEYS[8], now + tonumber(ARGV[11]), rid)
  redis.call('HSET', KEYS[9], rid, ARGV[7])
end
if redis.call('HGET', KEYS[7], 'probe') == rid then
  redis.call('HDEL', KEYS[7], 'paused_until', 'pause_reason', 'pause_backoff', 'probe')
end
local effective = tonumber(redis.call('HGET', KEYS[7], 'effective') or '0')
local configured = tonumber(redis.call('HGET', KEYS[7], 'configured') or '0')
if effective > 0 then
  local changed = tonumber(redis.call('HGET', KEYS[7], 'changed_at') or '0')
  if now - changed >= tonumber(ARGV[9]) then
    if effective + 1 >= configured then
      redis.call('HDEL', KEYS[7], 'effective')
    else
      redis.call('HSET', KEYS[7], 'effective', effective + 1)
    end
    redis.call('HSET', KEYS[7], 'changed_at', now)
  end
end
if current then
  return 'RECORDED'
end
return 'ADOPTED'
