-- Claims due members of one sorted set for one caller, with a lease, so that N replicas of a
-- service share the work and never pick the same member at once: in the same step that picks up
-- to a limit of members scored at or before the due mark, it moves each one's score to the
-- claimed score, so no other caller picks it until the clock reaches that score again. The
-- claimant ends its claim by writing the member's next score or removing it; a claimant that dies
-- ends nothing, and the member is due again once its lease has run out. Used for
--   pending  (TaskLedger.claimForPoll: score = the task's last poll checkpoint),
--   permits  (Permits.claimExpired: score = the permit's lease expiry) and
--   outbox   (OutcomeLedger.claimUnpublished: score = when the outcome was claimed or last taken over).
-- KEYS: 1 the sorted set (one account's key, carrying its hash tag)
-- ARGV: 1 due mark (epoch ms: members scored at or before it are due),
--       2 claimed score (epoch ms: the due mark plus the lease), 3 limit
-- Returns the claimed members, lowest score first.
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, member in ipairs(due) do
  redis.call('ZADD', KEYS[1], 'XX', ARGV[2], member)
end
return due
