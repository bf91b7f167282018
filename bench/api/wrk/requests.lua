-- Replays prepared requests round-robin: one per line of $BENCH_REQUESTS,
-- "METHOD<TAB>PATH<TAB>BEARER-TOKEN<TAB>JSON-BODY" (token and body may be empty).
-- $WRK_DELAY_MS > 0 paces each connection (for the "at half of peak" runs) with a
-- random think time of that mean, drawn from an exponential distribution. A fixed
-- delay keeps the connections in lockstep: they start together, are answered together
-- and so come back together, every time, as bursts at full concurrency. Random think
-- times spread them out into the independent arrivals real clients make.
-- $WRK_COUNT_CACHE=1 also counts the answers of cached routes by their X-Cache header.
local requests = {}
local i = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

if os.getenv("WRK_COUNT_CACHE") == "1" then
  cache_hits, cache_misses = 0, 0
  function response(status, headers, body)
    local verdict = headers["x-cache"] or headers["X-Cache"]
    if verdict == "HIT" then
      cache_hits = cache_hits + 1
    elseif verdict == "MISS" then
      cache_misses = cache_misses + 1
    end
  end
end

local pace = tonumber(os.getenv("WRK_DELAY_MS") or "0")
if pace > 0 then
  function delay()
    return -pace * math.log(1 - math.random())
  end
end

function init(args)
  local f = assert(io.open(os.getenv("BENCH_REQUESTS")))
  for line in f:lines() do
    local method, path, token, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    local headers = {}
    if token ~= "" then headers["Authorization"] = "Bearer " .. token end
    if body ~= "" then headers["Content-Type"] = "application/json" else body = nil end
    requests[#requests + 1] = wrk.format(method, path, headers, body)
  end
  f:close()
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 1000)
  i = math.random(#requests)
end

function request()
  if #requests == 0 then return wrk.format() end
  i = i % #requests + 1
  return requests[i]
end

function done(summary, latency, _)
  local e = summary.errors
  local hits, misses = 0, 0
  for _, thread in ipairs(threads) do
    hits = hits + (thread:get("cache_hits") or 0)
    misses = misses + (thread:get("cache_misses") or 0)
  end
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,' ..
    '"timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"cache_hits":%d,"cache_misses":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    hits, misses))
end
