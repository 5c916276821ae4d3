import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A local HTTP server that misbehaves on purpose, to test retries, timeouts and error parsing.
///
/// The first path segment picks the behaviour, so a client pointed at
/// `server.endpoint(.throttle)` (`http://127.0.0.1:<port>/throttle`) gets throttled on every call.
/// Every request is counted per mode; `count(.throttle)` reads the counter.
public final class FaultServer: @unchecked Sendable {
    /// What the server answers for requests under `/<mode>/…`.
    public enum Mode: String, Sendable, CaseIterable {
        /// 400 JSON `{"__type": "ThrottlingException"}`.
        case throttle
        /// 400 XML `<ErrorResponse><Error><Code>Throttling</Code>…`.
        case throttleXML = "throttle-xml"
        /// 500 XML `InternalFailure` (a transient AWS server error).
        case internalError = "internal-error"
        /// 503 with an empty body.
        case unavailable
        /// Sleeps 3 s, then 200 `{}`.
        case slow
        /// Sleeps 60 s, then 200 `{}`: an answer no test waits for, so only cancellation ends it.
        case stall
        /// 200 with bytes that are neither JSON nor XML.
        case garbage
        /// 500 with Werkzeug's HTML page, as moto answers operations it lacks.
        case html500 = "html-500"
        /// 404 with an HTML page, as moto answers REST paths it has no route for.
        case html404 = "html-404"
        /// 503 for the first two requests, then 200 `{"ok": true}` (and `<ok>true</ok>` for query calls).
        case flaky
        /// Closes the connection without answering.
        case drop
        /// 200 `{"ok": true}` / XML for query calls.
        case ok
        /// 403 XML `<ErrorResponse>` `SignatureDoesNotMatch`.
        case badSignature = "bad-signature"
    }

    public let port: Int
    private let process: Process
    /// The server's process-group id (`setsid` may fork, so it is not `process.processIdentifier`).
    private let group: Int32?
    private let portFile: URL
    private let lock = NSLock()
    private var stopped = false

    /// Starts the server (python3 `http.server`) and waits until it answers.
    ///
    /// The server binds port 0 itself and reports the port the kernel gave it, so two servers
    /// started at once can never share a port (choosing a free port first and binding it later
    /// races with every other server a parallel test run starts). A start that fails is retried.
    public static func start() async throws -> FaultServer {
        guard let python = MotoServer.findExecutable("python3") else { throw MotoServer.Failure("python3 not found") }
        for _ in 0..<3 {
            let portFile = FileManager.default.temporaryDirectory
                .appendingPathComponent("fault-\(UUID().uuidString.prefix(8)).port")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
            process.arguments = [
                python.path, "-c", script, String(ProcessInfo.processInfo.processIdentifier), portFile.path,
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(45)
            while Date() < deadline, process.isRunning {
                if let (group, port) = readPortFile(portFile) {
                    try? FileManager.default.removeItem(at: portFile)
                    let server = FaultServer(process: process, group: group, port: port, portFile: portFile)
                    if (try? await server.counts()) != nil { return server }
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            FaultServer(process: process, group: readPortFile(portFile)?.group, port: 0, portFile: portFile).stop()
        }
        throw MotoServer.Failure("fault server did not start")
    }

    /// "PGID PORT", written by the script once it is listening.
    private static func readPortFile(_ url: URL) -> (group: Int32, port: Int)? {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard fields.count == 2, let group = Int32(fields[0]), let port = Int(fields[1]), port > 0 else { return nil }
        return (group, port)
    }

    private init(process: Process, group: Int32?, port: Int, portFile: URL) {
        self.process = process
        self.group = group
        self.port = port
        self.portFile = portFile
    }

    deinit { stop() }

    /// The base URL for a mode, to use as an endpoint override.
    public func endpoint(_ mode: Mode) -> URL {
        URL(string: "http://127.0.0.1:\(port)/\(mode.rawValue)") ?? URL(fileURLWithPath: "/")
    }

    /// Requests received so far per mode.
    public func counts() async throws -> [String: Int] {
        guard let url = URL(string: "http://127.0.0.1:\(port)/__counts") else { return [:] }
        var request = URLRequest(url: url)
        // Generous, and asked again once: on a loaded 2-core CI machine the server's answer to
        // this bookkeeping request can take seconds while it sleeps out `slow` responses.
        request.timeoutInterval = 15
        var lastError: Error?
        for _ in 0..<2 {
            do {
                let (data, _) = try await URLSession.shared.data(for: request)
                return (try JSONSerialization.jsonObject(with: data) as? [String: Int]) ?? [:]
            } catch {
                lastError = error
            }
        }
        throw lastError ?? URLError(.unknown)
    }

    /// Requests received so far under `mode`.
    public func count(_ mode: Mode) async throws -> Int { try await counts()[mode.rawValue] ?? 0 }

    /// Total requests received (all modes).
    public func total() async throws -> Int { try await counts().values.reduce(0, +) }

    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        let pid = process.processIdentifier
        // SIGKILL: the child inherits the test runner's signal mask, which blocks SIGTERM.
        if pid > 0 { kill(pid, SIGKILL) }
        if let group, group > 1 { kill(-group, SIGKILL) }
        try? FileManager.default.removeItem(at: portFile)
    }

    private static let script = #"""
        import json, os, sys, threading, time
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        parent, port_file = int(sys.argv[1]), sys.argv[2]
        counts, lock = {}, threading.Lock()

        def watchdog():
            while True:
                try:
                    os.kill(parent, 0)
                except OSError:
                    os._exit(0)
                time.sleep(1)

        threading.Thread(target=watchdog, daemon=True).start()

        HTML500 = b"<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to complete your request.</p>\n"
        HTML404 = b"<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server.</p>\n"

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def send(self, status, body=b"", content_type="application/json", headers=None):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("x-amzn-RequestId", "fault-req-1")
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def ok(self):
                if self.query_call:
                    self.send(200, b"<OkResponse><OkResult><ok>true</ok></OkResult></OkResponse>", "text/xml")
                else:
                    self.send(200, b'{"ok": true}')

            def handle_any(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                self.query_call = body.startswith(b"Action=")
                mode = self.path.lstrip("/").split("/")[0].split("?")[0]
                if mode == "__counts":
                    with lock:
                        self.send(200, json.dumps(counts).encode())
                    return
                with lock:
                    counts[mode] = counts.get(mode, 0) + 1
                    n = counts[mode]
                if mode == "throttle":
                    self.send(400, b'{"__type": "ThrottlingException", "message": "Rate exceeded"}')
                elif mode == "throttle-xml":
                    self.send(400, b"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r-1</RequestId></ErrorResponse>", "text/xml")
                elif mode == "internal-error":
                    self.send(500, b"<ErrorResponse><Error><Code>InternalFailure</Code><Message>oops</Message></Error></ErrorResponse>", "text/xml")
                elif mode == "unavailable":
                    self.send(503, b"", "text/plain")
                elif mode == "slow":
                    time.sleep(3)
                    self.ok()
                elif mode == "stall":
                    time.sleep(60)
                    self.ok()
                elif mode == "garbage":
                    self.send(200, b"\x00\xffthis is { not < json or xml", "application/json")
                elif mode == "html-500":
                    self.send(500, HTML500, "text/html; charset=utf-8")
                elif mode == "html-404":
                    self.send(404, HTML404, "text/html; charset=utf-8")
                elif mode == "flaky":
                    if n <= 2:
                        self.send(503, b"", "text/plain")
                    else:
                        self.ok()
                elif mode == "drop":
                    self.close_connection = True
                    try:
                        self.connection.shutdown(2)
                    except OSError:
                        pass
                elif mode == "bad-signature":
                    self.send(403, b"<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message></Error><RequestId>sig-1</RequestId></ErrorResponse>", "text/xml")
                else:
                    self.ok()

            do_GET = do_POST = do_PUT = do_DELETE = handle_any

        ThreadingHTTPServer.daemon_threads = True
        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        with open(port_file + ".tmp", "w") as handle:
            handle.write("%d %d" % (os.getpgrp(), server.server_address[1]))
        os.rename(port_file + ".tmp", port_file)
        server.serve_forever()
        """#
}
