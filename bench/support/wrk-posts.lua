-- wrk script of bench/support/wrk.ts: POSTs the lines of the file $BODIES as JSON bodies, each
-- line once; thread k of $THREADS takes lines k, k + THREADS, … Counts answers other than 200
-- and posts past the end of the file (the last line is sent again: the run needs more lines) —
-- unless $REPEAT is 1, when the lines are sent again from the first — and prints one line
-- `WRK {json}` at the end.
local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local bodies = {}
local sent = 0
local non200 = 0
local firstBad = 0
local exhausted = 0

function init(args)
  local n = 0
  local step = tonumber(os.getenv("THREADS"))
  for line in io.lines(os.getenv("BODIES")) do
    if n % step == id then table.insert(bodies, line) end
    n = n + 1
  end
end

function request()
  sent = sent + 1
  local body = bodies[sent]
  if body == nil then
    if os.getenv("REPEAT") == "1" then
      body = bodies[(sent - 1) % #bodies + 1]
    else
      exhausted = exhausted + 1
      body = bodies[#bodies]
    end
  end
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    if firstBad == 0 then firstBad = status end
    wrk.thread:set("non200", non200)
    wrk.thread:set("firstBad", firstBad)
  end
  if exhausted > 0 then wrk.thread:set("exhausted", exhausted) end
end

function done(summary, latency, requests)
  local bad, first, ex = 0, 0, 0
  for _, t in ipairs(threads) do
    bad = bad + (t:get("non200") or 0)
    if first == 0 then first = t:get("firstBad") or 0 end
    ex = ex + (t:get("exhausted") or 0)
  end
  io.write(string.format(
    'WRK {"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"non200":%d,"firstBadStatus":%d,"exhausted":%d,"socketErrors":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), bad, first, ex,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
