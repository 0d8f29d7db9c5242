"""Runs `wrk` (Debian package) against one URL and returns what it measured as numbers.

wrk prints a human summary; the Lua `done` hook added to every script prints one line of JSON
instead (requests, errors by kind, duration, latency percentiles in µs), which is what we read.
Scenario scripts (POST bodies, per-request headers) are Lua text prepended to that hook.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

MARKER = "MKBENCH-WRK "

# wrk calls `done` once, in the main thread, after every thread stopped. status errors are
# responses with a status above 399; timeouts, connect/read/write errors never got an answer.
# `generated` sums the scenario's per-thread `counter` (requests built) when it keeps mk_threads.
_DONE = r"""
function done(summary, latency, requests)
  local e = summary.errors
  local generated = -1
  if mk_threads then
    generated = 0
    for _, thread in ipairs(mk_threads) do generated = generated + (thread:get("counter") or 0) end
  end
  io.write(string.format(
    '%s{"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,' ..
    '"timeout":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,"generated":%d}\n',
    "MKBENCH-WRK ", summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(99), latency.max, generated))
end
"""


@dataclass
class WrkResult:
    """One wrk run: completed requests, how many were not 2xx/3xx or failed, latencies in µs."""

    requests: int
    seconds: float
    status_errors: int
    socket_errors: int
    timeouts: int
    p50_us: int
    p99_us: int
    max_us: int
    generated: int = -1

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0

    @property
    def acknowledged(self) -> int:
        """Responses with a 2xx/3xx status (wrk counts every other status as a status error)."""
        return self.requests - self.status_errors

    @property
    def failures(self) -> str:
        """A short account of everything that was not a success, or "" when all were."""
        parts = []
        if self.status_errors:
            parts.append(f"{self.status_errors} non-2xx")
        if self.socket_errors:
            parts.append(f"{self.socket_errors} socket errors")
        if self.timeouts:
            parts.append(f"{self.timeouts} timeouts")
        return ", ".join(parts)


class WrkFailed(Exception):
    """wrk could not run or printed no summary; the message has its output."""


def run_wrk(url: str, seconds: int, work_dir: Path, name: str, connections: int = 64, threads: int = 2,
            headers: dict[str, str] | None = None, scenario: str = "", timeout_s: int = 10) -> WrkResult:
    """Runs `wrk -t threads -c connections -d seconds --latency` with `headers` on every request
    and the Lua `scenario` (may define setup/init/request/response), bounded by seconds + 60 s."""
    script = work_dir / f"{name}.lua"
    script.write_text(scenario + "\n" + _DONE)
    argv = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency",
            "--timeout", f"{timeout_s}s", "-s", str(script)]
    for key, value in (headers or {}).items():
        argv += ["-H", f"{key}: {value}"]
    argv.append(url)
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60,
                                stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as error:
        raise WrkFailed(f"wrk {name} did not finish within {seconds + 60} s") from error
    for line in result.stdout.splitlines():
        if line.startswith(MARKER):
            data = json.loads(line[len(MARKER):])
            return WrkResult(
                requests=data["requests"], seconds=data["duration_us"] / 1e6, status_errors=data["status"],
                socket_errors=data["connect"] + data["read"] + data["write"], timeouts=data["timeout"],
                p50_us=data["p50_us"], p99_us=data["p99_us"], max_us=data["max_us"],
                generated=data["generated"])
    raise WrkFailed(f"wrk {name} printed no summary (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")
