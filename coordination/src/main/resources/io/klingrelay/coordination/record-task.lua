-- Records the task created for a dispatched request and ends its dispatch. A successful create
-- also ends an account pause it was probing, and lets a lowered effective limit climb back by one
-- (additive increase) when the last change is at least the increase interval old.
-- KEYS: 1 dispatching zset, 2 parked hash, 3 task hash, 4 pending zset, 5 queue zset, 6 delayed zset,
--       7 limit hash
-- ARGV: 1 request id, 2 task id, 3 product, 4 account id, 5 campaign id or '', 6 submitted at (ms),
--       7 permits held, 8 now (ms), 9 increase interval (ms)
-- Returns 1 when the dispatch lease was still held, 0 when it had expired (the record is made anyway).
local held = redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[5], ARGV[1])
redis.call('ZREM', KEYS[6], ARGV[1])
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[3], 'task_id', ARGV[2], 'product', ARGV[3], 'account_id', ARGV[4],
  'campaign_id', ARGV[5], 'submitted_at', ARGV[6], 'permits', ARGV[7])
redis.call('HSETNX', KEYS[3], 'status', 'submitted')
if redis.call('HGET', KEYS[3], 'published') ~= '1' then
  redis.call('ZADD', KEYS[4], ARGV[6], ARGV[1])
end
if redis.call('HGET', KEYS[7], 'probe') == ARGV[1] then
  redis.call('HDEL', KEYS[7], 'paused_until', 'pause_reason', 'pause_backoff', 'probe')
end
local effective = tonumber(redis.call('HGET', KEYS[7], 'effective') or '0')
local configured = tonumber(redis.call('HGET', KEYS[7], 'configured') or '0')
if effective > 0 then
  local now = tonumber(ARGV[8])
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
return held
