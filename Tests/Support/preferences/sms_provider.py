#!/usr/bin/env python3
"""A loopback SMS provider API for the Preferences tests.

Usage: sms_provider.py DIRECTORY
Answers POST requests with the HTTP status written in DIRECTORY/status (default 200) and the body
in DIRECTORY/answer (default {}), after waiting the seconds written in DIRECTORY/delay (default 0:
a provider that takes the message and answers too late); records each request (headers and body)
as DIRECTORY/<n>.json before waiting.
Writes the bound port to DIRECTORY/port. Stops on SIGTERM.
"""
import json
import os
import signal
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DIRECTORY = sys.argv[1]
COUNTER = [0]


def read(name, default):
    try:
        with open(os.path.join(DIRECTORY, name)) as handle:
            return handle.read().strip() or default
    except FileNotFoundError:
        return default


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        COUNTER[0] += 1
        record = {"path": self.path, "headers": dict(self.headers), "body": body.decode("utf-8")}
        path = os.path.join(DIRECTORY, "%06d.json" % COUNTER[0])
        with open(path + ".tmp", "w") as handle:
            json.dump(record, handle)
        os.rename(path + ".tmp", path)
        time.sleep(float(read("delay", "0")))
        status = int(read("status", "200"))
        answer = read("answer", "{}").encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format, *args):
        pass


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    with open(os.path.join(DIRECTORY, "port.tmp"), "w") as handle:
        handle.write(str(server.server_address[1]))
    os.rename(os.path.join(DIRECTORY, "port.tmp"), os.path.join(DIRECTORY, "port"))
    server.serve_forever()


if __name__ == "__main__":
    main()
