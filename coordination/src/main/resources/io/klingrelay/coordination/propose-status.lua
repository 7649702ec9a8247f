-- Proposes an observed task_status for a recorded task; decides atomically whether it is news.
-- Statuses only move forward (submitted < processing < succeed|failed, TaskStatus.isAllowed).
-- Every piece of news is a claim on publishing it: a non-terminal status keeps status_claimed_at
-- until settle-status.lua clears it (Kafka acknowledged its event); a terminal status keeps
-- claimed_at until mark-published.lua. A claim older than the stale age, or released after a
-- failed publish, may be taken again by the next observation of the same status, so a status
-- whose event was not acknowledged is published later instead of being lost as a duplicate.
-- Of several terminal proposals exactly one holds the claim at a time.
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
local now = tonumber(ARGV[3])
local stale = tonumber(ARGV[4])
local rank = {submitted = 0, processing = 1, succeed = 2, failed = 2}
local proposed = rank[ARGV[2]]
local current = rank[redis.call('HGET', KEYS[1], 'status') or 'submitted'] or 0
if proposed < 2 then
  if proposed < current then
    return 'DUPLICATE'
  end
  if proposed == current then
    local unpublished = redis.call('HGET', KEYS[1], 'status_claimed_at')
    if not unpublished then
      return 'DUPLICATE'
    end
    if now - tonumber(unpublished) < stale then
      return 'IN_FLIGHT'
    end
  end
  redis.call('HSET', KEYS[1], 'status', ARGV[2], 'status_at', ARGV[3], 'status_claimed_at', ARGV[3])
  return 'UPDATED'
end
local claimedAt = redis.call('HGET', KEYS[1], 'claimed_at')
if claimedAt and now - tonumber(claimedAt) < stale then
  return 'IN_FLIGHT'
end
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'status_at', ARGV[3], 'claimed_at', ARGV[3], 'claimant', ARGV[5])
redis.call('HDEL', KEYS[1], 'status_claimed_at')
return 'WON'
