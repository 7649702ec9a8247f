-- Proposes an observed task_status for a recorded task; decides atomically whether it is news.
-- Statuses only move forward (submitted < processing < succeed|failed, TaskStatus.isAllowed);
-- of several terminal proposals exactly one wins, unless the winner's claim went stale without
-- being published (it crashed), in which case a later proposal may claim again.
-- KEYS: 1 task hash
-- ARGV: 1 task id, 2 status, 3 now (ms), 4 stale claim age (ms), 5 claimant
-- Returns UNKNOWN, MISMATCH, DUPLICATE, UPDATED (non-terminal news), IN_FLIGHT or WON (terminal).
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 'UNKNOWN'
end
local recorded = redis.call('HGET', KEYS[1], 'task_id')
if recorded and recorded ~= ARGV[1] then
  return 'MISMATCH'
end
if redis.call('HGET', KEYS[1], 'published') == '1' then
  return 'DUPLICATE'
end
local rank = {submitted = 0, processing = 1, succeed = 2, failed = 2}
local proposed = rank[ARGV[2]]
local current = rank[redis.call('HGET', KEYS[1], 'status') or 'submitted'] or 0
if proposed < 2 then
  if proposed <= current then
    return 'DUPLICATE'
  end
  redis.call('HSET', KEYS[1], 'status', ARGV[2], 'status_at', ARGV[3])
  return 'UPDATED'
end
local claimedAt = redis.call('HGET', KEYS[1], 'claimed_at')
if claimedAt and tonumber(ARGV[3]) - tonumber(claimedAt) < tonumber(ARGV[4]) then
  return 'IN_FLIGHT'
end
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'status_at', ARGV[3], 'claimed_at', ARGV[3], 'claimant', ARGV[5])
return 'WON'
