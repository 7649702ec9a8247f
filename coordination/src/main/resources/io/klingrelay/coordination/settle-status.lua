-- Settles the claim a proposal took on publishing a status (propose-status.lua), when that status
-- is still the task's status and its terminal event is not published:
--   'published' (Kafka acknowledged a non-terminal status event): the claim is cleared, so the
--               same status observed again is a duplicate;
--   'failed'    (the event was not acknowledged): the claim is released at once, so the next
--               observation of that status, by any observer, publishes it.
-- A terminal status is settled as published by mark-published.lua, which also releases permits.
-- KEYS: 1 task hash
-- ARGV: 1 status, 2 outcome ('published' or 'failed')
-- Returns 1 when the claim was settled, 0 when the task moved on (or is gone).
if redis.call('HGET', KEYS[1], 'status') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'published') == '1' then
  return 0
end
local terminal = ARGV[1] == 'succeed' or ARGV[1] == 'failed'
if ARGV[2] == 'published' then
  if terminal then
    return 0
  end
  return redis.call('HDEL', KEYS[1], 'status_claimed_at')
end
if terminal then
  return redis.call('HDEL', KEYS[1], 'claimed_at', 'claimant') > 0 and 1 or 0
end
if redis.call('HEXISTS', KEYS[1], 'status_claimed_at') == 0 then
  return 0
end
redis.call('HSET', KEYS[1], 'status_claimed_at', '0')
return 1
