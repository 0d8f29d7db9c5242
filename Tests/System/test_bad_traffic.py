"""Bad traffic at every service port (the three RPC ports, the gateway's HTTP port, every admin port):
random bytes, oversized and zero length headers, slow drips, a bounded connection flood. Loopback
only. The services must stay up and keep serving the gateway."""

from __future__ import annotations

import os
import resource
import secrets
import socket
import struct
import threading
import time

import pytest

import launcher
from support import Traffic, wait_until

RPC_SERVICES = ("device-registry", "preferences", "bok")


def all_ports(system) -> list[tuple[str, int]]:
    ports = [(f"{name} rpc", system.ports.rpc[name]) for name in RPC_SERVICES]
    ports.append(("gateway http", system.ports.rpc["gateway"]))
    ports += [(f"{name} admin", system.ports.admin[name]) for name in launcher.SERVICES]
    return ports


@pytest.fixture(scope="module")
def citizen(system):
    return launcher.Citizen(system.gateway_url, "demo-eva-dvorakova").sign_in()


def assert_serving(system, citizen):
    """Every process runs, is ready, answers a health check on its RPC port, and the gateway serves
    a request that needs all three services."""
    for name in launcher.SERVICES:
        assert system.alive(name), f"{name} died"
        assert system.ready(name), f"{name} not ready"
    for name in RPC_SERVICES:
        assert launcher.health_check(system, name), f"{name} does not answer Health/Check"
    assert citizen.request("GET", "/api/v1/settings").status == 200
    assert citizen.request("GET", "/api/v1/keys").status == 200


def closed_within(connection: socket.socket, seconds: float) -> bool:
    """Whether the peer closes (EOF or reset) within `seconds`, discarding what it sends."""
    connection.settimeout(0.5)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if connection.recv(65536) == b"":
                return True
        except socket.timeout:
            continue
        except OSError:
            return True
    return False


def connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=5)


def test_random_bytes_at_every_port(system, citizen):
    for label, port in all_ports(system):
        for size in (1, 7, 512, 4096, 70000):
            connection = connect(port)
            try:
                connection.sendall(secrets.token_bytes(size))
                connection.shutdown(socket.SHUT_WR)
            except OSError:
                pass  # the server may already have closed: fine
            closed_within(connection, 3)
            connection.close()
    assert_serving(system, citizen)


def test_oversized_and_zero_length_frames_close_the_connection(system, citizen):
    for name in RPC_SERVICES:
        port = system.ports.rpc[name]
        for header in (b"\xff\xff\xff\xff", struct.pack(">I", 64 * 1024 + 1), struct.pack(">I", 1 << 30), b"\x00\x00\x00\x00"):
            connection = connect(port)
            try:
                connection.sendall(header + b"\x08\x01" * 8)
            except OSError:
                pass
            assert closed_within(connection, 15), f"{name}: header {header.hex()} did not close the connection"
            connection.close()
        # A huge length header with no body: the server must not wait for a gigabyte.
        connection = connect(port)
        connection.sendall(struct.pack(">I", 0x7FFFFFFF))
        assert closed_within(connection, 15), f"{name}: a 2 GiB length header was not refused"
        connection.close()
    assert_serving(system, citizen)


def _drip(port: int, seconds: float, stop: threading.Event, cut: list, index: int) -> None:
    """Sends a 4 KiB length header, then one byte per 0.5 s; records whether the server cut it."""
    try:
        connection = connect(port)
        connection.sendall(struct.pack(">I", 4096))
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not stop.is_set():
            connection.sendall(b"\x00")
            connection.settimeout(0.5)
            try:
                if connection.recv(1024) == b"":
                    cut[index] = True
                    break
            except socket.timeout:
                pass
    except OSError:
        cut[index] = True
    finally:
        try:
            connection.close()
        except (OSError, UnboundLocalError):
            pass


@pytest.mark.timeout(120)
def test_slow_drips_do_not_stop_the_services(system, citizen):
    per_port, seconds = 8, 25
    targets = [system.ports.rpc[name] for name in RPC_SERVICES for _ in range(per_port)]
    targets += [system.ports.rpc["gateway"]] * 4 + [system.ports.admin[n] for n in launcher.SERVICES]
    stop = threading.Event()
    cut = [False] * len(targets)
    threads = [threading.Thread(target=_drip, args=(port, seconds, stop, cut, i), daemon=True)
               for i, port in enumerate(targets)]
    with Traffic(lambda: citizen.request("GET", "/api/v1/settings"), threads=1, pause=0.2) as traffic:
        for thread in threads:
            thread.start()
        time.sleep(3)
        assert_serving(system, citizen)
        for thread in threads:
            thread.join(timeout=seconds + 20)
        stop.set()
    assert not any(thread.is_alive() for thread in threads)
    statuses = {o.status for o in traffic.snapshot()}
    assert statuses == {200}, f"gateway traffic during the drips: {statuses}"
    rpc_drips = len(RPC_SERVICES) * per_port
    print(f"slow drips cut by the servers: RPC {sum(cut[:rpc_drips])}/{rpc_drips}, "
          f"HTTP/admin {sum(cut[rpc_drips:])}/{len(cut) - rpc_drips}")
    # The slow-frame timeout (plaintext) or the TLS handshake timeout (10 s each by default) ends a
    # frame that never completes.
    assert all(cut[:rpc_drips]), "an RPC server kept a dripping connection open for 25 s"
    assert_serving(system, citizen)


@pytest.mark.timeout(120)
def test_connection_flood(system, citizen):
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    per_port = max(20, min(300, (soft - 200) // 8))
    held: list[socket.socket] = []
    try:
        with Traffic(lambda: citizen.request("GET", "/api/v1/settings"), threads=1, pause=0.2) as traffic:
            for label, port in all_ports(system):
                for _ in range(per_port if "rpc" in label or "http" in label else per_port // 4):
                    try:
                        connection = socket.create_connection(("127.0.0.1", port), timeout=2)
                        held.append(connection)
                    except OSError:
                        break  # the server (or the backlog) refuses more: that is allowed
            time.sleep(3)
            assert_serving(system, citizen)
        outcomes = traffic.snapshot()
        assert outcomes and {o.status for o in outcomes} == {200}, {o.status for o in outcomes}
        print(f"flood: {len(held)} idle connections held at once")
    finally:
        for connection in held:
            connection.close()
    wait_until(lambda: all(system.ready(n) for n in launcher.SERVICES), 30, what="ready after the flood")
    assert_serving(system, citizen)


def test_valid_frames_after_garbage_on_the_same_port(system, citizen):
    """A real RPC client still gets answers on a port that just received garbage."""
    for name in RPC_SERVICES:
        port = system.ports.rpc[name]
        for _ in range(5):
            connection = connect(port)
            try:
                connection.sendall(struct.pack(">I", 32) + secrets.token_bytes(32))
            except OSError:
                pass
            closed_within(connection, 2)
            connection.close()
        assert launcher.health_check(system, name)
        # An unknown method is answered (UNIMPLEMENTED, or PERMISSION_DENIED under a mutual-TLS
        # allowlist), not a dropped connection.
        result = launcher.rpc_call(system, name, "mk.nothing.v1.Nothing/Nothing")
        assert result.code in (12, 7), (result.code, result.message)
    assert_serving(system, citizen)
