"""wrk Lua scenarios: for the write paths every request is a new event or notification with a
unique id (run prefix, wrk thread, counter), spread over the benchmark citizens at random; for the
citizen's reads, a browser's cookie jar."""

from __future__ import annotations

import json

# wrk runs `setup` in the main state once per thread (numbering them, keeping them in mk_threads for
# wrk.py's done()) and `init`/`request` in each thread's own state. wrk.format replaces
# wrk.headers when given a table, so copy them in.
_COMMON = r"""
mk_threads = {}
function setup(thread)
  table.insert(mk_threads, thread)
  thread:set("thread_number", #mk_threads)
end

counter = 0 -- global: wrk's done() reads it from every thread (the requests generated)
local headers = {}
function init(args)
  math.randomseed(thread_number * 7919 + os.time())
  for key, value in pairs(wrk.headers) do headers[key] = value end
  headers["Content-Type"] = "application/json"
end

local function subject(n)
  return string.format("%s%06d", SUBJECT_PREFIX, n)
end
"""


def _constants(**values) -> str:
    return "".join(f"local {name} = {json.dumps(value)}\n" for name, value in values.items())


def login_events(run: str, subject_prefix: str, first_keys: list[str]) -> str:
    """POST /idp/v1/logins: every other event a sign-in with the citizen's key (MOBILE_KEY, which
    also updates the key's last use), the others by EOP, bank identity or NIA ID."""
    keys = "local KEYS = {" + ",".join(json.dumps(key) for key in first_keys) + "}\n"
    return _constants(SUBJECT_PREFIX=subject_prefix, RUN=run, CITIZENS=len(first_keys)) + keys + _COMMON + r"""
local other_means = {"EOP", "BANK_IDENTITY", "NIA_ID"}
function request()
  counter = counter + 1
  local n = math.random(1, CITIZENS)
  local event = string.format("%s-%d-%d", RUN, thread_number, counter)
  local body
  if counter % 2 == 0 then
    body = string.format('{"subject":"%s","means":"MOBILE_KEY","deviceId":"%s","eventId":"%s","origin":"Praha"}',
      subject(n), KEYS[n], event)
  else
    body = string.format('{"subject":"%s","means":"%s","eventId":"%s","origin":"Praha"}',
      subject(n), other_means[counter % 3 + 1], event)
  end
  return wrk.format("POST", "/idp/v1/logins", headers, body)
end
"""


def informative_notifications(run: str, subject_prefix: str, citizens: int) -> str:
    """POST /authority/v1/notifications with a unique Idempotency-Key per request."""
    return _constants(SUBJECT_PREFIX=subject_prefix, RUN=run, CITIZENS=citizens) + _COMMON + r"""
function request()
  counter = counter + 1
  headers["Idempotency-Key"] = string.format("%s-%d-%d", RUN, thread_number, counter)
  local body = string.format(
    '{"subject":"%s","title":"Změna v evidenci","body":"Dobrý den, ve vaší evidenci došlo ke změně (%d)."}',
    subject(math.random(1, CITIZENS)), counter)
  return wrk.format("POST", "/authority/v1/notifications", headers, body)
end
"""


def browser_cookies() -> str:
    """Keeps the cookies a browser would: starts from the `Cookie` header and takes every
    `Set-Cookie` the gateway answers with, as a browser does when the session is refreshed (once a
    minute); the request is rebuilt only when a cookie changed."""
    return r"""
local jar, order = {}, {}
local cached
local function rebuild()
  local parts = {}
  for _, name in ipairs(order) do
    if jar[name] ~= "" then table.insert(parts, name .. "=" .. jar[name]) end
  end
  wrk.headers["Cookie"] = table.concat(parts, "; ")
  cached = wrk.format()
end
function init(args)
  for pair in string.gmatch(wrk.headers["Cookie"] or "", "[^;]+") do
    local name, value = string.match(pair, "^%s*([^=]+)=(.*)$")
    if name then jar[name] = value; table.insert(order, name) end
  end
  rebuild()
end
function request()
  return cached
end
function response(status, headers, body)
  local set = headers["Set-Cookie"] or headers["set-cookie"]
  if not set then return end
  local name, value = string.match(set, "^([^=]+)=([^;]*)")
  if not name or jar[name] == value then return end
  if jar[name] == nil then table.insert(order, name) end
  jar[name] = value
  rebuild()
end
"""
