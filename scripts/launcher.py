#!/usr/bin/env python3
"""Runs Mobilní klíč on this machine as separate processes on loopback.

One launcher for the run command (scripts/run.sh) and the system tests (Tests/System):

- a private PostgreSQL cluster in DATA/pgdata (initdb as the unprivileged user `mkpg` when run as
  root, since initdb refuses root), created on first use and kept;
- each service's own login role and schema (the role's search_path is its schema), then
  `<service> migrate` as that role;
- device-registry, preferences, bok and the gateway as separate processes with their environment
  (addresses, event subscribers, BOK pepper and HPKE key generated on first run into DATA/secrets,
  the development identity provider, caller credentials for a demo office, authority and identity
  provider, and the development CA's certificates for mutual TLS when scripts/lib/dev-ca.sh exists);
- waits for each `/readyz`; stops any process by its pid (SIGTERM, or SIGKILL for fault tests) and
  restarts it; every process's output is appended to DATA/logs/<name>.log.

Commands:
  launcher.py run --bin DIR [--data DIR]     the run command: start, seed demo data, wait for Ctrl-C
  launcher.py smtp-sink DIR PORT             a loopback SMTP server storing messages in DIR
  launcher.py sms-sink DIR PORT              a loopback SMS provider storing requests in DIR

Python 3.11 standard library only (aiosmtpd for the SMTP sink).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SERVICES = ("device-registry", "preferences", "bok", "gateway")
DATABASES = {
    "device-registry": ("mk_registry", "registry"),
    "preferences": ("mk_preferences", "preferences"),
    "bok": ("mk_bok", "bok"),
}
# The ports of deploy/README.md: (RPC or HTTP, admin).
STANDARD_PORTS = {
    "device-registry": (7101, 9101),
    "preferences": (7201, 9201),
    "bok": (7301, 9301),
    "gateway": (8080, 9080),
}

DEMO_OFFICE = ("office", "mu-brno", "Magistrát města Brna")
DEMO_AUTHORITY = ("authority", "cssz", "Česká správa sociálního zabezpečení")
DEMO_IDP = ("identity-provider", "nia", "Národní bod pro identifikaci a autentizaci")


class LaunchError(Exception):
    """Something the launcher could not do; the message says what and where to look."""


def log(message: str) -> None:
    print(message, flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def wait_for_port(port: int, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise LaunchError(f"process {process.pid} exited with {process.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise LaunchError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f} s")


# MARK: - PostgreSQL


def _is_root() -> bool:
    return os.geteuid() == 0


def _pg_bindir() -> Path:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    if not candidates:
        raise LaunchError("PostgreSQL server binaries not found under /usr/lib/postgresql (install postgresql)")
    return candidates[-1]


class Postgres:
    """A private cluster on 127.0.0.1, owned by `mkpg` when we are root (initdb refuses root)."""

    def __init__(self, data_dir: Path, port: int, log_file: Path, fsync: bool = True):
        self.data_dir = data_dir
        self.port = port
        self.log_file = log_file
        self.fsync = fsync
        self.bindir = _pg_bindir()
        self.owner = "mkpg" if _is_root() else _current_user()

    @property
    def admin_url(self) -> str:
        return f"postgresql://{self.owner}@127.0.0.1:{self.port}/postgres"

    def _as_owner(self, argv: list[str]) -> list[str]:
        if not _is_root():
            return argv
        if subprocess.run(["id", "mkpg"], capture_output=True).returncode != 0:
            subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "mkpg"], check=True)
        return ["runuser", "-u", "mkpg", "--"] + argv

    def _chown(self, path: Path) -> None:
        if _is_root():
            shutil.chown(path, user="mkpg")

    def initialise(self) -> None:
        if (self.data_dir / "PG_VERSION").exists():
            return
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._as_owner(["true"])
        if _is_root():
            subprocess.run(["chown", "-R", "mkpg", str(self.data_dir)], check=True)
        os.chmod(self.data_dir, 0o700)
        result = subprocess.run(
            self._as_owner([str(self.bindir / "initdb"), f"--pgdata={self.data_dir}", "--auth=trust",
                            "--encoding=UTF8", "--locale=C.UTF-8", f"--username={self.owner}"]),
            capture_output=True, text=True)
        if result.returncode != 0:
            raise LaunchError(f"initdb failed:\n{result.stdout}\n{result.stderr}")

    def running(self) -> bool:
        result = subprocess.run(self._as_owner([str(self.bindir / "pg_ctl"), f"--pgdata={self.data_dir}", "status"]),
                                capture_output=True)
        return result.returncode == 0

    def running_port(self) -> int | None:
        try:
            lines = (self.data_dir / "postmaster.pid").read_text().splitlines()
            return int(lines[3])
        except (OSError, IndexError, ValueError):
            return None

    def start(self, timeout: float = 90) -> None:
        self.initialise()
        if self.running():
            port = self.running_port()
            if port:
                self.port = port
            return
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        self.log_file.touch()
        self._chown(self.log_file)
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.data_dir} -c max_connections=300 "
                   f"-c fsync={'on' if self.fsync else 'off'}")
        result = subprocess.run(
            self._as_owner([str(self.bindir / "pg_ctl"), f"--pgdata={self.data_dir}", f"--log={self.log_file}",
                            "--wait", f"--timeout={int(timeout)}", f"--options={options}", "start"]),
            capture_output=True, text=True)
        if result.returncode != 0:
            tail = _tail(self.log_file, 20)
            raise LaunchError(f"PostgreSQL did not start:\n{result.stdout}{result.stderr}\n{tail}")

    def stop(self, mode: str = "fast", timeout: float = 60) -> None:
        """Stops the cluster: `fast` (clean) or `immediate` (like a crash, for fault tests)."""
        if not (self.data_dir / "postmaster.pid").exists():
            return
        subprocess.run(
            self._as_owner([str(self.bindir / "pg_ctl"), f"--pgdata={self.data_dir}", f"--mode={mode}", "--wait",
                            f"--timeout={int(timeout)}", "stop"]),
            capture_output=True)

    def psql(self, sql: str, variables: dict[str, str] | None = None, url: str | None = None) -> str:
        argv = ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", url or self.admin_url]
        for name, value in (variables or {}).items():
            argv += ["-v", f"{name}={value}"]
        result = subprocess.run(argv, input=sql, capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise LaunchError(f"psql failed: {result.stderr.strip()}")
        return result.stdout


def _current_user() -> str:
    import pwd

    return pwd.getpwuid(os.geteuid()).pw_name


def _tail(path: Path, lines: int) -> str:
    try:
        return "".join(path.read_text(errors="replace").splitlines(keepends=True)[-lines:])
    except OSError:
        return ""


# One role and schema per service: the role owns its schema, has it as search_path and reaches nothing
# else. Variables carry every value, so nothing is spliced into SQL text.
PROVISION_SQL = r"""
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', :'role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I PASSWORD %L', :'role', :'password') \gexec
SELECT format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', :'schema', :'role') \gexec
SELECT format('ALTER SCHEMA %I OWNER TO %I', :'schema', :'role') \gexec
SELECT format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', :'schema') \gexec
REVOKE ALL ON SCHEMA public FROM PUBLIC;
SELECT format('ALTER ROLE %I SET search_path TO %I', :'role', :'schema') \gexec
"""


# MARK: - The system


@dataclass
class Ports:
    rpc: dict[str, int]
    admin: dict[str, int]
    postgres: int

    @staticmethod
    def standard(postgres: int) -> "Ports":
        return Ports({n: p[0] for n, p in STANDARD_PORTS.items()}, {n: p[1] for n, p in STANDARD_PORTS.items()}, postgres)

    @staticmethod
    def free() -> "Ports":
        taken: set[int] = set()

        def pick() -> int:
            while True:
                port = free_port()
                if port not in taken:
                    taken.add(port)
                    return port

        return Ports({n: pick() for n in SERVICES}, {n: pick() for n in SERVICES}, pick())


@dataclass
class Caller:
    kind: str
    id: str
    name: str
    secret: str

    @property
    def basic(self) -> str:
        return "Basic " + base64.b64encode(f"{self.id}:{self.secret}".encode()).decode()


@dataclass
class System:
    """The whole system under one data folder. Every process it starts is tracked by pid."""

    bin_dir: Path
    data: Path
    ports: Ports
    smtp_port: int | None = None
    sms_port: int | None = None
    log_level: str = "info"
    pg_fsync: bool = True
    # Extra environment per process name (tests shorten delivery polling, relax limits, ...).
    service_env: dict[str, dict[str, str]] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    tls: bool = False

    def __post_init__(self) -> None:
        self.data = self.data.resolve()
        self.bin_dir = Path(self.bin_dir).resolve()
        self.logs = self.data / "logs"
        self.secrets = self.data / "secrets"
        self.tls_dir = self.data / "tls"
        self.run_dir = self.data / "run"
        self.postgres = Postgres(self.data / "pgdata", self.ports.postgres, self.logs / "postgresql.log", self.pg_fsync)
        self.callers: dict[str, Caller] = {}
        self.database_urls: dict[str, str] = {}

    # MARK: addresses

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.rpc['gateway']}"

    def admin_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports.admin[name]}"

    def binary(self, name: str) -> Path:
        return self.bin_dir / name

    # MARK: preparation

    def prepare(self) -> None:
        """Folders, secrets, certificates, PostgreSQL, roles and migrations; idempotent."""
        for directory in (self.data, self.logs, self.secrets, self.run_dir):
            directory.mkdir(parents=True, exist_ok=True)
        os.chmod(self.data, 0o755)  # the cluster's owner (mkpg) must reach pgdata and its log
        os.chmod(self.secrets, 0o700)
        for name in SERVICES + ("mk-simulator",):
            if not self.binary(name).exists():
                raise LaunchError(f"{self.binary(name)} is missing; build first (swift build)")
        self._stop_stale()
        self._ensure_secrets()
        self._ensure_tls()
        self.postgres.start()
        self.ports.postgres = self.postgres.port
        for name, (role, schema) in DATABASES.items():
            password = self._secret_file(f"{role}.password", lambda: secrets.token_hex(24))
            self.postgres.psql(PROVISION_SQL, {"role": role, "schema": schema, "password": password})
            self.database_urls[name] = f"postgresql://{role}:{password}@127.0.0.1:{self.postgres.port}/postgres"
        for name in DATABASES:
            self.migrate(name)

    def _secret_file(self, name: str, make) -> str:
        path = self.secrets / name
        if not path.exists():
            value = make()
            temporary = path.with_suffix(".tmp")
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(value)
            os.rename(temporary, path)
        return path.read_text().strip()

    def _ensure_secrets(self) -> None:
        self._secret_file("bok-pepper", lambda: "dev1:" + base64.b64encode(secrets.token_bytes(32)).decode() + "\n")
        self._secret_file("bok-hpke-key", lambda: base64.b64encode(_p256_scalar()).decode() + "\n")
        self._secret_file("session-secret", lambda: secrets.token_urlsafe(48))
        self._secret_file("sms-token", lambda: secrets.token_urlsafe(24))
        callers_text = self._secret_file("callers.json", lambda: json.dumps(
            [{"kind": k, "id": i, "name": n, "secret": secrets.token_urlsafe(18)}
             for k, i, n in (DEMO_OFFICE, DEMO_AUTHORITY, DEMO_IDP)], ensure_ascii=False, indent=1))
        callers = [Caller(**entry) for entry in json.loads(callers_text)]
        self.callers = {caller.kind: caller for caller in callers}
        gateway_file = {"callers": [
            {"kind": c.kind, "id": c.id, "name": c.name, "secretSha256": hashlib.sha256(c.secret.encode()).hexdigest()}
            for c in callers]}
        (self.secrets / "caller-credentials.json").write_text(json.dumps(gateway_file, ensure_ascii=False, indent=1))

    def _ensure_tls(self) -> None:
        """The development CA's certificates, when the colleague's scripts/lib/dev-ca.sh exists."""
        script = ROOT / "scripts" / "lib" / "dev-ca.sh"
        if os.environ.get("MK_RPC_PLAINTEXT") == "1" or not script.exists() or shutil.which("openssl") is None:
            self.tls = False
            return
        result = subprocess.run(["bash", str(script), str(self.tls_dir)], capture_output=True, text=True)
        if result.returncode != 0:
            raise LaunchError(f"dev-ca.sh failed: {result.stderr.strip()}")
        self.tls = all((self.tls_dir / f"{n}.pem").exists() for n in SERVICES)

    def migrate(self, name: str) -> None:
        with open(self.logs / f"{name}.log", "ab") as output:
            output.write(f"=== {name} migrate at {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode())
            output.flush()
            result = subprocess.run([str(self.binary(name)), "migrate"], env=self.environment(name),
                                    stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, timeout=180)
        if result.returncode != 0:
            raise LaunchError(f"{name} migrate failed (exit {result.returncode}):\n{_tail(self.logs / f'{name}.log', 15)}")

    # MARK: environment

    def environment(self, name: str) -> dict[str, str]:
        environment = {key: value for key, value in os.environ.items()
                       if key in ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "USER")}
        environment["LOG_LEVEL"] = self.log_level
        rpc = {n: f"127.0.0.1:{p}" for n, p in self.ports.rpc.items()}
        environment["LISTEN_ADDR"] = rpc[name]
        environment["ADMIN_ADDR"] = f"127.0.0.1:{self.ports.admin[name]}"
        if self.tls:
            environment["RPC_TLS_CERT_FILE"] = str(self.tls_dir / f"{name}.pem")
            environment["RPC_TLS_KEY_FILE"] = str(self.tls_dir / f"{name}.key")
            environment["RPC_TLS_CA_FILE"] = str(self.tls_dir / "ca.pem")
        else:
            environment["RPC_PLAINTEXT"] = "true"
        if name in DATABASES:
            environment["DATABASE_URL"] = self.database_urls[name]
        if name == "device-registry":
            # Preferences applies the key events; it learns of sign-ins from the hook itself.
            environment["EVENT_SUBSCRIBERS"] = (
                f"preferences={rpc['preferences']}/DEVICE_PAIRED+DEVICE_RENAMED+DEVICE_UNPAIRED")
        elif name == "preferences":
            if self.smtp_port:
                environment.update(SMTP_URL=f"smtp://127.0.0.1:{self.smtp_port}", SMTP_STARTTLS="false",
                                   SMTP_FROM="notifikace@mobilni-klic.example.cz", SMTP_TIMEOUT_MS="10000")
            if self.sms_port:
                environment.update(SMS_API_URL=f"http://127.0.0.1:{self.sms_port}/v1/messages",
                                   SMS_API_TOKEN=(self.secrets / "sms-token").read_text().strip(),
                                   SMS_TIMEOUT_MS="10000")
        elif name == "bok":
            environment.update(
                DEVICE_REGISTRY_ADDR=rpc["device-registry"], PREFERENCES_ADDR=rpc["preferences"],
                EVENT_SUBSCRIBERS=f"preferences={rpc['preferences']}",
                BOK_PEPPER_FILE=str(self.secrets / "bok-pepper"), BOK_HPKE_KEY_FILE=str(self.secrets / "bok-hpke-key"))
        elif name == "gateway":
            environment.update(
                DEVICE_REGISTRY_ADDR=rpc["device-registry"], PREFERENCES_ADDR=rpc["preferences"], BOK_ADDR=rpc["bok"],
                DEV_IDENTITY_PROVIDER="true", COOKIE_SECURE="false",
                SESSION_SECRET=(self.secrets / "session-secret").read_text().strip(),
                CALLER_CREDENTIALS_FILE=str(self.secrets / "caller-credentials.json"))
        environment.update(self.service_env.get(name, {}))
        return environment

    # MARK: processes

    def start(self, name: str, wait: bool = True, timeout: float = 90) -> subprocess.Popen:
        """Starts a service (its `serve`), appending its output to logs/<name>.log."""
        if name in self.processes and self.processes[name].poll() is None:
            raise LaunchError(f"{name} already runs (pid {self.processes[name].pid})")
        argv = [str(self.binary(name))] + (["serve"] if name in DATABASES else [])
        return self._spawn(name, argv, self.environment(name), wait, timeout)

    def _spawn(self, name: str, argv: list[str], environment: dict[str, str], wait: bool, timeout: float,
               port: int | None = None) -> subprocess.Popen:
        output = open(self.logs / f"{name}.log", "ab")
        output.write(f"=== {name} started at {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode())
        output.flush()
        # A session of its own: a Ctrl-C in the terminal reaches only the launcher, which then stops
        # every process in order.
        process = subprocess.Popen(argv, env=environment, stdout=output, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True, cwd=self.data)
        output.close()
        self.processes[name] = process
        (self.run_dir / f"{name}.pid").write_text(json.dumps({"pid": process.pid, "argv": argv}) + "\n")
        if wait:
            if port is not None:
                wait_for_port(port, timeout, process)
            else:
                self.wait_ready(name, timeout)
        return process

    def start_peer(self, name: str, argv: list[str], port: int, timeout: float = 30) -> subprocess.Popen:
        """Starts a helper process (a local SMTP or SMS peer) tracked like a service."""
        environment = dict(os.environ)
        return self._spawn(name, argv, environment, True, timeout, port=port)

    def wait_ready(self, name: str, timeout: float = 90) -> None:
        """Waits until `/readyz` answers 200; fails early when the process exits."""
        process = self.processes.get(name)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process is not None and process.poll() is not None:
                raise LaunchError(f"{name} exited with {process.returncode}; last log lines:\n"
                                  f"{_tail(self.logs / f'{name}.log', 25)}")
            if self.ready(name):
                return
            time.sleep(0.2)
        raise LaunchError(f"{name} not ready after {timeout:.0f} s; last log lines:\n{_tail(self.logs / f'{name}.log', 25)}")

    def ready(self, name: str) -> bool:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.ports.admin[name], timeout=2)
            connection.request("GET", "/readyz")
            status = connection.getresponse().status
            connection.close()
            return status == 200
        except (OSError, http.client.HTTPException):
            return False

    def alive(self, name: str) -> bool:
        process = self.processes.get(name)
        return process is not None and process.poll() is None

    def pid(self, name: str) -> int:
        return self.processes[name].pid

    def stop(self, name: str, sig: int = signal.SIGTERM, timeout: float = 20) -> int | None:
        """Stops one process by its pid: `sig` (SIGTERM drains, SIGKILL for fault tests), then SIGKILL
        after `timeout`. Returns its exit status."""
        process = self.processes.get(name)
        if process is None:
            return None
        if process.poll() is None:
            try:
                os.kill(process.pid, sig)
            except ProcessLookupError:
                pass
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        (self.run_dir / f"{name}.pid").unlink(missing_ok=True)
        with open(self.logs / f"{name}.log", "ab") as output:
            output.write(f"=== {name} (pid {process.pid}) ended with {process.returncode} "
                         f"at {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode())
        return process.returncode

    def kill(self, name: str) -> None:
        """`kill -9` by pid."""
        self.stop(name, signal.SIGKILL)

    def restart(self, name: str, sig: int = signal.SIGTERM, timeout: float = 90) -> None:
        self.stop(name, sig)
        self.start(name, timeout=timeout)

    def start_all(self) -> None:
        """Starts the three services, then the gateway. Mutual TLS needs every process to read the
        RPC_TLS_* variables; when a service does not (yet), everything runs plaintext on loopback
        rather than half the connections failing their handshakes."""
        services = [name for name in SERVICES if name in DATABASES]
        for name in services:
            self.start(name, wait=False)
        for name in services:
            self.wait_ready(name)
        if self.tls:
            plaintext = [name for name in services if not self.speaks_tls(name)]
            if plaintext:
                log(f"Note: {', '.join(plaintext)} do not read RPC_TLS_* yet; all RPC runs plaintext on loopback")
                self.tls = False
                for name in services:
                    self.stop(name)
                for name in services:
                    self.start(name, wait=False)
                for name in services:
                    self.wait_ready(name)
        self.start("gateway")

    def speaks_tls(self, name: str) -> bool:
        """Whether the service's RPC port completes a mutual-TLS handshake with a development certificate."""
        try:
            RPCConnection(self.ports.rpc[name], self.tls_dir, timeout=3).close()
            return True
        except (OSError, ssl.SSLError):
            return False

    def stop_all(self, stop_postgres: bool = True) -> None:
        """Stops the gateway first, then the services and peers, each by pid, then PostgreSQL."""
        order = ["gateway", "bok", "device-registry", "preferences"]
        order += [name for name in self.processes if name not in order]
        for name in order:
            if name in self.processes:
                self.stop(name)
        if stop_postgres:
            self.postgres.stop("fast")

    def _stop_stale(self) -> None:
        """Stops processes a previous launcher on this data folder left behind (it was killed), by
        the pid it recorded, and only while that pid still runs the recorded command line."""
        for record in self.run_dir.glob("*.pid"):
            try:
                saved = json.loads(record.read_text())
                pid = int(saved["pid"])
                running = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[:-1]
            except (OSError, ValueError, KeyError, TypeError):
                record.unlink(missing_ok=True)
                continue
            if [part.decode(errors="replace") for part in running] == saved["argv"]:
                log(f"Stopping {record.stem} (pid {pid}) left by an earlier run")
                try:
                    os.kill(pid, signal.SIGTERM)
                    for _ in range(150):
                        os.kill(pid, 0)
                        time.sleep(0.1)
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            record.unlink(missing_ok=True)


_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def _p256_scalar() -> bytes:
    """A uniformly random valid P-256 private scalar (1 ≤ k < n), 32 bytes big-endian."""
    while True:
        candidate = secrets.token_bytes(32)
        if 0 < int.from_bytes(candidate, "big") < _P256_ORDER:
            return candidate


# MARK: - RPC (length-prefixed mk.rpc.v1.Envelope, proto/README.md)


def pb_varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def pb_field(number: int, value) -> bytes:
    """A varint (int) or length-delimited (bytes/str) field; zero and empty values are omitted."""
    if isinstance(value, int):
        return pb_varint(number << 3) + pb_varint(value) if value else b""
    data = value.encode() if isinstance(value, str) else bytes(value)
    return pb_varint((number << 3) | 2) + pb_varint(len(data)) + data if data else b""


def pb_parse(data: bytes) -> dict[int, list]:
    fields: dict[int, list] = {}
    index = 0

    def varint() -> int:
        nonlocal index
        shift = result = 0
        while True:
            byte = data[index]
            index += 1
            result |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return result
            shift += 7

    while index < len(data):
        key = varint()
        number, wire = key >> 3, key & 7
        if wire == 0:
            value = varint()
        elif wire == 2:
            length = varint()
            value = data[index:index + length]
            index += length
        elif wire == 1:
            value = data[index:index + 8]
            index += 8
        elif wire == 5:
            value = data[index:index + 4]
            index += 4
        else:
            raise ValueError(f"wire type {wire}")
        fields.setdefault(number, []).append(value)
    return fields


@dataclass
class RPCResult:
    code: int
    message: str
    reason: str
    payload: bytes


class RPCConnection:
    """One RPC connection to a service port, mutual TLS when `tls_dir` is given (as `identity`)."""

    def __init__(self, port: int, tls_dir: Path | None = None, identity: str = "gateway", timeout: float = 5):
        raw = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        if tls_dir is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.load_verify_locations(str(tls_dir / "ca.pem"))
            context.load_cert_chain(str(tls_dir / f"{identity}.pem"), str(tls_dir / f"{identity}.key"))
            raw = context.wrap_socket(raw, server_hostname="127.0.0.1")
        self.socket = raw
        self.next_id = 1

    def close(self) -> None:
        try:
            self.socket.close()
        except OSError:
            pass

    def _read(self, count: int) -> bytes:
        data = b""
        while len(data) < count:
            chunk = self.socket.recv(count - len(data))
            if not chunk:
                raise ConnectionError("the server closed the connection")
            data += chunk
        return data

    def call(self, method: str, payload: bytes = b"", timeout: float = 5, caller: str = "launcher") -> RPCResult:
        call_id = self.next_id
        self.next_id += 1
        envelope = (pb_field(1, 1) + pb_field(2, call_id) + pb_field(3, method) + pb_field(4, int(timeout * 1_000_000))
                    + pb_field(5, pb_field(2, caller)) + pb_field(6, payload))
        self.socket.settimeout(timeout + 2)
        self.socket.sendall(struct.pack(">I", len(envelope)) + envelope)
        while True:
            (length,) = struct.unpack(">I", self._read(4))
            fields = pb_parse(self._read(length))
            if fields.get(2, [0])[0] != call_id:
                continue
            status = pb_parse(fields.get(7, [b""])[0])
            return RPCResult(status.get(1, [0])[0], status.get(2, [b""])[0].decode(errors="replace"),
                             status.get(3, [b""])[0].decode(errors="replace"), fields.get(6, [b""])[0])


def rpc_call(system: System, service: str, method: str, payload: bytes = b"", timeout: float = 5) -> RPCResult:
    """One call to `service` over mutual TLS (as the gateway) when the system uses it, else plaintext;
    falls back to plaintext when the server does not speak TLS (services not yet wired for it)."""
    attempts = [system.tls_dir, None] if system.tls else [None]
    last: Exception | None = None
    for tls_dir in attempts:
        try:
            connection = RPCConnection(system.ports.rpc[service], tls_dir, timeout=timeout)
        except (OSError, ssl.SSLError) as error:
            last = error
            continue
        try:
            return connection.call(method, payload, timeout)
        except (OSError, ssl.SSLError, ConnectionError, struct.error) as error:
            last = error
        finally:
            connection.close()
    raise LaunchError(f"RPC {method} to {service} failed: {last}")


def rpc_security_in_use(system: System, service: str = "device-registry") -> str:
    """What the running service really speaks: "mutual TLS" or "plaintext"."""
    return "mutual TLS" if system.tls and system.speaks_tls(service) else "plaintext"


def health_check(system: System, service: str, timeout: float = 5) -> bool:
    """`mk.rpc.v1.Health/Check` on the service's RPC port answers SERVING."""
    try:
        result = rpc_call(system, service, "mk.rpc.v1.Health/Check", b"", timeout)
    except LaunchError:
        return False
    return result.code == 0 and pb_parse(result.payload).get(1, [0])[0] == 1


# MARK: - HTTP clients of the gateway


class HTTPError(Exception):
    def __init__(self, status: int, body: bytes, what: str):
        super().__init__(f"{what}: HTTP {status} {body[:300]!r}")
        self.status = status
        self.body = body

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return {}


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def json(self):
        return json.loads(self.body) if self.body else None

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


def http_request(base: str, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                 timeout: float = 30) -> Response:
    parsed = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Response(response.status, response.getheaders(), response.read())
    finally:
        connection.close()


class Citizen:
    """A citizen's browser session at the portal, signed in through the development identity provider."""

    def __init__(self, base: str, subject: str, timeout: float = 30):
        self.base = base
        self.subject = subject
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def _store_cookies(self, response: Response) -> None:
        for key, value in response.headers:
            if key.lower() != "set-cookie":
                continue
            pair = value.split(";", 1)[0]
            name, _, content = pair.partition("=")
            if content == "" or "max-age=0" in value.lower():
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = content

    def request(self, method: str, path: str, json_body=None, form: dict | None = None,
                headers: dict | None = None) -> Response:
        all_headers = dict(headers or {})
        body = None
        if json_body is not None:
            body = json.dumps(json_body).encode()
            all_headers["Content-Type"] = "application/json"
        elif form is not None:
            body = urllib.parse.urlencode(form).encode()
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        if method not in ("GET", "HEAD") and self.csrf:
            all_headers.setdefault("X-CSRF-Token", self.csrf)
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = http_request(self.base, method, path, body, all_headers, self.timeout)
        self._store_cookies(response)
        return response

    def api(self, method: str, path: str, json_body=None, expect=(200,), query: str = ""):
        response = self.request(method, path + query, json_body=json_body)
        if response.status not in expect:
            raise HTTPError(response.status, response.body, f"{method} {path}")
        return response.json()

    def sign_in(self, patience: float = 70) -> "Citizen":
        """The development sign-in: the portal's sign-in page, then the identity provider's form."""
        deadline = time.monotonic() + patience
        while True:
            self.cookies.clear()
            page = self.request("GET", "/prihlaseni")
            match = re.search(r"nonce=([A-Za-z0-9_\-]+)", page.body.decode(errors="replace"))
            if page.status != 200 or not match:
                raise HTTPError(page.status, page.body, "GET /prihlaseni (no development sign-in link)")
            done = self.request("POST", "/dev-idp", form={"subject": self.subject, "nonce": match.group(1)})
            if done.status == 429 and time.monotonic() < deadline:
                time.sleep(3)
                continue
            if done.status not in (302, 303) or "/mobilni-klice" not in (done.header("Location") or ""):
                raise HTTPError(done.status, done.body, f"development sign-in of {self.subject}")
            break
        self.csrf = self.api("GET", "/api/v1/session")["csrfToken"]
        return self

    def start_pairing(self, patience: float = 30) -> dict:
        return retry_rate_limited(lambda: self.api("POST", "/api/v1/pairings", expect=(201,)), patience)

    def keys(self) -> list[dict]:
        return self.api("GET", "/api/v1/keys")["keys"]


def retry_rate_limited(action, patience: float):
    """Runs `action`, waiting and retrying while the gateway answers 429 (its limits are per
    loopback address in these tools), for at most `patience` seconds."""
    deadline = time.monotonic() + patience
    while True:
        try:
            return action()
        except HTTPError as error:
            if error.status != 429 or time.monotonic() >= deadline:
                raise
        except SimulatorFailed as error:
            if error.status != 429 or time.monotonic() >= deadline:
                raise
        time.sleep(3)


class SimulatorFailed(Exception):
    def __init__(self, status: int, output: str):
        super().__init__(f"mk-simulator failed (HTTP {status}): {output.strip()[-500:]}")
        self.status = status
        self.output = output


class Simulator:
    """The mobile key simulator (`mk-simulator`), one state file per simulated key."""

    def __init__(self, binary: Path, gateway: str, state: Path):
        self.binary = binary
        self.gateway = gateway
        self.state = state
        self.device_id = ""
        if state.exists():
            try:
                self.device_id = json.loads(state.read_text())["deviceID"]
            except (OSError, ValueError, KeyError):
                pass

    def run(self, *arguments: str, timeout: float = 60):
        argv = [str(self.binary), arguments[0], "--gateway", self.gateway, "--state", str(self.state), *arguments[1:]]
        try:
            result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as error:
            raise SimulatorFailed(0, f"timed out after {timeout} s: {error}") from None
        if result.returncode != 0:
            match = re.search(r"HTTP (\d{3})", result.stderr + result.stdout)
            raise SimulatorFailed(int(match.group(1)) if match else 0, result.stderr + result.stdout)
        lines = [line for line in result.stdout.splitlines() if line.strip()]
        return json.loads(lines[-1]) if lines else None

    def pair(self, code: str, name: str, model: str, patience: float = 70) -> str:
        self.state.parent.mkdir(parents=True, exist_ok=True)
        output = retry_rate_limited(lambda: self.run("pair", code, "--name", name, "--model", model), patience)
        self.device_id = output["deviceId"]
        return self.device_id

    def inbox(self, wait: int = 0) -> list[dict]:
        return self.run("inbox", "--wait", str(wait), timeout=wait + 60)

    def ack(self, message_ids: list[str]) -> int:
        return self.run("ack", *message_ids)["acknowledged"]

    def prompts(self) -> list[dict]:
        return self.run("prompts")

    def answer(self, counter_code: str, bok: str, request_id: str | None = None) -> dict:
        arguments = ["answer", "--counter-code", counter_code, "--bok", bok]
        if request_id:
            arguments += ["--request", request_id]
        return retry_rate_limited(lambda: self.run(*arguments), 70)

    def not_me(self, device_id: str, message_id: str | None = None) -> bool:
        arguments = ["not-me", device_id] + (["--message", message_id] if message_id else [])
        return self.run(*arguments)["unpaired"]


def pair_key(system: System, citizen: Citizen, state: Path, name: str, model: str) -> Simulator:
    """Pairs a new simulated key: the portal issues an activation code, the simulator redeems it, the
    portal sees the pairing completed."""
    pairing = citizen.start_pairing()
    simulator = Simulator(system.binary("mk-simulator"), system.gateway_url, state)
    simulator.pair(pairing["activationCode"], name, model)
    status = citizen.api("GET", f"/api/v1/pairings/{pairing['pairingId']}")
    if status.get("state") != "COMPLETED" or status.get("deviceId") != simulator.device_id:
        raise LaunchError(f"pairing not completed: {status}")
    return simulator


def authority_post(system: System, path: str, body: dict, idempotency_key: str, timeout: float = 30) -> Response:
    caller = system.callers["authority"]
    return http_request(system.gateway_url, "POST", path, json.dumps(body).encode(),
                        {"Authorization": caller.basic, "Content-Type": "application/json",
                         "Idempotency-Key": idempotency_key}, timeout)


def caller_request(system: System, kind: str, method: str, path: str, body: dict | None = None,
                   timeout: float = 30, headers: dict | None = None) -> Response:
    all_headers = {"Authorization": system.callers[kind].basic}
    all_headers.update(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        all_headers["Content-Type"] = "application/json"
    return http_request(system.gateway_url, method, path, data, all_headers, timeout)


def set_bok(system: System, subject: str, code: str) -> str:
    """Sets a citizen's BOK as the demo office through the gateway's office API
    (`POST /office/v1/bok`). Returns how it was set; a BOK already set is left as it is."""
    path = "/office/v1/bok"
    response = caller_request(system, "office", "POST", path, {"subject": subject, "code": code})
    if response.status in (200, 201):
        return f"gateway {path}"
    if response.status == 409:
        return f"gateway {path} (already set)"
    raise HTTPError(response.status, response.body, f"POST {path}")


# MARK: - local peers: SMTP and SMS


def smtp_sink_main(directory: str, port: int) -> None:
    """A loopback SMTP server: each message becomes DIRECTORY/<n>.eml with X-Envelope-To."""
    import asyncio

    from aiosmtpd.controller import Controller

    Path(directory).mkdir(parents=True, exist_ok=True)

    class Recorder:
        count = 0

        async def handle_DATA(self, server, session, envelope):
            Recorder.count += 1
            path = Path(directory) / f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{Recorder.count:05d}.eml"
            header = f"X-Envelope-To: {','.join(envelope.rcpt_tos)}\r\n".encode()
            path.with_suffix(".tmp").write_bytes(header + envelope.original_content)
            path.with_suffix(".tmp").rename(path)
            return "250 OK"

    controller = Controller(Recorder(), hostname="127.0.0.1", port=port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(0.5):
        pass
    controller.stop()


def sms_sink_main(directory: str, port: int) -> None:
    """A loopback SMS provider: each POST becomes DIRECTORY/<n>.json (path, headers, body); 200."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    Path(directory).mkdir(parents=True, exist_ok=True)
    counter = {"n": 0}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = min(int(self.headers.get("Content-Length") or 0), 1 << 20)
            body = self.rfile.read(length)
            with lock:
                counter["n"] += 1
                number = counter["n"]
            record = {"path": self.path, "headers": dict(self.headers.items()), "body": body.decode(errors="replace")}
            path = Path(directory) / f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{number:05d}.json"
            path.with_suffix(".tmp").write_text(json.dumps(record, ensure_ascii=False))
            path.with_suffix(".tmp").rename(path)
            answer = json.dumps({"id": f"sms-{number}"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format, *args):
            sys.stderr.write("sms-sink: " + (format % args) + "\n")

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    server.serve_forever()


def start_peers(system: System, mail_dir: Path, sms_dir: Path) -> None:
    """The local SMTP and SMS peers Preferences delivers to (system.smtp_port / sms_port)."""
    me = [sys.executable, str(Path(__file__).resolve())]
    if system.smtp_port:
        system.start_peer("smtp-sink", me + ["smtp-sink", str(mail_dir), str(system.smtp_port)], system.smtp_port)
    if system.sms_port:
        system.start_peer("sms-sink", me + ["sms-sink", str(sms_dir), str(system.sms_port)], system.sms_port)


# MARK: - the run command


DEMO_BOK = "2468"


def seed(system: System) -> dict:
    """Demo data through the real APIs, once per data folder: Jana Nováková with two keys paired by
    the simulator (and contacts), Petr Svoboda with a BOK set by the demo office and one key to answer
    the counter with. Returns what was made (also kept in DATA/seed.json)."""
    record_path = system.data / "seed.json"
    if record_path.exists():
        return json.loads(record_path.read_text())
    simulators = system.data / "simulator"
    log("Seeding demo data through the gateway…")
    jana = Citizen(system.gateway_url, "demo-jana-novakova").sign_in()
    made: dict = {"keys": {}}
    for slug, name, model in (("jana-pixel", "Pixel 8", "Google Pixel 8"), ("jana-iphone", "iPhone 15", "Apple iPhone 15")):
        state = simulators / f"{slug}.json"
        if state.exists():
            state.unlink()  # a key from an unfinished earlier seeding is not reused
        made["keys"][slug] = pair_key(system, jana, state, name, model).device_id
    jana.api("PUT", "/api/v1/contacts", {"email": "jana.novakova@example.cz", "phone": "+420777123456"})
    petr = Citizen(system.gateway_url, "demo-petr-svoboda").sign_in()
    state = simulators / "petr-galaxy.json"
    if state.exists():
        state.unlink()
    made["keys"]["petr-galaxy"] = pair_key(system, petr, state, "Galaxy S24", "Samsung Galaxy S24").device_id
    made["bok"] = {"subject": "demo-petr-svoboda", "code": DEMO_BOK, "how": set_bok(system, "demo-petr-svoboda", DEMO_BOK)}
    record_path.write_text(json.dumps(made, indent=1))
    return made


def _shown(path: Path) -> str:
    """A path as the user can type it here: relative inside the current folder, else absolute."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def banner(system: System, seeded: dict, bin_dir: Path) -> str:
    simulator = _shown(system.binary("mk-simulator"))
    data = _shown(system.data)
    office, authority, idp = system.callers["office"], system.callers["authority"], system.callers["identity-provider"]
    gw = system.gateway_url
    security = rpc_security_in_use(system)
    if security == "mutual TLS":
        security += f" (development CA in {data}/tls)"
    else:
        security += " on loopback (RPC_PLAINTEXT=true)"
    lines = [
        "",
        "Mobilní klíč runs on loopback:",
        f"  Portal           {gw}/",
        "  Sign-in          development identity provider: open the portal, \"Přihlásit se\", pick",
        "                   Jana Nováková (2 keys), Petr Svoboda (BOK + 1 key) or Eva Dvořáková (nothing yet)",
        f"  Counter page     {gw}/prepazka   (HTTP Basic: {office.id} / {office.secret})",
        f"  Authority API    curl -u {authority.id}:{authority.secret} -H 'Idempotency-Key: demo-1' \\",
        f"                     -H 'Content-Type: application/json' {gw}/authority/v1/notifications \\",
        "                     -d '{\"subject\":\"demo-jana-novakova\",\"title\":\"Test\",\"body\":\"Dobrý den\"}'",
        f"  Login hook       curl -u {idp.id}:{idp.secret} -H 'Content-Type: application/json' {gw}/idp/v1/logins \\",
        "                     -d '{\"subject\":\"demo-jana-novakova\",\"means\":\"EOP\",\"eventId\":\"demo-login-1\"}'",
        f"  API description  {gw}/api/v1/openapi.json",
        "",
        "Mobile key simulator (one state file per key):",
        f"  {simulator} inbox --wait 20 --gateway {gw} --state {data}/simulator/jana-pixel.json",
        f"  {simulator} prompts --gateway {gw} --state {data}/simulator/petr-galaxy.json",
        f"  {simulator} answer --counter-code CODE --bok {DEMO_BOK} --gateway {gw} --state {data}/simulator/petr-galaxy.json",
        f"  pair a new key: portal → \"Připojit klíč\", then {simulator} pair CODE --gateway {gw} --state {data}/simulator/new.json",
        f"  counter demo: on the counter page start a verification for subject demo-petr-svoboda, then answer",
        f"  it with the counter code shown and Petr's BOK {DEMO_BOK}.",
        "",
        "Services (admin ports serve /healthz /readyz /metrics):",
    ]
    for name in SERVICES:
        lines.append(f"  {name:<16} {'HTTP' if name == 'gateway' else 'RPC '} 127.0.0.1:{system.ports.rpc[name]:<6} "
                     f"admin {system.admin_url(name)}   pid {system.pid(name)}")
    lines += [
        f"  PostgreSQL       {system.postgres.admin_url} (data in {data}/pgdata)",
        f"  RPC security     {security}",
        f"  E-mail and SMS   delivered to local sinks: {data}/mail/*.eml and {data}/sms/*.json",
        f"  Logs             {data}/logs/ (one file per process)",
        "",
        "Press Ctrl-C to stop everything.",
    ]
    return "\n".join(lines)


def run_command(arguments) -> int:
    data = Path(arguments.data)
    postgres_port = int(os.environ.get("MK_PG_PORT", "55499"))
    ports = Ports.standard(postgres_port)
    smtp_port = int(os.environ.get("MK_SMTP_PORT", "2525"))
    sms_port = int(os.environ.get("MK_SMS_PORT", "8025"))
    system = System(Path(arguments.bin), data, ports, smtp_port=smtp_port, sms_port=sms_port,
                    log_level=os.environ.get("LOG_LEVEL", "info"))
    stopping = threading.Event()

    def request_stop(signum, frame):
        if stopping.is_set():
            return
        stopping.set()
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, request_stop)
    # Explicitly: a launcher started in the background inherits SIGINT ignored.
    signal.signal(signal.SIGINT, request_stop)
    try:
        system.prepare()  # also stops processes a killed earlier run left behind
        busy = [f"{name} {port}" for name in SERVICES for port in (ports.rpc[name], ports.admin[name]) if not port_is_free(port)]
        busy += [f"{name} {port}" for name, port in (("smtp-sink", smtp_port), ("sms-sink", sms_port)) if not port_is_free(port)]
        if busy:
            raise LaunchError("these loopback ports are taken by another program: " + ", ".join(busy))
        start_peers(system, system.data / "mail", system.data / "sms")
        log("Starting device-registry, preferences, bok and the gateway…")
        system.start_all()
        seeded = seed(system)
        print(banner(system, seeded, Path(arguments.bin)), flush=True)
        while True:
            for name in SERVICES:
                if not system.alive(name):
                    code = system.processes[name].returncode
                    log(f"{name} exited with {code}; last log lines:\n{_tail(system.logs / f'{name}.log', 15)}")
                    log("Restarting it…")
                    system.start(name)
            time.sleep(1)
    except KeyboardInterrupt:
        log("\nStopping…")
        return_code = 0
    except (LaunchError, HTTPError, SimulatorFailed) as error:
        log(f"run: {error}")
        log(f"Logs: {system.logs}/")
        return_code = 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        system.stop_all()
    log("Stopped.")
    return return_code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="start everything, seed demo data, wait for Ctrl-C")
    run.add_argument("--bin", required=True, help="folder of the built executables (swift build --show-bin-path)")
    run.add_argument("--data", default=str(ROOT / ".data"), help="data folder (default: .data of the checkout)")
    smtp = commands.add_parser("smtp-sink")
    smtp.add_argument("directory")
    smtp.add_argument("port", type=int)
    sms = commands.add_parser("sms-sink")
    sms.add_argument("directory")
    sms.add_argument("port", type=int)
    arguments = parser.parse_args()
    if arguments.command == "run":
        return run_command(arguments)
    if arguments.command == "smtp-sink":
        smtp_sink_main(arguments.directory, arguments.port)
    elif arguments.command == "sms-sink":
        sms_sink_main(arguments.directory, arguments.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
