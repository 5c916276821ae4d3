#!/usr/bin/env python3
"""Latency-injecting HTTP proxy for `make bench` (issue 7, measurement 1).

Sits between `sop verify` and a local moto_server and delays every request by D
milliseconds before forwarding it, so the run behaves like one against a distant
endpoint. One thread per client connection (HTTP/1.1 keep-alive), each with its own
upstream connection, so any number of requests can be in flight at once and the delay
of concurrent requests overlaps, as it would on a real network.

Every request is logged as one JSON line: start and end time (seconds since the proxy
started), method, the signing service and region from the SigV4 scope, the target or
path, and the status. bench.sh counts requests and measures overlap from this log.

usage: latency_proxy.py --port P --upstream http://127.0.0.1:M --delay-ms 50 --log FILE
Prints "ready PORT" on stdout once it listens (port 0 picks a free one).
"""
import argparse
import http.client
import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--delay-ms", type=float, default=50.0)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    upstream = urlsplit(args.upstream)
    delay = args.delay_ms / 1000.0
    origin = time.monotonic()
    log_lock = threading.Lock()
    log = open(args.log, "a", buffering=1)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_):  # quiet: the JSON log is the record
            pass

        def setup(self):
            super().setup()
            self.upstream = None

        def finish(self):
            if self.upstream is not None:
                self.upstream.close()
            super().finish()

        def forward(self):
            started = time.monotonic()
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            time.sleep(delay)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            status, reply_headers, data = None, [], b""
            for attempt in (1, 2):  # a kept-alive upstream connection may have been closed
                try:
                    if self.upstream is None:
                        self.upstream = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=120)
                    self.upstream.request(self.command, self.path, body=body, headers=headers)
                    response = self.upstream.getresponse()
                    data = response.read()
                    status, reply_headers = response.status, response.getheaders()
                    if response.will_close:
                        self.upstream.close()
                        self.upstream = None
                    break
                except (http.client.HTTPException, OSError):
                    if self.upstream is not None:
                        self.upstream.close()
                    self.upstream = None
                    if attempt == 2:
                        status, reply_headers, data = 502, [("Content-Type", "text/plain")], b"proxy: upstream failed"
            self.send_response(status)
            for name, value in reply_headers:
                if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
            ended = time.monotonic()
            scope = SCOPE.search(self.headers.get("Authorization", ""))
            entry = {
                "start": round(started - origin, 6), "end": round(ended - origin, 6), "method": self.command,
                "service": scope.group(2) if scope else "", "region": scope.group(1) if scope else "",
                "target": self.headers.get("X-Amz-Target") or self.path.split("?")[0], "status": status,
            }
            with log_lock:
                log.write(json.dumps(entry) + "\n")

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = forward

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 256

    server = Server(("127.0.0.1", args.port), Handler)
    print(f"ready {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
