-- Resumes a paused campaign on one account: its requests held aside return to their queue places.
-- KEYS: 1 queue zset, 2 held zset, 3 paused-campaigns set, 4 parked hash
-- ARGV: 1 campaign id
-- Returns the number of requests returned to the queue.
redis.call('SREM', KEYS[3], ARGV[1])
local moved = 0
local held = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
for i = 1, #held, 2 do
  local rid = held[i]
  if redis.call('HGET', KEYS[4], rid .. '/campaign') == ARGV[1] then
    redis.call('ZREM', KEYS[2], rid)
    redis.call('ZADD', KEYS[1], held[i + 1], rid)
    moved = moved + 1
  end
end
return moved
