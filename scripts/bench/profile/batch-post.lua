-- wrk -t1 -c8 -d10s -s scripts/bench/profile/batch-post.lua http://127.0.0.1:3000
-- One batch of 500 seed-like events (500 users), sent again and again.
wrk.method = "POST"
wrk.path = "/events/batch"
wrk.headers["Content-Type"] = "application/json"
local events = {}
for user = 0, 499 do
  events[#events + 1] = '{"userId":"user-' .. user .. '","eventType":"LOGIN","payload":{"ip":"127.0.0.1"}}'
end
wrk.body = '{"events":[' .. table.concat(events, ",") .. ']}'
