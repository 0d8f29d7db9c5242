#!/usr/bin/env python3
"""privacyIDEA 3.14 (PyPI) set up beside our benchmarks, as the alternative a user would pick.

Everything it makes lives in one temporary folder (a throwaway virtualenv with
`privacyidea==3.14.*`, `psycopg2-binary` and `gunicorn`; pi.cfg, its encryption and audit keys,
a passwd-style user file, logs) plus one database and one login role on the PostgreSQL cluster
it is given; `close()` stops gunicorn by its pid, drops that database and role and deletes the
folder, and touches nothing else. It configures an admin, a passwd-file user resolver and a realm
with one user owning a few HOTP tokens, serves the WSGI app with gunicorn (sync workers, one per
core, its defaults otherwise) on a free loopback port, and offers the request the benchmark
repeats: `GET /token/?user=…&realm=…` with the admin's JWT.

Alone (`peers/privacyidea.py ADMIN_URL [SECONDS]`) it sets up, measures that request with wrk
(64 connections, 2 threads, `--latency`) and cleans up. Python 3.11 standard library only.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

VERSION_SPEC = "privacyidea==3.14.*"
USER = "alice"
REALM = "bench"
TOKENS = 5


class PeerFailed(Exception):
    """privacyIDEA could not be installed, configured or served; the message says which step."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class PrivacyIDEA:
    """One throwaway privacyIDEA installation; use as a context manager (close() on every path)."""

    def __init__(self, admin_url: str, workers: int | None = None):
        self.admin_url = admin_url
        self.workers = workers or os.cpu_count() or 1
        self.folder = Path(tempfile.mkdtemp(prefix="mk-privacyidea."))
        self.database = f"pibench_{secrets.token_hex(4)}"
        self.role = self.database
        self.port = _free_port()
        self.server: subprocess.Popen | None = None
        self.installer: subprocess.Popen | None = None
        self.created_database = False
        self.auth_token = ""
        self.versions: dict[str, str] = {}

    # MARK: lifecycle

    def __enter__(self) -> "PrivacyIDEA":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Stops pip and gunicorn (by their pids: SIGTERM, SIGKILL after 20 s), drops what it created."""
        for process in (self.installer, self.server):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)
        if self.created_database:
            self._psql("SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', :'db') \\gexec\n"
                       "SELECT format('DROP ROLE IF EXISTS %I', :'db') \\gexec\n", check=False)
            self.created_database = False
        shutil.rmtree(self.folder, ignore_errors=True)

    # MARK: setup

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def token_list_path(self) -> str:
        return "/token/?" + urllib.parse.urlencode({"user": USER, "realm": REALM})

    @property
    def label(self) -> str:
        gunicorn = self.versions.get("gunicorn", "?")
        return f"privacyIDEA {self.versions.get('privacyIDEA', '?')} (gunicorn {gunicorn}, {self.workers} sync workers)"

    def server_pids(self) -> list[int]:
        """gunicorn's master and its workers."""
        if self.server is None:
            return []
        pids = [self.server.pid]
        children = Path(f"/proc/{self.server.pid}/task/{self.server.pid}/children")
        try:
            pids += [int(pid) for pid in children.read_text().split()]
        except OSError:
            pass
        return pids

    def begin_install(self) -> None:
        """Creates the virtualenv and starts `pip install` in the background (it mostly waits for
        the network, so the caller can prepare other things meanwhile)."""
        _log(f"privacyIDEA: creating a virtualenv in {self.folder} and installing {VERSION_SPEC} from PyPI…")
        venv = self.folder / "venv"
        self._run([sys.executable, "-m", "venv", str(venv)], "python3 -m venv", 300)
        log = open(self.folder / "pip.log", "ab")
        self.installer = subprocess.Popen(
            [str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check", VERSION_SPEC,
             "psycopg2-binary", "gunicorn"],
            env=self._environment(), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            cwd=self.folder, start_new_session=True)
        log.close()

    def finish_install(self, timeout: float = 900) -> None:
        """Waits for `pip install` (bounded) and records the installed versions."""
        assert self.installer is not None, "begin_install() first"
        try:
            code = self.installer.wait(timeout=timeout)
        except subprocess.TimeoutExpired as error:
            raise PeerFailed(f"pip install did not finish within {timeout:.0f} s") from error
        if code != 0:
            raise PeerFailed(f"pip install failed (exit {code}):\n{self._tail('pip.log')}")
        listing = self._run([str(self.folder / "venv" / "bin" / "pip"), "list", "--format=json",
                             "--disable-pip-version-check"], "pip list", 120)
        self.versions = {entry["name"]: entry["version"] for entry in json.loads(listing)}

    def configure(self) -> None:
        """Database and role, pi.cfg, keys, tables, the admin, the user file."""
        password = secrets.token_hex(16)
        self._psql("SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'db', :'pw') \\gexec\n"
                   "SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'db') \\gexec\n", {"pw": password})
        self.created_database = True
        host_port = urllib.parse.urlsplit(self.admin_url).netloc.rsplit("@", 1)[-1]
        config = self.folder / "pi.cfg"
        settings = {
            "SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg2://{self.role}:{password}@{host_port}/{self.database}",
            "SECRET_KEY": secrets.token_hex(32),
            "PI_PEPPER": secrets.token_hex(16),
            "PI_ENCFILE": str(self.folder / "enckey"),
            "PI_AUDIT_KEY_PRIVATE": str(self.folder / "private.pem"),
            "PI_AUDIT_KEY_PUBLIC": str(self.folder / "public.pem"),
            "PI_LOGFILE": str(self.folder / "privacyidea.log"),
            "PI_LOGLEVEL": 30,
        }
        config.write_text("".join(f"{key} = {value!r}\n" for key, value in settings.items()))
        config.chmod(0o600)
        self.admin_password = secrets.token_hex(12)
        manage = [str(self.folder / "venv" / "bin" / "pi-manage")]
        for step in (["setup", "create_enckey"], ["setup", "create_audit_keys"], ["setup", "create_tables"],
                     ["admin", "add", "admin", "-p", self.admin_password]):
            self._run(manage + step, "pi-manage " + " ".join(step[:2]), 300)
        users = self.folder / "users.passwd"
        users.write_text(f"{USER}:x:1000:1000:Alice Bench,,,:/home/{USER}:/bin/sh\n")

    def serve(self, timeout: float = 120) -> None:
        """gunicorn on 127.0.0.1:port in its own session; waits until it answers."""
        app = (f"privacyidea.app:create_app(config_name='production', "
               f"config_file={str(self.folder / 'pi.cfg')!r}, silent=True)")
        log = open(self.folder / "gunicorn.log", "ab")
        self.server = subprocess.Popen(
            [str(self.folder / "venv" / "bin" / "gunicorn"), "--workers", str(self.workers), "--bind",
             f"127.0.0.1:{self.port}", "--log-level", "warning", app],
            env=self._environment(), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            cwd=self.folder, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise PeerFailed(f"gunicorn exited with {self.server.returncode}:\n{self._tail('gunicorn.log')}")
            try:
                self._request("GET", "/healthz/")  # any answer: the app is loaded
                return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.5)
        raise PeerFailed(f"gunicorn did not answer within {timeout:.0f} s:\n{self._tail('gunicorn.log')}")

    def populate(self) -> None:
        """Signs the admin in, creates the resolver, the realm and TOKENS HOTP tokens for the user."""
        status, body = self._request("POST", "/auth", {"username": "admin", "password": self.admin_password})
        if status != 200:
            raise PeerFailed(f"POST /auth: HTTP {status} {body[:300]!r}")
        self.auth_token = json.loads(body)["result"]["value"]["token"]
        self._api("POST", f"/resolver/{REALM}",
                  {"type": "passwdresolver", "fileName": str(self.folder / "users.passwd")})
        self._api("POST", f"/realm/{REALM}", {"resolvers": REALM})
        for _ in range(TOKENS):
            self._api("POST", "/token/init", {"type": "hotp", "genkey": "1", "user": USER, "realm": REALM})
        listed = json.loads(self._api("GET", self.token_list_path))
        count = listed["result"]["value"]["count"]
        if count != TOKENS:
            raise PeerFailed(f"{USER} owns {count} tokens, expected {TOKENS}")

    def drain(self) -> None:
        """Returns once gunicorn has worked off the requests a finished wrk run left in its listen
        queue (sync workers take connections in order, so one more request answers after them), so
        they do not steal the next measurement's CPU."""
        self._api("GET", self.token_list_path)

    def start(self) -> None:
        """Install, configure, serve and populate, in one go."""
        self.begin_install()
        self.finish_install()
        self.configure()
        self.serve()
        self.populate()

    # MARK: helpers

    def _environment(self) -> dict[str, str]:
        environment = dict(os.environ)
        environment["PRIVACYIDEA_CONFIGFILE"] = str(self.folder / "pi.cfg")
        return environment

    def _run(self, argv: list[str], what: str, timeout: float) -> str:
        try:
            result = subprocess.run(argv, env=self._environment(), capture_output=True, text=True,
                                    timeout=timeout, cwd=self.folder, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as error:
            raise PeerFailed(f"{what} did not finish within {timeout:.0f} s") from error
        if result.returncode != 0:
            raise PeerFailed(f"{what} failed (exit {result.returncode}):\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
        return result.stdout

    def _psql(self, sql: str, variables: dict[str, str] | None = None, check: bool = True) -> None:
        argv = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-v", f"db={self.database}", self.admin_url]
        for name, value in (variables or {}).items():
            argv += ["-v", f"{name}={value}"]
        result = subprocess.run(argv, input=sql, capture_output=True, text=True, timeout=120)
        if check and result.returncode != 0:
            raise PeerFailed(f"psql failed: {result.stderr.strip()}")

    def _request(self, method: str, path: str, form: dict | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            headers = {"Authorization": self.auth_token} if self.auth_token else {}
            body = None
            if form is not None:
                body = urllib.parse.urlencode(form).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def _api(self, method: str, path: str, form: dict | None = None) -> bytes:
        status, body = self._request(method, path, form)
        if status != 200 or not json.loads(body).get("result", {}).get("status"):
            raise PeerFailed(f"{method} {path}: HTTP {status} {body[:300]!r}")
        return body

    def _tail(self, name: str, lines: int = 30) -> str:
        try:
            return "".join((self.folder / name).read_text(errors="replace").splitlines(keepends=True)[-lines:])
        except OSError:
            return ""


def main() -> int:
    if len(sys.argv) not in (2, 3):
        print("usage: privacyidea.py POSTGRES_ADMIN_URL [SECONDS]", file=sys.stderr)
        return 2
    seconds = int(sys.argv[2]) if len(sys.argv) == 3 else 30
    sys.dont_write_bytecode = True  # no __pycache__ in the checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "system"))
    from wrk import run_wrk  # noqa: E402

    try:
        with PrivacyIDEA(sys.argv[1]) as peer:
            peer.start()
            _log(f"privacyIDEA: wrk GET {peer.token_list_path}, 64 connections, {seconds} s")
            result = run_wrk(peer.url + peer.token_list_path, seconds, peer.folder, "privacyidea",
                             headers={"Authorization": peer.auth_token}, timeout_s=60)
            print(f"{peer.label}: {result.rate:.1f} requests/s, p50 {result.p50_us / 1000:.1f} ms, "
                  f"p99 {result.p99_us / 1000:.1f} ms, {result.requests} requests"
                  + (f" ({result.failures})" if result.failures else ""))
    except PeerFailed as error:
        print(f"privacyidea.py: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
