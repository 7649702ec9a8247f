-- Cancels the waiting requests of one account (all of them, or one campaign's): removes them from
-- the queue, the held set and the retry set and forgets their payloads; requests already in
-- dispatch or on Kling are not touched. The caller publishes a requests.failed event per id.
-- KEYS: 1 queue zset, 2 held zset, 3 delayed zset
-- ARGV: 1 parked key prefix, 2 campaign id or '' for all
-- Returns a flat list {request id, campaign id, ...}.
local cancelled = {}
for k = 1, 3 do
  for _, rid in ipairs(redis.call('ZRANGE', KEYS[k], 0, -1)) do
    local parked = ARGV[1] .. rid
    local campaign = redis.call('HGET', parked, 'campaign') or ''
    if ARGV[2] == '' or campaign == ARGV[2] then
      redis.call('ZREM', KEYS[k], rid)
      redis.call('DEL', parked)
      table.insert(cancelled, rid)
      table.insert(cancelled, campaign)
    end
  end
end
return cancelled
