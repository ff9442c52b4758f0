-- wrk -t1 -c64 -d10s -s scripts/bench/profile/single-post.lua http://127.0.0.1:3000
-- The seed's event over 1,000 users, as the bench's single-POST legs send it.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
request = function()
  n = n + 1
  local body = '{"userId":"user-' .. (n % 1000) .. '","eventType":"LOGIN","payload":{"ip":"127.0.0.1"}}'
  return wrk.format(nil, "/events/generate", nil, body)
end
