-- Renew the leases of tasks still in flight (never re-adds one that was taken back).
-- KEYS: 1 in-flight (ZSET)
-- ARGV: 1 lease until (epoch ms), 2.. request ids
local renewed = 0
for i = 2, #ARGV do
  renewed = renewed + redis.call('ZADD', KEYS[1], 'XX', 'CH', ARGV[1], ARGV[i])
end
return renewed
