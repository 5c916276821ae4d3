#!/usr/bin/env python3
"""Latency-injecting HTTP proxy for `make bench` (measurement 1, BENCHMARKS.md).

Sits between `sop verify` and a local moto_server and delays every request by D
milliseconds before answering it, so the run behaves like one against a distant
endpoint. Any number of requests can be in flight at once (HTTP/1.1 keep-alive, one
client connection per request in flight) and the delays of concurrent requests overlap,
as they would on a real network.

The proxy runs asyncio event loops: accepting a connection and answering a request cost
a fraction of a millisecond of its own CPU, not a thread start and the GIL, so it can keep
a few hundred requests in flight on a small machine without adding its own queueing to D.
(A thread-per-connection server needed ~1 ms of CPU per request here, which on 2 cores
serialised a 574-request run into > 0.5 s before any client cost.) In replay mode it runs
`--workers` processes (default 2) on the one listening socket, so its own CPU is not one
core's worth either. It passes the upstream answer's headers through unchanged (hop-by-hop
ones dropped, Content-Length recomputed) and adds none of its own, as a transparent network
path would.

Every request is logged as one JSON line: start and end time (seconds since the proxy
started), method, the signing service and region from the SigV4 scope, the target or
path, the status, and where the answer came from. bench.sh counts requests and measures
overlap from this log.

Replay mode separates the verifier from the emulator: on this 2-core machine moto (one
Python process) needs ~10-20 ms of CPU per request, so with moto behind the proxy the
wall time is bounded by moto's throughput, not by the latency being measured.
`--record FILE` stores every upstream answer keyed by the request (method, path, query,
X-Amz-Target, SigV4 service and region, body); `--replay FILE` then answers from that
recording after the same delay without contacting moto, so the run costs exactly
"network latency + sop". Requests not in the recording are forwarded (and counted as
misses in the log).

usage: latency_proxy.py --port P --upstream http://127.0.0.1:M --delay-ms 50 --log FILE
                        [--record FILE | --replay FILE] [--workers N]
Prints "ready PORT" on stdout once it listens (port 0 picks a free one).
"""
import argparse
import asyncio
import base64
import ctypes
import hashlib
import http.client
import json
import os
import re
import signal
import socket
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus
from urllib.parse import urlsplit

SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"}
MAX_HEADER_BYTES = 1 << 20


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


REASONS = {status.value: status.phrase for status in HTTPStatus}


def reason(status):
    return REASONS.get(status, "")


class Proxy:
    def __init__(self, args, origin):
        self.recording = {}
        if args.replay:
            with open(args.replay) as handle:
                for line in handle:
                    entry = json.loads(line)
                    self.recording[entry["key"]] = entry
        self.record = open(args.record, "a", buffering=1) if args.record else None
        self.upstream = urlsplit(args.upstream)
        self.delay = args.delay_ms / 1000.0
        # CLOCK_MONOTONIC is one clock for every worker process: their log times compare.
        self.origin = origin
        # Buffered, flushed whenever this worker has nothing in flight (before then nobody
        # reads it): one write per burst, not per request. O_APPEND keeps workers' lines whole.
        self.log = open(args.log, "a")
        self.in_flight = 0
        # Upstream calls block (http.client); they run on threads so that the loop keeps
        # answering while moto works. Only used for record mode and replay misses.
        self.pool = ThreadPoolExecutor(max_workers=256)

    async def serve(self, reader, writer):
        sock = writer.get_extra_info("socket")
        if sock is not None:
            # Without TCP_NODELAY a small answer may wait for the client's delayed ACK (~40 ms).
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        upstream = [None]  # this client connection's upstream connection, made on first use
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                    return
                if not await self.answer(head, reader, writer, upstream):
                    return
        finally:
            if upstream[0] is not None:
                upstream[0].close()
            writer.close()

    async def answer(self, head, reader, writer, upstream):
        """Answers one request; False when the connection is to be closed afterwards."""
        self.in_flight += 1
        try:
            return await self.answer_one(head, reader, writer, upstream)
        finally:
            self.in_flight -= 1
            if self.in_flight == 0:
                self.log.flush()

    async def answer_one(self, head, reader, writer, upstream):
        started = time.monotonic()
        lines = head.decode("latin-1").split("\r\n")
        try:
            method, path, version = lines[0].split(" ", 2)
        except ValueError:
            return False
        headers = []
        for line in lines[1:]:
            if not line:
                continue
            name, _, value = line.partition(":")
            headers.append((name.strip(), value.strip()))
        lower = {name.lower(): value for name, value in headers}
        if lower.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunk = await reader.readexactly(size + 2)
                if size == 0:
                    # trailers, if any, end with an empty line
                    while chunk != b"\r\n":
                        chunk = await reader.readuntil(b"\r\n")
                    break
                body += chunk[:-2]
        else:
            length = int(lower.get("content-length") or 0)
            body = await reader.readexactly(length) if length else b""
        await asyncio.sleep(self.delay)
        scope = SCOPE.search(lower.get("authorization", ""))
        service, region = (scope.group(2), scope.group(1)) if scope else ("", "")
        target = lower.get("x-amz-target", "")
        key = request_key(method, path, target, service, region, body)
        source = "upstream"
        entry = self.recording.get(key)
        if entry is not None:
            status, reply_headers = entry["status"], [tuple(h) for h in entry["headers"]]
            data = base64.b64decode(entry["body"])
            source = "replay"
        else:
            forward = [(n, v) for n, v in headers if n.lower() not in HOP_BY_HOP]
            status, reply_headers, data = await asyncio.get_running_loop().run_in_executor(
                self.pool, self.forward, upstream, method, path, body, forward)
            if self.record is not None and status != 502:
                self.record.write(json.dumps({"key": key, "status": status, "headers": reply_headers,
                                              "body": base64.b64encode(data).decode()}) + "\n")
        out = [f"HTTP/1.1 {status} {reason(status)}"]
        for name, value in reply_headers:
            if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                out.append(f"{name}: {value}")
        out.append(f"Content-Length: {len(data)}")
        close = lower.get("connection", "").lower() == "close" or version == "HTTP/1.0"
        if close:
            out.append("Connection: close")
        # Headers and body in one write (one segment for small answers).
        writer.write(("\r\n".join(out) + "\r\n\r\n").encode("latin-1") + (data if method != "HEAD" else b""))
        try:
            await writer.drain()
        except ConnectionError:
            return False
        ended = time.monotonic()
        self.log.write(json.dumps({
            "source": source, "start": round(started - self.origin, 6), "end": round(ended - self.origin, 6),
            "method": method, "service": service, "region": region,
            "target": target or path.split("?")[0], "status": status,
        }) + "\n")
        return not close

    def forward(self, upstream, method, path, body, headers):
        """Sends one request upstream on this client connection's own upstream connection (blocking)."""
        for attempt in (1, 2):  # a kept-alive upstream connection may have been closed
            try:
                if upstream[0] is None:
                    upstream[0] = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=120)
                upstream[0].request(method, path, body=body or None, headers=dict(headers))
                response = upstream[0].getresponse()
                data = response.read()
                result = (response.status, response.getheaders(), data)
                if response.will_close:
                    upstream[0].close()
                    upstream[0] = None
                return result
            except (http.client.HTTPException, OSError):
                if upstream[0] is not None:
                    upstream[0].close()
                upstream[0] = None
        return 502, [("Content-Type", "text/plain")], b"proxy: upstream failed"


async def serve(args, sock, origin):
    proxy = Proxy(args, origin)
    server = await asyncio.start_server(proxy.serve, sock=sock, limit=MAX_HEADER_BYTES)
    async with server:
        await server.serve_forever()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--delay-ms", type=float, default=50.0)
    parser.add_argument("--log", required=True)
    parser.add_argument("--record")
    parser.add_argument("--replay")
    parser.add_argument("--workers", type=int, default=None,
                        help="processes answering (default: 2 when replaying, else 1; recording is always 1)")
    args = parser.parse_args()
    workers = args.workers if args.workers is not None else (2 if args.replay else 1)
    if args.record:
        workers = 1  # one writer for the recording
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    sock.listen(1024)
    sock.setblocking(False)
    origin = time.monotonic()
    children = []
    for _ in range(max(1, workers) - 1):
        pid = os.fork()
        if pid == 0:
            try:  # die with the parent (bench.sh stops the proxy by the parent's pid)
                ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
            except (OSError, AttributeError):
                pass
            try:
                asyncio.run(serve(args, sock, origin))
            except KeyboardInterrupt:
                pass
            os._exit(0)
        children.append(pid)

    def stop(*_):
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except OSError:
                pass
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    print(f"ready {sock.getsockname()[1]}", flush=True)
    try:
        asyncio.run(serve(args, sock, origin))
    except KeyboardInterrupt:
        stop()


if __name__ == "__main__":
    sys.exit(main())
