#!/usr/bin/env python3
"""A loopback SMTP server for the Preferences tests: stores every accepted message as a file.

Usage: smtp_sink.py DIRECTORY PORT   (PORT 0 picks a free port)
Writes the bound port to DIRECTORY/port once it accepts connections; each message goes to
DIRECTORY/<n>.eml with the envelope recipients in an X-Envelope-To header. Stops on SIGTERM.
"""
import asyncio
import os
import signal
import socket
import sys

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        path = os.path.join(self.directory, "%06d-%d.eml" % (self.count, os.getpid()))
        header = "X-Envelope-To: %s\r\n" % ",".join(envelope.rcpt_tos)
        with open(path + ".tmp", "wb") as handle:
            handle.write(header.encode() + envelope.original_content)
        os.rename(path + ".tmp", path)
        return "250 OK"


def main():
    directory, port = sys.argv[1], int(sys.argv[2])
    if port == 0:
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
    controller = Controller(Recorder(directory), hostname="127.0.0.1", port=port)
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
