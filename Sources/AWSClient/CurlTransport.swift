import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Chooses the HTTP transport for a client that sends many requests at once (`sop verify`).
public enum HTTPTransports {
    /// libcurl's multi interface driven directly (``CurlTransport``) where libcurl can be
    /// loaded (Linux), else ``URLSessionTransport``. `SOP_HTTP_TRANSPORT=urlsession` forces
    /// URLSession.
    public static func standard(maxConnectionsPerHost: Int,
                                environment: [String: String] = ProcessInfo.processInfo.environment) -> any HTTPTransport {
        if environment["SOP_HTTP_TRANSPORT"]?.lowercased() != "urlsession",
           let curl = CurlTransport(maxConnectionsPerHost: maxConnectionsPerHost) {
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
/// libcurl is the library FoundationNetworking already links; it is resolved with `dlopen`
/// (the package has no C module for it). The initialiser returns nil when that fails, and
/// callers fall back to ``URLSessionTransport``.
public final class CurlTransport: HTTPTransport, @unchecked Sendable {
    private let engine: CurlEngine

    /// `maxConnectionsPerHost`: connections libcurl opens to one host; further transfers wait
    /// for one of them inside libcurl.
    public init?(maxConnectionsPerHost: Int) {
        guard let api = LibCurl.shared, let engine = CurlEngine(api: api, maxConnectionsPerHost: max(1, maxConnectionsPerHost))
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
    var headerList: OpaquePointer?
    var headers: [String: String] = [:]
    var body: [UInt8] = []
    /// libcurl's message for a failed transfer (`CURLOPT_ERRORBUFFER`, CURL_ERROR_SIZE bytes).
    let errorBuffer: UnsafeMutablePointer<CChar> = {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: 256)
        buffer.initialize(repeating: 0, count: 256)
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
    private let api: LibCurl
    private let multi: OpaquePointer
    private let lock = NSLock()
    private var pending: [CurlTransfer] = []
    private var cancellations: [CurlTransfer] = []
    private var stopping = false
    // Engine thread only:
    private var active: [OpaquePointer: CurlTransfer] = [:]
    private var idle: [OpaquePointer] = []

    init?(api: LibCurl, maxConnectionsPerHost: Int) {
        guard let multi = api.multiInit() else { return nil }
        self.api = api
        self.multi = multi
        _ = api.multiSetoptLong(multi, LibCurl.CURLMOPT_MAX_HOST_CONNECTIONS, maxConnectionsPerHost)
        // Keep every connection open for reuse (libcurl's default cache is smaller).
        _ = api.multiSetoptLong(multi, LibCurl.CURLMOPT_MAXCONNECTS, max(16, maxConnectionsPerHost * 2))
        let thread = Thread { [self] in run() }
        thread.name = "sop-curl"
        thread.start()
    }

    func submit(_ transfer: CurlTransfer) {
        lock.lock()
        pending.append(transfer)
        lock.unlock()
        _ = api.multiWakeup(multi)
    }

    func cancel(_ transfer: CurlTransfer) {
        lock.lock()
        transfer.cancelled = true
        cancellations.append(transfer)
        lock.unlock()
        _ = api.multiWakeup(multi)
    }

    func stop() {
        lock.lock()
        stopping = true
        lock.unlock()
        _ = api.multiWakeup(multi)
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
                _ = api.multiRemove(multi, easy)
                release(transfer)
                transfer.finish(.failure(CancellationError()))
            }
            _ = api.multiPerform(multi, &running)
            while let message = api.multiInfoRead(multi, &left) {
                guard message.load(as: Int32.self) == LibCurl.CURLMSG_DONE,
                      let easy = message.load(fromByteOffset: MemoryLayout<Int>.size, as: OpaquePointer?.self),
                      let transfer = active[easy]
                else { continue }
                let code = message.load(fromByteOffset: 2 * MemoryLayout<Int>.size, as: Int32.self)
                var status = 0
                if code == 0 { _ = api.getinfoPointer(easy, LibCurl.CURLINFO_RESPONSE_CODE, &status) }
                _ = api.multiRemove(multi, easy)
                release(transfer)
                if code == 0 {
                    transfer.finish(.success(HTTPResponse(status: status, headers: transfer.headers,
                                                          body: Data(transfer.body))))
                } else {
                    transfer.finish(.failure(error(code, detail: String(cString: transfer.errorBuffer))))
                }
            }
            // Sleeps until a socket is ready, a libcurl timer is due, or `multiWakeup`.
            _ = api.multiPoll(multi, nil, 0, 1000, nil)
        }
        for easy in idle { api.easyCleanup(easy) }
        idle.removeAll()
        _ = api.multiCleanup(multi)
    }

    private func error(_ code: Int32, detail: String) -> Error {
        let message = detail.isEmpty ? api.strerror(code).map { String(cString: $0) } ?? "transfer failed" : detail
        switch code {
        case LibCurl.CURLE_OPERATION_TIMEDOUT: return URLError(.timedOut)
        default: return CurlError(code: code, message: message)
        }
    }

    private func start(_ transfer: CurlTransfer) {
        let easy: OpaquePointer
        if let reused = idle.popLast() {
            easy = reused
        } else if let fresh = api.easyInit() {
            easy = fresh
        } else {
            transfer.finish(.failure(CurlError(code: -1, message: "curl_easy_init failed")))
            return
        }
        transfer.easy = easy
        let request = transfer.request
        let me = UnsafeMutableRawPointer(Unmanaged.passUnretained(transfer).toOpaque())
        var ok = true
        func long(_ option: Int32, _ value: Int) { ok = ok && api.setoptLong(easy, option, value) == 0 }
        func pointer(_ option: Int32, _ value: UnsafeRawPointer?) { ok = ok && api.setoptPointer(easy, option, value) == 0 }
        long(LibCurl.CURLOPT_NOSIGNAL, 1)
        pointer(LibCurl.CURLOPT_ERRORBUFFER, transfer.errorBuffer)
        // libcurl's receive buffer is per handle (16 kB by default); with hundreds of transfers
        // in flight a smaller one keeps memory down, at the cost of a few more write callbacks.
        long(LibCurl.CURLOPT_BUFFERSIZE, 4096)
        request.url.absoluteString.withCString { pointer(LibCurl.CURLOPT_URL, $0) }  // libcurl copies strings
        if api.setoptPointer(easy, LibCurl.CURLOPT_PROTOCOLS_STR, "http,https") != 0 {
            long(LibCurl.CURLOPT_PROTOCOLS, LibCurl.CURLPROTO_HTTP | LibCurl.CURLPROTO_HTTPS)
        }
        // The whole attempt, connecting included (`enforcesTimeout`).
        let milliseconds = max(1, Int(transfer.timeout.components.seconds) * 1000
            + Int(transfer.timeout.components.attoseconds / 1_000_000_000_000_000))
        long(LibCurl.CURLOPT_TIMEOUT_MS, milliseconds)
        long(LibCurl.CURLOPT_CONNECTTIMEOUT_MS, milliseconds)
        pointer(LibCurl.CURLOPT_WRITEFUNCTION, unsafeBitCast(curlWrite, to: UnsafeRawPointer.self))
        pointer(LibCurl.CURLOPT_WRITEDATA, me)
        pointer(LibCurl.CURLOPT_HEADERFUNCTION, unsafeBitCast(curlHeader, to: UnsafeRawPointer.self))
        pointer(LibCurl.CURLOPT_HEADERDATA, me)
        switch request.method {
        case "GET" where request.body.isEmpty:
            long(LibCurl.CURLOPT_HTTPGET, 1)
        case "HEAD":
            long(LibCurl.CURLOPT_NOBODY, 1)
        default:
            _ = api.setoptOffT(easy, LibCurl.CURLOPT_POSTFIELDSIZE_LARGE, Int64(request.body.count))
            if request.body.isEmpty {
                "".withCString { pointer(LibCurl.CURLOPT_COPYPOSTFIELDS, $0) }
            } else {
                request.body.withUnsafeBytes { pointer(LibCurl.CURLOPT_COPYPOSTFIELDS, $0.baseAddress) }
            }
            if request.method != "POST" { request.method.withCString { pointer(LibCurl.CURLOPT_CUSTOMREQUEST, $0) } }
        }
        // Exactly the client's headers (lower-case names, as signed); no `Expect: 100-continue`.
        var list: OpaquePointer?
        for (name, value) in request.headers {
            list = "\(name): \(value)".withCString { api.slistAppend(list, $0) } ?? list
        }
        list = "Expect:".withCString { api.slistAppend(list, $0) } ?? list
        if request.headers["content-type"] == nil {
            // libcurl would add `application/x-www-form-urlencoded` to any body.
            list = "Content-Type:".withCString { api.slistAppend(list, $0) } ?? list
        }
        transfer.headerList = list
        pointer(LibCurl.CURLOPT_HTTPHEADER, UnsafeRawPointer(list))
        guard ok, api.multiAdd(multi, easy) == 0 else {
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
        api.easyReset(easy)
        if idle.count < 512 { idle.append(easy) } else { api.easyCleanup(easy) }
        transfer.easy = nil
        if let list = transfer.headerList { api.slistFree(list) }
        transfer.headerList = nil
    }
}

/// `CURLOPT_WRITEFUNCTION`: appends body bytes.
private let curlWrite: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
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
private let curlHeader: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
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

/// The libcurl functions the engine uses, resolved with `dlopen`/`dlsym`.
///
/// `curl_easy_setopt`, `curl_multi_setopt` and `curl_easy_getinfo` are variadic in C; they
/// are called through fixed-argument pointers with one integer or pointer argument, which
/// the x86-64 and AArch64 Linux calling conventions pass exactly as a variadic call does.
/// The option numbers are libcurl's stable ABI (`curl/curl.h`, `curl/multi.h`).
struct LibCurl: @unchecked Sendable {
    static let CURLOPT_WRITEDATA: Int32 = 10_001
    static let CURLOPT_URL: Int32 = 10_002
    static let CURLOPT_ERRORBUFFER: Int32 = 10_010
    static let CURLOPT_WRITEFUNCTION: Int32 = 20_011
    static let CURLOPT_HTTPHEADER: Int32 = 10_023
    static let CURLOPT_HEADERDATA: Int32 = 10_029
    static let CURLOPT_CUSTOMREQUEST: Int32 = 10_036
    static let CURLOPT_NOBODY: Int32 = 44
    static let CURLOPT_HEADERFUNCTION: Int32 = 20_079
    static let CURLOPT_HTTPGET: Int32 = 80
    static let CURLOPT_BUFFERSIZE: Int32 = 98
    static let CURLOPT_NOSIGNAL: Int32 = 99
    static let CURLOPT_POSTFIELDSIZE_LARGE: Int32 = 30_120
    static let CURLOPT_TIMEOUT_MS: Int32 = 155
    static let CURLOPT_CONNECTTIMEOUT_MS: Int32 = 156
    static let CURLOPT_COPYPOSTFIELDS: Int32 = 10_165
    static let CURLOPT_PROTOCOLS: Int32 = 181
    static let CURLOPT_PROTOCOLS_STR: Int32 = 10_318
    static let CURLPROTO_HTTP = 1
    static let CURLPROTO_HTTPS = 2
    static let CURLINFO_RESPONSE_CODE: Int32 = 0x200002
    static let CURLMOPT_MAXCONNECTS: Int32 = 6
    static let CURLMOPT_MAX_HOST_CONNECTIONS: Int32 = 7
    static let CURLMSG_DONE: Int32 = 1
    static let CURLE_OPERATION_TIMEDOUT: Int32 = 28
    static let CURL_GLOBAL_ALL = 3

    typealias Handle = OpaquePointer
    let easyInit: @convention(c) () -> Handle?
    let easyCleanup: @convention(c) (Handle?) -> Void
    let easyReset: @convention(c) (Handle?) -> Void
    let setoptLong: @convention(c) (Handle?, Int32, Int) -> Int32
    let setoptPointer: @convention(c) (Handle?, Int32, UnsafeRawPointer?) -> Int32
    let setoptOffT: @convention(c) (Handle?, Int32, Int64) -> Int32
    let getinfoPointer: @convention(c) (Handle?, Int32, UnsafeMutableRawPointer?) -> Int32
    let strerror: @convention(c) (Int32) -> UnsafePointer<CChar>?
    let slistAppend: @convention(c) (Handle?, UnsafePointer<CChar>?) -> Handle?
    let slistFree: @convention(c) (Handle?) -> Void
    let multiInit: @convention(c) () -> Handle?
    let multiCleanup: @convention(c) (Handle?) -> Int32
    let multiAdd: @convention(c) (Handle?, Handle?) -> Int32
    let multiRemove: @convention(c) (Handle?, Handle?) -> Int32
    let multiPerform: @convention(c) (Handle?, UnsafeMutablePointer<Int32>?) -> Int32
    let multiPoll: @convention(c) (Handle?, UnsafeMutableRawPointer?, UInt32, Int32, UnsafeMutablePointer<Int32>?) -> Int32
    let multiWakeup: @convention(c) (Handle?) -> Int32
    let multiInfoRead: @convention(c) (Handle?, UnsafeMutablePointer<Int32>?) -> UnsafeMutableRawPointer?
    let multiSetoptLong: @convention(c) (Handle?, Int32, Int) -> Int32

    /// The loaded library, or nil when it (or a function, e.g. `curl_multi_poll` before
    /// libcurl 7.66) is missing.
    static let shared: LibCurl? = load()

    private static func load() -> LibCurl? {
        guard let library = dlopen("libcurl.so.4", RTLD_NOW) ?? dlopen("libcurl.so", RTLD_NOW) else { return nil }
        func function<T>(_ name: String, _: T.Type = T.self) -> T? {
            dlsym(library, name).map { unsafeBitCast($0, to: T.self) }
        }
        typealias GlobalInit = @convention(c) (Int) -> Int32
        guard let globalInit = function("curl_global_init", GlobalInit.self), globalInit(CURL_GLOBAL_ALL) == 0,
              let easyInit = function("curl_easy_init", (@convention(c) () -> Handle?).self),
              let easyCleanup = function("curl_easy_cleanup", (@convention(c) (Handle?) -> Void).self),
              let easyReset = function("curl_easy_reset", (@convention(c) (Handle?) -> Void).self),
              let setoptLong = function("curl_easy_setopt", (@convention(c) (Handle?, Int32, Int) -> Int32).self),
              let setoptPointer = function("curl_easy_setopt", (@convention(c) (Handle?, Int32, UnsafeRawPointer?) -> Int32).self),
              let setoptOffT = function("curl_easy_setopt", (@convention(c) (Handle?, Int32, Int64) -> Int32).self),
              let getinfoPointer = function("curl_easy_getinfo",
                                            (@convention(c) (Handle?, Int32, UnsafeMutableRawPointer?) -> Int32).self),
              let strerror = function("curl_easy_strerror", (@convention(c) (Int32) -> UnsafePointer<CChar>?).self),
              let slistAppend = function("curl_slist_append", (@convention(c) (Handle?, UnsafePointer<CChar>?) -> Handle?).self),
              let slistFree = function("curl_slist_free_all", (@convention(c) (Handle?) -> Void).self),
              let multiInit = function("curl_multi_init", (@convention(c) () -> Handle?).self),
              let multiCleanup = function("curl_multi_cleanup", (@convention(c) (Handle?) -> Int32).self),
              let multiAdd = function("curl_multi_add_handle", (@convention(c) (Handle?, Handle?) -> Int32).self),
              let multiRemove = function("curl_multi_remove_handle", (@convention(c) (Handle?, Handle?) -> Int32).self),
              let multiPerform = function("curl_multi_perform",
                                          (@convention(c) (Handle?, UnsafeMutablePointer<Int32>?) -> Int32).self),
              let multiPoll = function("curl_multi_poll", (@convention(c) (Handle?, UnsafeMutableRawPointer?, UInt32, Int32,
                                                                          UnsafeMutablePointer<Int32>?) -> Int32).self),
              let multiWakeup = function("curl_multi_wakeup", (@convention(c) (Handle?) -> Int32).self),
              let multiInfoRead = function("curl_multi_info_read",
                                           (@convention(c) (Handle?, UnsafeMutablePointer<Int32>?) -> UnsafeMutableRawPointer?).self),
              let multiSetoptLong = function("curl_multi_setopt", (@convention(c) (Handle?, Int32, Int) -> Int32).self)
        else { return nil }
        return LibCurl(easyInit: easyInit, easyCleanup: easyCleanup, easyReset: easyReset, setoptLong: setoptLong,
                       setoptPointer: setoptPointer, setoptOffT: setoptOffT, getinfoPointer: getinfoPointer,
                       strerror: strerror, slistAppend: slistAppend, slistFree: slistFree, multiInit: multiInit,
                       multiCleanup: multiCleanup, multiAdd: multiAdd, multiRemove: multiRemove,
                       multiPerform: multiPerform, multiPoll: multiPoll, multiWakeup: multiWakeup,
                       multiInfoRead: multiInfoRead, multiSetoptLong: multiSetoptLong)
    }
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
