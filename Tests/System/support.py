"""Helpers of the system tests: polling, the SMTP and SMS peers' records, traffic recorders."""

from __future__ import annotations

import email
import email.policy
import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import launcher


def wait_until(condition, timeout: float, interval: float = 0.3, what: str = "condition"):
    """Polls `condition` until it returns a truthy value; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = condition()
        except (AssertionError, launcher.HTTPError, launcher.SimulatorFailed, OSError) as error:
            last = error
        else:
            if last:
                return last
        time.sleep(interval)
    raise AssertionError(f"{what} not reached within {timeout} s (last: {last!r})")


def mails(system) -> list[email.message.EmailMessage]:
    """Every message the SMTP peer accepted, oldest first."""
    folder = Path(system.mail_dir)
    found = []
    for path in sorted(folder.glob("*.eml")) if folder.exists() else []:
        found.append(email.message_from_bytes(path.read_bytes(), policy=email.policy.default))
    return found


def mail_text(message) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    return f"{message['Subject']}\n{body.get_content() if body else ''}"


def sms_requests(system) -> list[dict]:
    """Every request the SMS peer received, oldest first, with the JSON body parsed."""
    folder = Path(system.sms_dir)
    found = []
    for path in sorted(folder.glob("*.json")) if folder.exists() else []:
        record = json.loads(path.read_text())
        try:
            record["json"] = json.loads(record["body"])
        except ValueError:
            record["json"] = None
        found.append(record)
    return found


@dataclass
class Outcome:
    started: float
    elapsed: float
    status: int | None  # None: no HTTP answer (connection refused or reset)
    error: str = ""
    body: bytes = b""


@dataclass
class Traffic:
    """Background requests in a few threads until stopped; records every outcome."""

    action: callable
    threads: int = 2
    pause: float = 0.05
    outcomes: list[Outcome] = field(default_factory=list)

    def __post_init__(self):
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._workers = [threading.Thread(target=self._run, daemon=True) for _ in range(self.threads)]

    def __enter__(self):
        for worker in self._workers:
            worker.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        self._stop.set()
        for worker in self._workers:
            worker.join(timeout=60)
        assert not any(worker.is_alive() for worker in self._workers), "a traffic request hung"

    def _run(self):
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                response = self.action()
                outcome = Outcome(started, time.monotonic() - started, response.status, body=response.body)
            except Exception as error:  # noqa: BLE001 - every failure is an outcome to judge
                outcome = Outcome(started, time.monotonic() - started, None, f"{type(error).__name__}: {error}")
            with self._lock:
                self.outcomes.append(outcome)
            time.sleep(self.pause)

    def snapshot(self) -> list[Outcome]:
        with self._lock:
            return list(self.outcomes)

    def between(self, start: float, end: float) -> list[Outcome]:
        return [o for o in self.snapshot() if start <= o.started < end]


def error_code(outcome: Outcome) -> str:
    try:
        return json.loads(outcome.body)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return ""
