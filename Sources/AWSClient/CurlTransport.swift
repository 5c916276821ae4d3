import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if os(Linux)
    import CCurl
#endif

/// Chooses the HTTP transport for a client that sends many requests at once (`sop verify`).
public enum HTTPTransports {
    /// libcurl's multi interface driven directly (``CurlTransport``) where libcurl initialises
    /// (Linux), else ``URLSessionTransport``. `SOP_HTTP_TRANSPORT=urlsession` forces
    /// URLSession.
    public static func standard(
        maxConnectionsPerHost: Int,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> any HTTPTransport {
        if environment["SOP_HTTP_TRANSPORT"]?.lowercased() != "urlsession",
            let curl = CurlTransport(maxConnectionsPerHost: maxConnectionsPerHost)
        {
            return curl
        }
        return URLSessionTransport(maxConnectionsPerHost: maxConnectionsPerHost)
    }
}

#if os(Linux)

    /// Sends requests with libcurl's multi interface on one thread of its own.
    ///
    /// Why not `URLSession`: on Linux it is built on the same libcurl, but wraps every transfer
    /// in dispatch sources (one per socket, a new timer per response header line) run on one
    /// serial queue, and measured about 1.5 ms of CPU per request, five times what libcurl
    /// itself needs. `sop verify` sends a few hundred requests at once, so that overhead, not
    /// the network, set its wall time on a small machine. This transport keeps libcurl's own
    /// event loop (`curl_multi_poll`) and connection cache, HTTPS included, and hands each
    /// response back to the waiting task.
    ///
    /// libcurl is the library FoundationNetworking already links; the `CCurl` module compiles
    /// against its own headers, so option numbers, types and the message layout are libcurl's,
    /// and its shim turns the variadic setters into typed C functions (Swift cannot call a
    /// variadic C function). The initialiser returns nil when libcurl fails to initialise, and
    /// callers fall back to ``URLSessionTransport``.
    public final class CurlTransport: HTTPTransport, @unchecked Sendable {
        private let engine: CurlEngine

        /// `maxConnectionsPerHost`: connections libcurl opens to one host; further transfers wait
        /// for one of them inside libcurl.
        public init?(maxConnectionsPerHost: Int) {
            guard CurlLibrary.initialized, let engine = CurlEngine(maxConnectionsPerHost: max(1, maxConnectionsPerHost))
            else { return nil }
            self.engine = engine
        }

        deinit { engine.stop() }

        /// libcurl times each transfer out itself (`CURLOPT_TIMEOUT_MS`, to the millisecond).
        public var enforcesTimeout: Bool { true }

        public func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
            try Task.checkCancellation()
            let transfer = CurlTransfer(request: request, timeout: timeout)
            let engine = self.engine
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    transfer.continuation = continuation
                    engine.submit(transfer)
                }
            } onCancel: {
                engine.cancel(transfer)
            }
        }
    }

    /// The error of a transfer that failed without a response (refused, reset, DNS, TLS, …).
    public struct CurlError: Error, Sendable, CustomStringConvertible {
        /// libcurl's `CURLcode`.
        public var code: Int32
        public var message: String
        public var description: String { "\(message) (curl \(code))" }
    }

    /// One request on its way: owned by the engine thread once submitted.
    final class CurlTransfer: @unchecked Sendable {
        let request: HTTPRequest
        let timeout: Duration
        var continuation: CheckedContinuation<HTTPResponse, Error>?
        /// Set (under the engine's lock) when the waiting task was cancelled.
        var cancelled = false
        var easy: OpaquePointer?
        var headerList: UnsafeMutablePointer<curl_slist>?
        var headers: [String: String] = [:]
        var body: [UInt8] = []
        /// libcurl's message for a failed transfer (`CURLOPT_ERRORBUFFER`, `CURL_ERROR_SIZE` bytes).
        let errorBuffer: UnsafeMutablePointer<CChar> = {
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
            buffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
            return buffer
        }()

        deinit { errorBuffer.deallocate() }

        init(request: HTTPRequest, timeout: Duration) {
            self.request = request
            self.timeout = timeout
        }

        func finish(_ result: Result<HTTPResponse, Error>) {
            continuation?.resume(with: result)
            continuation = nil
        }
    }

    /// The multi handle, its thread, and the hand-over of transfers to and from it.
    final class CurlEngine: @unchecked Sendable {
        private let multi: OpaquePointer
        private let lock = NSLock()
        private var pending: [CurlTransfer] = []
        private var cancellations: [CurlTransfer] = []
        private var stopping = false
        // Engine thread only:
        private var active: [OpaquePointer: CurlTransfer] = [:]
        private var idle: [OpaquePointer] = []

        init?(maxConnectionsPerHost: Int) {
            guard let multi = curl_multi_init() else { return nil }
            self.multi = multi
            _ = sop_curl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, maxConnectionsPerHost)
            // Keep every connection open for reuse (libcurl's default cache is smaller).
            _ = sop_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(16, maxConnectionsPerHost * 2))
            let thread = Thread { [self] in run() }
            thread.name = "sop-curl"
            thread.start()
        }

        func submit(_ transfer: CurlTransfer) {
            lock.lock()
            pending.append(transfer)
            lock.unlock()
            _ = curl_multi_wakeup(multi)
        }

        func cancel(_ transfer: CurlTransfer) {
            lock.lock()
            transfer.cancelled = true
            cancellations.append(transfer)
            lock.unlock()
            _ = curl_multi_wakeup(multi)
        }

        func stop() {
            lock.lock()
            stopping = true
            lock.unlock()
            _ = curl_multi_wakeup(multi)
        }

        private func run() {
            var running: Int32 = 0
            var left: Int32 = 0
            while true {
                lock.lock()
                let arrived = pending
                pending.removeAll()
                let withdrawn = cancellations
                cancellations.removeAll()
                let stop = stopping
                let cancelledOnArrival = arrived.map(\.cancelled)
                lock.unlock()
                if stop && active.isEmpty && arrived.isEmpty { break }
                for (transfer, cancelled) in zip(arrived, cancelledOnArrival) {
                    if cancelled {
                        transfer.finish(.failure(CancellationError()))
                    } else {
                        start(transfer)
                    }
                }
                for transfer in withdrawn {
                    guard let easy = transfer.easy, active[easy] === transfer else { continue }
                    _ = curl_multi_remove_handle(multi, easy)
                    release(transfer)
                    transfer.finish(.failure(CancellationError()))
                }
                _ = curl_multi_perform(multi, &running)
                while let message = curl_multi_info_read(multi, &left) {
                    guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                        let transfer = active[easy]
                    else { continue }
                    let code = message.pointee.data.result
                    var status = 0
                    if code == CURLE_OK { _ = sop_curl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status) }
                    _ = curl_multi_remove_handle(multi, easy)
                    release(transfer)
                    if code == CURLE_OK {
                        transfer.finish(
                            .success(
                                HTTPResponse(
                                    status: status, headers: transfer.headers,
                                    body: Data(transfer.body))))
                    } else {
                        transfer.finish(.failure(error(code, detail: String(cString: transfer.errorBuffer))))
                    }
                }
                // Sleeps until a socket is ready, a libcurl timer is due, or `multiWakeup`.
                _ = curl_multi_poll(multi, nil, 0, 1000, nil)
            }
            for easy in idle { curl_easy_cleanup(easy) }
            idle.removeAll()
            _ = curl_multi_cleanup(multi)
        }

        private func error(_ code: CURLcode, detail: String) -> Error {
            let message =
                detail.isEmpty ? curl_easy_strerror(code).map { String(cString: $0) } ?? "transfer failed" : detail
            switch code {
            case CURLE_OPERATION_TIMEDOUT: return URLError(.timedOut)
            default: return CurlError(code: Int32(truncatingIfNeeded: code.rawValue), message: message)
            }
        }

        private func start(_ transfer: CurlTransfer) {
            let easy: OpaquePointer
            if let reused = idle.popLast() {
                easy = reused
            } else if let fresh = curl_easy_init() {
                easy = fresh
            } else {
                transfer.finish(.failure(CurlError(code: -1, message: "curl_easy_init failed")))
                return
            }
            transfer.easy = easy
            let request = transfer.request
            let me = UnsafeMutableRawPointer(Unmanaged.passUnretained(transfer).toOpaque())
            var ok = true
            func long(_ option: CURLoption, _ value: Int) {
                ok = ok && sop_curl_easy_setopt_long(easy, option, value) == CURLE_OK
            }
            func pointer(_ option: CURLoption, _ value: UnsafeRawPointer?) {
                ok = ok && sop_curl_easy_setopt_pointer(easy, option, value) == CURLE_OK
            }
            long(CURLOPT_NOSIGNAL, 1)
            pointer(CURLOPT_ERRORBUFFER, transfer.errorBuffer)
            // libcurl's receive buffer is per handle (16 kB by default); with hundreds of transfers
            // in flight a smaller one keeps memory down, at the cost of a few more write callbacks.
            long(CURLOPT_BUFFERSIZE, 4096)
            request.url.absoluteString.withCString { pointer(CURLOPT_URL, $0) }  // libcurl copies strings
            // `CURLOPT_PROTOCOLS_STR` is libcurl 7.85; an older library at run time takes the bitmask.
            if sop_curl_easy_setopt_pointer(easy, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK {
                long(CURLOPT_PROTOCOLS, sop_curl_protocols_http_https())
            }
            // The whole attempt, connecting included (`enforcesTimeout`).
            let milliseconds = max(
                1,
                Int(transfer.timeout.components.seconds) * 1000
                    + Int(transfer.timeout.components.attoseconds / 1_000_000_000_000_000))
            long(CURLOPT_TIMEOUT_MS, milliseconds)
            long(CURLOPT_CONNECTTIMEOUT_MS, milliseconds)
            ok = ok && sop_curl_easy_setopt_write_callback(easy, curlWrite) == CURLE_OK
            pointer(CURLOPT_WRITEDATA, me)
            ok = ok && sop_curl_easy_setopt_header_callback(easy, curlHeader) == CURLE_OK
            pointer(CURLOPT_HEADERDATA, me)
            switch request.method {
            case "GET" where request.body.isEmpty:
                long(CURLOPT_HTTPGET, 1)
            case "HEAD":
                long(CURLOPT_NOBODY, 1)
            default:
                _ = sop_curl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
                if request.body.isEmpty {
                    "".withCString { pointer(CURLOPT_COPYPOSTFIELDS, $0) }
                } else {
                    request.body.withUnsafeBytes { pointer(CURLOPT_COPYPOSTFIELDS, $0.baseAddress) }
                }
                if request.method != "POST" { request.method.withCString { pointer(CURLOPT_CUSTOMREQUEST, $0) } }
            }
            // Exactly the client's headers (lower-case names, as signed); no `Expect: 100-continue`.
            var list: UnsafeMutablePointer<curl_slist>?
            for (name, value) in request.headers {
                list = "\(name): \(value)".withCString { curl_slist_append(list, $0) } ?? list
            }
            list = "Expect:".withCString { curl_slist_append(list, $0) } ?? list
            if request.headers["content-type"] == nil {
                // libcurl would add `application/x-www-form-urlencoded` to any body.
                list = "Content-Type:".withCString { curl_slist_append(list, $0) } ?? list
            }
            transfer.headerList = list
            pointer(CURLOPT_HTTPHEADER, UnsafeRawPointer(list))
            guard ok, curl_multi_add_handle(multi, easy) == CURLM_OK else {
                release(transfer)
                transfer.finish(.failure(CurlError(code: -1, message: "cannot set up the transfer for \(request.url)")))
                return
            }
            active[easy] = transfer
        }

        /// Detaches the transfer from its easy handle and keeps the handle for the next one.
        private func release(_ transfer: CurlTransfer) {
            guard let easy = transfer.easy else { return }
            active[easy] = nil
            curl_easy_reset(easy)
            if idle.count < 512 { idle.append(easy) } else { curl_easy_cleanup(easy) }
            transfer.easy = nil
            if let list = transfer.headerList { curl_slist_free_all(list) }
            transfer.headerList = nil
        }
    }

    /// `CURLOPT_WRITEFUNCTION`: appends body bytes.
    private let curlWrite: curl_write_callback = {
        data, size, count, context in
        guard let data, let context else { return 0 }
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
        let length = size * count
        data.withMemoryRebound(to: UInt8.self, capacity: length) {
            transfer.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
        }
        return length
    }

    /// `CURLOPT_HEADERFUNCTION`: one header line at a time (a status line starts a new block).
    private let curlHeader: curl_write_callback = {
        data, size, count, context in
        guard let data, let context else { return 0 }
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
        let length = size * count
        data.withMemoryRebound(to: UInt8.self, capacity: length) { start in
            transfer.header(UnsafeBufferPointer(start: start, count: length))
        }
        return length
    }

    extension CurlTransfer {
        /// One raw header line (CRLF included): `HTTP/1.1 200 OK`, `Name: value`, or the blank end.
        func header(_ line: UnsafeBufferPointer<UInt8>) {
            func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
            if line.starts(with: "HTTP/".utf8) {
                headers.removeAll()  // a new response (after `100 Continue`, say)
                return
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
            var nameEnd = colon
            while nameEnd > 0, isSpace(line[nameEnd - 1]) { nameEnd -= 1 }
            var valueStart = colon + 1
            var valueEnd = line.count
            while valueStart < valueEnd, isSpace(line[valueStart]) { valueStart += 1 }
            while valueEnd > valueStart, isSpace(line[valueEnd - 1]) { valueEnd -= 1 }
            let name = String(decoding: UnsafeBufferPointer(rebasing: line[0..<nameEnd]), as: UTF8.self).lowercased()
            let value = String(decoding: UnsafeBufferPointer(rebasing: line[valueStart..<valueEnd]), as: UTF8.self)
            if let earlier = headers[name] {
                headers[name] = earlier + ", " + value
            } else {
                headers[name] = value
            }
        }
    }

    /// `curl_global_init`, once per process before the first handle: it is not thread-safe in
    /// every libcurl, and a `static let` initialiser runs exactly once.
    enum CurlLibrary {
        static let initialized: Bool = sop_curl_global_init_all() == CURLE_OK
    }

#else

    /// libcurl is used directly on Linux only; elsewhere URLSession is the transport.
    public final class CurlTransport: HTTPTransport, @unchecked Sendable {
        public init?(maxConnectionsPerHost: Int) { return nil }

        public func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
            throw URLError(.unsupportedURL)
        }
    }

#endif
