-- Takes query tokens from one account's one-second window, shared by every poller instance (the
-- per-account Kling query rate limit, issue 9): a fixed-window counter on Redis' own clock (TIME),
-- so pollers on hosts with skewed clocks still share one window.
-- KEYS: 1 the account's query-rate hash (fields window = epoch second, count = tokens taken in it)
-- ARGV: 1 limit (tokens per second, >= 1), 2 tokens wanted (>= 1)
-- Returns 0 when the tokens were taken, else the milliseconds until the next window starts (1..1000).
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local window = math.floor(now / 1000)
local limit = tonumber(ARGV[1])
local wanted = tonumber(ARGV[2])
local count = 0
if tonumber(redis.call('HGET', KEYS[1], 'window') or '-1') == window then
  count = tonumber(redis.call('HGET', KEYS[1], 'count') or '0')
end
if count + wanted > limit then
  return (window + 1) * 1000 - now
end
redis.call('HSET', KEYS[1], 'window', window, 'count', count + wanted)
redis.call('PEXPIRE', KEYS[1], 2000)
return 0
