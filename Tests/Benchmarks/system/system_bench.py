#!/usr/bin/env python3
"""`make bench ARGS=system`: the whole system end to end, measured from outside with wrk.

    system_bench.py --bin DIR --pgdata DIR --work DIR [--parts reads,writes] [--rounds N] [--slice S]
                    [--full S] [--write-seconds S] [--citizens N] [--with-header] [--no-privacyidea]

Starts Mobilní klíč with the run command's launcher (scripts/launcher.py: device-registry,
preferences, bok and the gateway as separate processes, the demo data seeded through the real
APIs) on the benchmark's PostgreSQL cluster (`--pgdata`, started by bench.sh with fsync on, so
commits are durable), and privacyIDEA 3.14 (peers/privacyidea.py) on the same cluster. Prints
table rows in mk-bench's format on stdout (with the header when `--with-header`), then a blank
line and notes; progress goes to stderr. Every process it starts is stopped on every path; the
whole run is bounded (SIGALRM), each wrk run too. `--parts writes` measures only the write-path
rows (login events, fan-out) and skips privacyIDEA and its `pip install`; `--parts reads` only the
gateway reads against privacyIDEA.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(HERE.parent / "peers"))
sys.dont_write_bytecode = True  # no __pycache__ in the checkout

import launcher  # noqa: E402
from fixtures import seed_citizens, subject_prefix  # noqa: E402
from privacyidea import PeerFailed, PrivacyIDEA  # noqa: E402
from rows import HEADER, Contender, Row, format_count, not_measured  # noqa: E402
from scenarios import browser_cookies, informative_notifications, login_events  # noqa: E402
from wrk import WrkFailed, WrkResult, run_wrk  # noqa: E402

SERVER_PROCESSES = ("gateway", "device-registry", "preferences", "bok")
CONNECTIONS = 64
# Authorities' hourly quota: the default (10,000) would stop the fan-out within seconds.
SERVICE_ENV = {"preferences": {"AUTHORITY_QUOTA_PER_HOUR": "10000000"}}


class Bound(Exception):
    """The whole run exceeded its time bound."""


def progress(message: str) -> None:
    print(f"system: {message}", file=sys.stderr, flush=True)


def memory(pid: int) -> tuple[int, int]:
    """VmRSS and VmHWM of a process, in KiB (0 when it is gone)."""
    values = {"VmRSS": 0, "VmHWM": 0}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in values:
                values[key] = int(rest.split()[0])
    except OSError:
        pass
    return values["VmRSS"], values["VmHWM"]


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far, in seconds (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cluster_pids(pgdata: Path) -> list[int]:
    """The cluster's postmaster (the first line of postmaster.pid) and its children, the backends."""
    try:
        postmaster = int((pgdata / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return []
    pids = [postmaster]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == postmaster:
                    pids.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return pids


def cpu_per(before: dict[str, float], after: dict[str, float], count: int) -> str:
    """Each process's CPU time between two readings divided by `count`, in µs, as note text."""
    return ", ".join(f"{name} {(after[name] - before.get(name, 0.0)) / count * 1e6:.0f}" for name in after)


def mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB"


class SystemBench:
    """One run of the section: the system and privacyIDEA up, the rows measured, all stopped."""

    def __init__(self, arguments):
        self.arguments = arguments
        self.work = Path(arguments.work)
        self.run_id = secrets.token_hex(3)
        self.rows: list[str] = []
        self.notes: list[str] = []
        self.system: launcher.System | None = None
        self.peer: PrivacyIDEA | None = None
        self.peer_failure = ""

    # MARK: set-up

    def start_system(self) -> None:
        data = self.work / "system"
        data.mkdir(parents=True, exist_ok=True)
        os.chmod(data, 0o755)
        smtp = launcher.free_port() if _has_aiosmtpd() else None
        system = launcher.System(Path(self.arguments.bin), data, launcher.Ports.free(), smtp_port=smtp,
                                 sms_port=launcher.free_port(), service_env=SERVICE_ENV)
        # The benchmark's cluster (already running, fsync on) instead of one of the launcher's own.
        pgdata = Path(self.arguments.pgdata)
        system.postgres = launcher.Postgres(pgdata, 0, pgdata / "server.log", fsync=True)
        self.system = system
        progress("starting the system (launcher: roles, migrations, four processes)…")
        system.prepare()
        launcher.start_peers(system, data / "mail", data / "sms")
        # The SMTP and SMS peers stand in for services that run on other machines: at the lowest
        # priority they take only CPU the system leaves idle. The launcher starts every process in
        # a session of its own, i.e. (with the kernel's autogroups) a scheduling group of its own,
        # and groups share the CPU by the group's nice value; without autogroups each thread's
        # counts (the SMTP peer serves from a thread of its own; later threads inherit it).
        for name in ("smtp-sink", "sms-sink"):
            if name in system.processes:
                pid = system.processes[name].pid
                autogroup = Path(f"/proc/{pid}/autogroup")
                if autogroup.exists():
                    autogroup.write_text("19")
                for thread in Path(f"/proc/{pid}/task").iterdir():
                    os.setpriority(os.PRIO_PROCESS, int(thread.name), 19)
        system.start_all()
        progress("seeding the demo data through the gateway (simulator pairings, BOK)…")
        launcher.seed(system)
        self.notes.append(f"System: {self.arguments.bin_label} binaries, RPC {launcher.rpc_security_in_use(system)}, "
                          f"log level info, launched by scripts/launcher.py on the benchmark's cluster (fsync on).")

    def seed(self) -> list[str]:
        citizens = self.arguments.citizens
        progress(f"seeding {citizens} benchmark citizens × 2 keys with e-mail and phone (SQL)…")
        return seed_citizens(self.system.postgres, self.run_id, citizens, 2)

    def start_peer_install(self) -> None:
        """Starts pip for privacyIDEA; the cluster's address is filled in before configure()."""
        self.peer = PrivacyIDEA(admin_url="")
        try:
            self.peer.begin_install()
        except PeerFailed as error:
            self.peer_failure = str(error).splitlines()[0]
            progress(f"privacyIDEA not available: {error}")
            self._stop_peer()

    def finish_peer(self) -> None:
        if self.peer is None:
            return
        try:
            self.peer.admin_url = self.system_admin_url()
            self.peer.finish_install()
            progress("privacyIDEA: configuring (tables, admin, resolver, realm, 5 tokens) and serving…")
            self.peer.configure()
            self.peer.serve()
            self.peer.populate()
        except PeerFailed as error:
            self.peer_failure = str(error).splitlines()[0]
            progress(f"privacyIDEA not available: {error}")
            self._stop_peer()

    def system_admin_url(self) -> str:
        postgres = self.system.postgres
        return f"postgresql://{postgres.owner}@127.0.0.1:{postgres.port}/postgres"

    # MARK: gateway reads vs privacyIDEA

    def gateway_reads(self) -> None:
        system = self.system
        jana = launcher.Citizen(system.gateway_url, "demo-jana-novakova").sign_in()
        cookie = "; ".join(f"{k}={v}" for k, v in jana.cookies.items())
        keys = jana.api("GET", "/api/v1/keys")["keys"]
        jana.api("GET", "/api/v1/settings")
        if not keys:
            raise launcher.LaunchError("the demo citizen has no keys; the demo seeding did not pair any")
        ours = {
            "keys": (system.gateway_url + "/api/v1/keys",
                     f"GET /api/v1/keys (JSON key list: {len(keys)} keys + BOK state; registry + BOK)"),
            "settings": (system.gateway_url + "/api/v1/settings",
                         "GET /api/v1/settings (grid with the keys' names: preferences + BOK)"),
        }
        headers = {"Cookie": cookie}
        slice_s, rounds = self.arguments.slice, self.arguments.rounds
        results = {name: Contender() for name in ours}
        theirs = Contender()
        ratios: dict[str, list[float]] = {name: [] for name in ours}
        failures: list[str] = []

        def measure(name: str, seconds: int) -> WrkResult:
            if name == "privacyidea":
                result = run_wrk(self.peer.url + self.peer.token_list_path, seconds, self.work, name,
                                 CONNECTIONS, headers={"Authorization": self.peer.auth_token}, timeout_s=60)
                self.peer.drain()
                return result
            return run_wrk(ours[name][0], seconds, self.work, name, CONNECTIONS, headers=headers,
                           scenario=browser_cookies())

        def record(name: str, result: WrkResult, into: Contender | None) -> None:
            if result.failures:
                failures.append(f"{name}: {result.failures} of {result.requests} requests")
            if into is not None:
                into.add(result.acknowledged / result.seconds, result.p50_us, result.p99_us)

        progress("warming up (3 s each)…")
        for name in list(ours) + (["privacyidea"] if self.peer else []):
            measure(name, 3)
        for round_number in range(1, rounds + 1):
            progress(f"gateway reads, round {round_number}/{rounds}: key list, privacyIDEA, settings ({slice_s} s each)")
            keys_result = measure("keys", slice_s)
            record("key list", keys_result, results["keys"])
            if self.peer:
                pi = measure("privacyidea", slice_s)
                record("privacyIDEA", pi, theirs)
            settings_result = measure("settings", slice_s)
            record("settings", settings_result, results["settings"])
            if self.peer and pi.acknowledged > 0:
                pi_rate = pi.acknowledged / pi.seconds
                ratios["keys"].append(keys_result.acknowledged / keys_result.seconds / pi_rate)
                ratios["settings"].append(settings_result.acknowledged / settings_result.seconds / pi_rate)
        full = {}
        cpu: list[str] = []
        for name in ours:
            progress(f"gateway reads: {name}, one {self.arguments.full} s run")
            before = self.process_cpu()
            full[name] = measure(name, self.arguments.full)
            after = self.process_cpu()
            record(f"{name} ({self.arguments.full} s)", full[name], None)
            if full[name].acknowledged:
                cpu.append(f"{name}: {cpu_per(before, after, full[name].acknowledged)}")
        self.memory_note()
        if cpu:
            self.notes.append(f"CPU per request in the one {self.arguments.full} s runs (µs, /proc/PID/stat, "
                              "PostgreSQL = the postmaster and its backends): " + "; ".join(cpu) + ".")

        alternative = self.peer.label if self.peer else f"privacyIDEA 3.14 (not available: {self.peer_failure})"
        path = "GET /token/?user&realm (5 HOTP tokens)"
        for name, (_, what) in ours.items():
            contender = results[name]
            p99_ok = max(contender.p99s) < 20_000
            ratio_ok = bool(ratios[name]) and sorted(ratios[name])[len(ratios[name]) // 2] >= 100
            self.rows.append(Row(
                "Gateway", f"{what}, {CONNECTIONS} connections, wrk, {rounds} rounds of {slice_s} s",
                "requests/s", contender, "≥ 100×; p99 < 20 ms", ratio_ok and p99_ok,
                alternative_name=f"{alternative}, {path}", alternative=theirs if self.peer else None,
                ratios=ratios[name]).render())
            one = Contender()
            result = full[name]
            one.add(result.acknowledged / result.seconds, result.p50_us, result.p99_us)
            full_ratio = [one.rates[0] / theirs.median_rate] if self.peer and theirs.rates and theirs.median_rate > 0 else []
            self.rows.append(Row(
                "Gateway", f"{what}, {CONNECTIONS} connections, one {self.arguments.full} s run "
                f"(ratio to privacyIDEA's median)", "requests/s", one, "≥ 100×; p99 < 20 ms",
                bool(full_ratio) and full_ratio[0] >= 100 and result.p99_us < 20_000,
                alternative_name=f"{alternative}, {path}", alternative=theirs if self.peer else None,
                ratios=full_ratio).render())
        self.notes.append(
            "Gateway rows: wrk 4.1 (Debian), 2 threads, 64 connections, `--latency`, one signed-in citizen's session "
            "cookie (Jana Nováková, her keys paired by the simulator, no BOK), kept like a browser's: each wrk thread "
            "takes the refreshed cookie the gateway sets once a minute; privacyIDEA with its admin's JWT "
            "(`Authorization` header), wrk timeout 60 s. Rounds interleave key list, privacyIDEA, settings; the ratio "
            "of a round divides by that round's privacyIDEA slice. Latencies are medians over the rounds of each "
            "round's wrk percentiles; the p99 goal is judged on the worst round. requests/s counts 2xx only.")
        if failures:
            self.notes.append("Gateway rows, not 2xx: " + "; ".join(failures) + ".")
        else:
            self.notes.append("Gateway rows: every response 2xx, no socket errors or timeouts.")

    def process_cpu(self) -> dict[str, float]:
        """CPU seconds so far of each server process and of the cluster's processes together."""
        seconds = {name: cpu_seconds(self.system.pid(name)) for name in SERVER_PROCESSES}
        seconds["PostgreSQL"] = sum(cpu_seconds(pid) for pid in cluster_pids(Path(self.arguments.pgdata)))
        return seconds

    def memory_note(self) -> None:
        parts = []
        for name in SERVER_PROCESSES:
            rss, hwm = memory(self.system.pid(name))
            parts.append(f"{name} {mib(rss)} (peak {mib(hwm)})")
        text = "Server memory after the gateway rows, VmRSS (VmHWM): " + ", ".join(parts)
        if self.peer:
            pids = self.peer.server_pids()
            total = sum(memory(pid)[0] for pid in pids)
            text += f"; privacyIDEA's gunicorn, {len(pids)} processes: {mib(total)} in all"
        self.notes.append(text + ".")

    # MARK: write paths

    def count(self, sql: str, prefix: str) -> int:
        return int(self.system.postgres.psql(sql, {"prefix": prefix}).strip() or 0)

    def settled_counts(self, queries: dict[str, str], prefix: str) -> dict[str, int]:
        """Counts after the last in-flight request finished: two equal readings a second apart."""
        previous = None
        deadline = time.monotonic() + 30
        while True:
            counts = {name: self.count(sql, prefix) for name, sql in queries.items()}
            if counts == previous or time.monotonic() > deadline:
                return counts
            previous = counts
            time.sleep(1)

    def login_ingestion(self, first_keys: list[str]) -> None:
        seconds = self.arguments.write_seconds
        caller = self.system.callers["identity-provider"]
        run = f"login-{self.run_id}"
        scenario = login_events(run, subject_prefix(self.run_id), first_keys)
        progress(f"login events through /idp/v1/logins, {seconds} s…")
        before = self.process_cpu()
        result = run_wrk(self.system.gateway_url + "/idp/v1/logins", seconds, self.work, "logins", CONNECTIONS,
                         headers={"Authorization": caller.basic}, scenario=scenario)
        after = self.process_cpu()
        counts = self.settled_counts({
            "registry": "SELECT count(*) FROM registry.use_event WHERE event_id LIKE :'prefix' || '%'",
            "preferences": "SELECT count(*) FROM preferences.notification WHERE dedup_key LIKE 'login:' || :'prefix' || '%'",
        }, run)
        # Every acknowledged event must be recorded by both services; events sent but unanswered
        # when wrk stopped may be recorded too, so at most `generated` are.
        lost = max(0, result.acknowledged - counts["registry"]) + max(0, result.acknowledged - counts["preferences"])
        extra = max(counts.values()) > result.generated >= 0
        rate = result.acknowledged / result.seconds
        ours = Contender()
        ours.add(rate, result.p50_us, result.p99_us)
        self.rows.append(Row(
            "Write path", f"login events, POST /idp/v1/logins → RecordUse ∥ NotifyLogin, durable commits (fsync on), "
            f"{len(first_keys):,} citizens × 2 keys, {CONNECTIONS} connections, one {seconds} s run",
            "events/s", ours, "≥ 2,000 events/s; none lost",
            rate >= 2000 and lost == 0 and not extra and not result.failures,
        ).render())
        self.notes.append(
            f"Login events: wrk built {format_count(result.generated)} events and {format_count(result.acknowledged)} "
            f"were acknowledged with 2xx" + (f" ({result.failures})" if result.failures else "")
            + f"; the registry recorded {format_count(counts['registry'])} use events and Preferences "
            f"{format_count(counts['preferences'])} login notices of this run (requests still in flight when wrk "
            f"stopped may be recorded too): {'none lost' if lost == 0 else f'{lost} LOST'}"
            + (", and MORE recorded than sent" if extra else "") + ".")
        if result.acknowledged:
            self.notes.append(f"CPU per acknowledged login event during the run (µs, /proc/PID/stat; the work "
                              f"still queued at its end is not counted): "
                              f"{cpu_per(before, after, result.acknowledged)}.")

    def fan_out(self, citizens: int) -> None:
        seconds = self.arguments.write_seconds
        caller = self.system.callers["authority"]
        run = f"notice-{self.run_id}"
        scenario = informative_notifications(run, subject_prefix(self.run_id), citizens)
        progress(f"informative notifications through /authority/v1/notifications, {seconds} s…")
        before = self.process_cpu()
        result = run_wrk(self.system.gateway_url + "/authority/v1/notifications", seconds, self.work, "notices",
                         CONNECTIONS, headers={"Authorization": caller.basic}, scenario=scenario)
        after = self.process_cpu()
        counts = self.settled_counts({
            "notifications": "SELECT count(*) FROM preferences.notification WHERE idempotency_key LIKE :'prefix' || '%'",
            "deliveries": "SELECT count(*) FROM preferences.delivery d JOIN preferences.notification n "
                          "ON n.id = d.notification_id WHERE n.idempotency_key LIKE :'prefix' || '%'",
        }, run)
        per_notification = counts["deliveries"] / counts["notifications"] if counts["notifications"] else 0
        rate = result.acknowledged * per_notification / result.seconds
        ours = Contender()
        ours.add(rate, result.p50_us, result.p99_us)
        self.rows.append(Row(
            "Write path", f"informative notification fan-out, POST /authority/v1/notifications (unique "
            f"Idempotency-Key), {per_notification:.1f} deliveries each (2 keys, e-mail, SMS), {CONNECTIONS} "
            f"connections, one {seconds} s run", "deliveries/s", ours, "≥ 5,000 deliveries/s",
            rate >= 5000 and not result.failures).render())
        self.notes.append(
            f"Fan-out: wrk acknowledged {format_count(result.acknowledged)} notifications with 2xx "
            f"({result.acknowledged / result.seconds:,.0f}/s)" + (f" ({result.failures})" if result.failures else "")
            + f"; Preferences holds {format_count(counts['notifications'])} of them with "
            f"{format_count(counts['deliveries'])} deliveries enqueued.")
        if result.acknowledged:
            self.notes.append(f"CPU per acknowledged notification during the run (µs, /proc/PID/stat; the e-mails "
                              f"and SMS sent meanwhile included): {cpu_per(before, after, result.acknowledged)}.")

    # MARK: run

    def run(self) -> None:
        parts = self.arguments.parts
        if "reads" in parts and self.arguments.no_privacyidea:
            self.peer_failure = "skipped with --no-privacyidea"
        elif "reads" in parts:
            self.start_peer_install()  # pip mostly waits for the network: overlap it with the start-up
        self.start_system()
        first_keys = self.seed()
        self.finish_peer()
        steps = (
            ("reads", self.gateway_reads, "Gateway", "key list and settings vs privacyIDEA", "≥ 100×; p99 < 20 ms"),
            ("writes", lambda: self.login_ingestion(first_keys), "Write path", "login events",
             "≥ 2,000 events/s; none lost"),
            ("writes", lambda: self.fan_out(len(first_keys)), "Write path", "informative notification fan-out",
             "≥ 5,000 deliveries/s"),
        )
        for part, step, area, what, goal in steps:
            if part not in parts:
                continue
            try:
                step()
            except (WrkFailed, launcher.LaunchError, launcher.HTTPError) as error:
                progress(f"{what}: {error}")
                self.rows.append(not_measured(area, what, goal, str(error).splitlines()[0][:120]))
            self._stop_peer()  # only the gateway rows compare with it; free its memory and CPU

    def _stop_peer(self) -> None:
        if self.peer is not None:
            self.peer.close()
            self.peer = None

    def close(self) -> None:
        self._stop_peer()
        if self.system is not None:
            self.system.stop_all(stop_postgres=False)

    def print(self) -> None:
        lines = (HEADER if self.arguments.with_header else []) + self.rows
        print("\n".join(lines))
        print()
        for note in self.notes:
            print(note)


def _has_aiosmtpd() -> bool:
    try:
        import aiosmtpd  # noqa: F401
        return True
    except ImportError:
        return False


PARTS = ("reads", "writes")


def parts(text: str) -> tuple[str, ...]:
    """The `--parts` value: a non-empty comma-separated subset of PARTS."""
    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [part for part in chosen if part not in PARTS]
    if not chosen or unknown:
        raise argparse.ArgumentTypeError(f"expected a comma-separated subset of {', '.join(PARTS)}, got {text!r}")
    return chosen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", required=True, help="folder of the built executables")
    parser.add_argument("--bin-label", default="release", help="how they were built, for the notes")
    parser.add_argument("--pgdata", required=True, help="data folder of the running benchmark cluster")
    parser.add_argument("--work", required=True, help="a scratch folder (the system's data and logs)")
    parser.add_argument("--parts", type=parts, default=PARTS,
                        help="comma-separated rows to measure: reads (gateway vs privacyIDEA), writes (write paths)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--slice", type=int, default=10, help="seconds per interleaved gateway slice")
    parser.add_argument("--full", type=int, default=30, help="seconds of the one long gateway run")
    parser.add_argument("--write-seconds", type=int, default=30, help="seconds of each write-path run")
    parser.add_argument("--citizens", type=int, default=10_000)
    parser.add_argument("--bound", type=int, default=900, help="seconds the whole section may take")
    parser.add_argument("--with-header", action="store_true")
    parser.add_argument("--no-privacyidea", action="store_true",
                        help="measure the gateway reads without privacyIDEA (no pip install; no ratios)")
    arguments = parser.parse_args()

    def expire(signum, frame):
        raise Bound(f"the system section exceeded its {arguments.bound} s bound")

    interrupted_once = []

    def interrupted(signum, frame):
        if not interrupted_once:  # a second signal must not cut the clean-up short
            interrupted_once.append(signum)
            raise KeyboardInterrupt

    signal.signal(signal.SIGALRM, expire)
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    signal.alarm(arguments.bound)
    # The launcher reports progress on stdout; stdout is for the table only.
    table_output, sys.stdout = sys.stdout, sys.stderr
    bench = SystemBench(arguments)
    code = 0
    try:
        bench.run()
    except (Bound, launcher.LaunchError, launcher.HTTPError, launcher.SimulatorFailed, PeerFailed) as error:
        progress(f"stopped: {error}")
        bench.notes.append(f"System section stopped early: {str(error).splitlines()[0]}")
        code = 1
    except KeyboardInterrupt:
        progress("interrupted")
        bench.notes.append("System section interrupted.")
        code = 130
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        progress("stopping every process it started…")
        bench.close()
    sys.stdout = table_output
    bench.print()
    return code


if __name__ == "__main__":
    sys.exit(main())
