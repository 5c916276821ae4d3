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

Replay mode separates the verifier from the emulator: on this 2-core machine moto (one
Python process) needs ~10-20 ms of CPU per request, so with moto behind the proxy the
wall time is bounded by moto's throughput, not by the latency being measured.
`--record FILE` stores every upstream answer keyed by the request (method, path, query,
X-Amz-Target, SigV4 service and region, body); `--replay FILE` then answers from that
recording after the same delay without contacting moto, so the run costs exactly
"network latency + sop". Requests not in the recording are forwarded (and counted as
misses in the log).

usage: latency_proxy.py --port P --upstream http://127.0.0.1:M --delay-ms 50 --log FILE
                        [--record FILE | --replay FILE]
Prints "ready PORT" on stdout once it listens (port 0 picks a free one).
"""
import argparse
import base64
import hashlib
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


def request_key(method, path, target, service, region, body):
    """What identifies a request across runs: parameter order (from a Swift dictionary) and
    signatures differ from run to run, so query strings, form bodies and JSON are normalised."""
    route, _, query = path.partition("?")
    query = "&".join(sorted(query.split("&"))) if query else ""
    text = body.decode("utf-8", "replace")
    try:
        normal = json.dumps(json.loads(text), sort_keys=True) if text.strip().startswith("{") else None
    except ValueError:
        normal = None
    if normal is None:
        normal = "&".join(sorted(text.split("&"))) if "=" in text and "\n" not in text else text
    return hashlib.sha256(json.dumps([method, route, query, target, service, region, normal]).encode()).hexdigest()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--delay-ms", type=float, default=50.0)
    parser.add_argument("--log", required=True)
    parser.add_argument("--record")
    parser.add_argument("--replay")
    args = parser.parse_args()
    recording = {}
    if args.replay:
        with open(args.replay) as handle:
            for line in handle:
                entry = json.loads(line)
                recording[entry["key"]] = entry
    record = open(args.record, "a", buffering=1) if args.record else None
    upstream = urlsplit(args.upstream)
    delay = args.delay_ms / 1000.0
    origin = time.monotonic()
    log_lock = threading.Lock()
    log = open(args.log, "a", buffering=1)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Without TCP_NODELAY, the body written after the headers waits for the client's
        # delayed ACK (~40 ms on Linux): latency the proxy would add on top of D.
        disable_nagle_algorithm = True

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
            scope = SCOPE.search(self.headers.get("Authorization", ""))
            key = request_key(self.command, self.path, self.headers.get("X-Amz-Target", ""),
                              scope.group(2) if scope else "", scope.group(1) if scope else "", body or b"")
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            status, reply_headers, data = None, [], b""
            source = "upstream"
            if key in recording:
                entry = recording[key]
                status, reply_headers = entry["status"], [tuple(h) for h in entry["headers"]]
                data = base64.b64decode(entry["body"])
                source = "replay"
            for attempt in ((1, 2) if source == "upstream" else ()):  # a kept-alive upstream connection may have been closed
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
            if record is not None and source == "upstream" and status != 502:
                with log_lock:
                    record.write(json.dumps({"key": key, "status": status, "headers": reply_headers,
                                             "body": base64.b64encode(data).decode()}) + "\n")
            self.send_response(status)
            for name, value in reply_headers:
                if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            # Headers and body in one write (one segment for small answers).
            self._headers_buffer.append(b"\r\n")
            head = b"".join(self._headers_buffer)
            self._headers_buffer = []
            self.wfile.write(head + (data if self.command != "HEAD" else b""))
            self.wfile.flush()
            ended = time.monotonic()
            entry = {"source": source,
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
