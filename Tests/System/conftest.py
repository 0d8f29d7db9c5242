"""System tests across processes: the whole system started by scripts/launcher.py (the launcher of
the run command) as separate processes on loopback, with a private PostgreSQL cluster, a real SMTP
server (aiosmtpd) and an SMS provider (a small HTTP server) as separate peer processes.

The binaries come from MK_BIN_DIR (default: `swift build --show-bin-path`). Every test is bounded
by SIGALRM (MK_SYSTEM_TEST_TIMEOUT, default 150 s); every process is stopped by its pid at the end.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import launcher  # noqa: E402

TEST_TIMEOUT = int(os.environ.get("MK_SYSTEM_TEST_TIMEOUT", "150"))
REQUEST_TIMEOUT_MS = 3000

# Faster delivery polling and backoff, cheap Argon2, room for many verifications and keys: the
# behaviour under test is the same, it just takes less wall time.
SERVICE_ENV = {
    "device-registry": {"MAX_ACTIVE_KEYS": "50"},
    "preferences": {"DELIVERY_POLL_MS": "200", "DELIVERY_BACKOFF_MS": "500", "DELIVERY_MAX_BACKOFF_MS": "5000"},
    "bok": {"BOK_ARGON2_MEMORY_KIB": "1024", "BOK_ARGON2_ITERATIONS": "1", "BOK_CITIZEN_LIMIT_PER_10_MIN": "200",
            "BOK_HASH_CONCURRENCY": "2"},
    "gateway": {"REQUEST_TIMEOUT_MS": str(REQUEST_TIMEOUT_MS)},
}


def _bin_dir() -> Path:
    if os.environ.get("MK_BIN_DIR"):
        return Path(os.environ["MK_BIN_DIR"])
    result = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    return Path(result.stdout.strip())


class _TestTimeout(Exception):
    pass


@pytest.fixture(autouse=True)
def _bounded(request):
    """Fails a test that runs longer than TEST_TIMEOUT seconds (nothing may hang)."""
    limit = getattr(request.node.get_closest_marker("timeout"), "args", [TEST_TIMEOUT])[0]

    def expire(signum, frame):
        raise _TestTimeout(f"{request.node.name} exceeded its {limit} s bound")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(limit)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def pytest_configure(config):
    config.addinivalue_line("markers", "timeout(seconds): this test's bound instead of the default")


@pytest.fixture(scope="session")
def system():
    """The running system, shared by all tests; each test leaves every service running."""
    data = Path(tempfile.mkdtemp(prefix="mk-system."))
    os.chmod(data, 0o755)
    ports = launcher.Ports.free()
    smtp_port, sms_port = launcher.free_port(), launcher.free_port()
    the_system = launcher.System(_bin_dir(), data, ports, smtp_port=smtp_port, sms_port=sms_port,
                                 pg_fsync=False, service_env=SERVICE_ENV)
    the_system.mail_dir = data / "mail"
    the_system.sms_dir = data / "sms"
    previous = signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(_TestTimeout("start-up exceeded 240 s")))
    signal.alarm(240)
    try:
        the_system.prepare()
        launcher.start_peers(the_system, the_system.mail_dir, the_system.sms_dir)
        the_system.start_all()
        signal.alarm(0)
        yield the_system
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        the_system.stop_all()
        artifacts = ROOT / ".test-artifacts" / "system-logs"
        shutil.rmtree(artifacts, ignore_errors=True)
        shutil.copytree(the_system.logs, artifacts, dirs_exist_ok=True)
        print(f"\nsystem-test logs: {artifacts}")
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(autouse=True)
def _services_left_running(request):
    """After each test: every service runs and is ready (a failed fault test must not take the
    following tests down with it); restarts what is not, and fails the test that left it so."""
    yield
    if "system" not in request.fixturenames:
        return
    the_system = request.getfixturevalue("system")
    if not the_system.postgres.running():
        the_system.postgres.start()
    broken = []
    for name in launcher.SERVICES:
        if not the_system.alive(name):
            broken.append(name)
            the_system.start(name)
    for name in launcher.SERVICES:
        the_system.wait_ready(name, timeout=60)
    assert not broken, f"the test left {broken} stopped"
