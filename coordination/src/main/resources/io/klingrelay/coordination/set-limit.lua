-- Sets the cap of an account's limit: the 'configured' field of its limit hash, which take.lua,
-- retry-later.lua and record-task.lua read (the effective limit climbs back up to it after 1303s).
-- Two sources write it: every submitter at start-up (the configuration's value) and an operator at
-- run time. The configuration never overrides an operator's limit (with N submitter replicas one of
-- them starts at any time); clearing the operator's limit goes back to the configuration's.
-- A cap below the effective limit lowers the effective limit at once.
-- KEYS: 1 limit hash
-- ARGV: 1 'configuration' | 'operator' | 'clear', 2 the limit (>= 1; ignored for 'clear')
-- Returns the cap now in force (0 when none is known).
local key = KEYS[1]
if ARGV[1] == 'configuration' then
  redis.call('HSET', key, 'from_configuration', ARGV[2])
  if not redis.call('HGET', key, 'operator_limit') then
    redis.call('HSET', key, 'configured', ARGV[2])
  end
elseif ARGV[1] == 'operator' then
  redis.call('HSET', key, 'operator_limit', ARGV[2], 'configured', ARGV[2])
elseif ARGV[1] == 'clear' then
  redis.call('HDEL', key, 'operator_limit')
  local fromConfiguration = redis.call('HGET', key, 'from_configuration')
  if fromConfiguration then
    redis.call('HSET', key, 'configured', fromConfiguration)
  end
else
  return redis.error_reply('unknown limit source ' .. ARGV[1])
end
local configured = tonumber(redis.call('HGET', key, 'configured') or '0')
local effective = tonumber(redis.call('HGET', key, 'effective') or '0')
if effective > 0 and effective >= configured then
  redis.call('HDEL', key, 'effective')
end
return configured
