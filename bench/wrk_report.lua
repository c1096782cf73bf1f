-- wrk script for bench/run.py: prints one line of JSON with the counts and latency
-- percentiles (wrk measures latency in microseconds).
--
-- No response() function: with one, wrk parses every response and copies its headers and
-- body into Lua, which costs the client time per byte on the cores the server shares, so
-- large pages would measure slower than the server makes them. Failed answers are counted
-- by wrk itself (summary.errors.status: every status of 400 or more); bench/run.py checks
-- the mean size of the answers against the page it checked first, which catches redirects.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "non_200": %d, ' ..
    '"last_bad_status": %d, "errors": {"connect": %d, "read": %d, "write": %d, ' ..
    '"timeout": %d}, "latency_us": {"mean": %.1f, "max": %d, "p50": %d, "p95": %d, ' ..
    '"p99": %d}}\n',
    summary.requests, summary.duration, summary.bytes, e.status, 0,
    e.connect, e.read, e.write, e.timeout,
    latency.mean, latency.max, latency:percentile(50), latency:percentile(95),
    latency:percentile(99)))
end
