-- Claims up to a limit of an account's tasks that are due for a poll, for one poller, with a lease:
-- in the same step that picks them it moves each one's checkpoint forward by the claim lease, so no
-- other poller instance picks the same task until that lease has passed. The claimant moves the
-- checkpoint again when its poll ends (ZADD XX in TaskLedger.reschedulePoll) or removes the task
-- (mark-published.lua); a claimant that dies simply lets the lease run out, and the task is due again.
-- KEYS: 1 pending zset (score = the task's last checkpoint, epoch ms)
-- ARGV: 1 due checkpoint (ms: a task is due when its score is at or before this),
--       2 claimed checkpoint (ms: the due checkpoint plus the claim lease), 3 limit
-- Returns the claimed request ids, oldest checkpoint first.
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, rid in ipairs(due) do
  redis.call('ZADD', KEYS[1], 'XX', ARGV[2], rid)
end
return due
