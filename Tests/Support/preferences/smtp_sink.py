#!/usr/bin/env python3
"""A loopback SMTP server for the Preferences tests: stores every accepted message as a file.

Usage: smtp_sink.py DIRECTORY PORT [--tls CERT KEY] [--auth USER PASSWORD [--mechanism LOGIN|PLAIN]]
(PORT 0 picks a free port.) Writes the bound port to DIRECTORY/port once it accepts connections;
each message goes to DIRECTORY/<n>.eml with the envelope recipients in an X-Envelope-To header and
whether the session was encrypted in X-Session-TLS. With --tls, STARTTLS is offered and required
before anything else; with --auth, a login is required (only over TLS) and each attempt is
recorded as DIRECTORY/<n>.auth ("MECHANISM LOGIN ok|refused", never the password); --mechanism
offers only that mechanism. Stops on SIGTERM.
"""
import argparse
import asyncio
import os
import signal
import socket
import ssl

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Recorder:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        path = os.path.join(self.directory, "%06d-%d.eml" % (self.count, os.getpid()))
        header = "X-Envelope-To: %s\r\nX-Session-TLS: %s\r\n" % (
            ",".join(envelope.rcpt_tos), "yes" if session.ssl else "no")
        with open(path + ".tmp", "wb") as handle:
            handle.write(header.encode() + envelope.original_content)
        os.rename(path + ".tmp", path)
        return "250 OK"


class Authenticator:
    """Accepts exactly one user and password; records every attempt without the password."""

    def __init__(self, directory, user, password):
        self.directory = directory
        self.user = user.encode()
        self.password = password.encode()
        self.count = 0

    def __call__(self, server, session, envelope, mechanism, auth_data):
        login = getattr(auth_data, "login", None) or b""
        ok = login == self.user and getattr(auth_data, "password", None) == self.password
        self.count += 1
        path = os.path.join(self.directory, "%06d.auth" % self.count)
        with open(path + ".tmp", "w") as handle:
            handle.write("%s %s %s" % (mechanism, login.decode(errors="replace"), "ok" if ok else "refused"))
        os.rename(path + ".tmp", path)
        return AuthResult(success=ok, handled=False)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("port", type=int)
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--auth", nargs=2, metavar=("USER", "PASSWORD"))
    parser.add_argument("--mechanism", choices=["LOGIN", "PLAIN"])
    arguments = parser.parse_args()
    directory, port = arguments.directory, arguments.port
    options = {}
    if arguments.tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*arguments.tls)
        options.update(tls_context=context, require_starttls=True)
    if arguments.auth:
        options.update(
            authenticator=Authenticator(directory, *arguments.auth), auth_required=True, auth_require_tls=True)
        if arguments.mechanism:
            options["auth_exclude_mechanism"] = [m for m in ("LOGIN", "PLAIN") if m != arguments.mechanism]
    if port == 0:
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
    controller = Controller(Recorder(directory), hostname="127.0.0.1", port=port, **options)
    controller.start()
    with open(os.path.join(directory, "port.tmp"), "w") as handle:
        handle.write(str(port))
    os.rename(os.path.join(directory, "port.tmp"), os.path.join(directory, "port"))
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    loop.run_until_complete(stop.wait())
    controller.stop()


if __name__ == "__main__":
    main()
