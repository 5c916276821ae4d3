import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SOPApp
import SOPCore
import Synchronization

/// What every route shares: the application layer, the sessions, the sign-in limiter and the
/// page cache; and the two shapes a route takes (show a page, run an action).
struct WebApp: Sendable {
    let app: SOPApplication
    let sessions: SessionStore
    let limiter = SignInLimiter()
    let cache = PageCache()
    let staleCounts: StaleSignoffCounts
    let options: ServerOptions

    init(app: SOPApplication, sessions: SessionStore, staleCounts: StaleSignoffCounts, options: ServerOptions) {
        (self.app, self.sessions, self.staleCounts, self.options) = (app, sessions, staleCounts, options)
    }

    static let html: HTTPFields = [.contentType: "text/html; charset=utf-8"]

    /// A page for the signed-in principal, built by `build` unless the cache holds it at the
    /// tracker's current change counter. The counter is read on every request (by the sign-in
    /// middleware, with the member's account, when it can), so a change by
    /// anyone (the CLI on another machine included) shows at the next load; `ETag` and
    /// `If-None-Match` spare the bytes of a page the browser already has.
    func page(
        _ request: Request, _ context: WebContext, title: String,
        build: @escaping @Sendable () throws -> String
    ) async throws -> Response {
        guard let principal = context.principal else { throw HTTPError(.unauthorized) }
        let notice = context.sessionID.flatMap { sessions.takeNotice($0) }
        let counter: Int
        if let known = context.changeCounter {
            counter = known
        } else {
            counter = try await run { try app.changeCounter() }
        }
        let today = Timestamps.day(try app.context.now())
        let key = principal.cacheScope + " " + request.uri.description
        let stamp = "\(counter)/\(today)"
        var body: PageCache.Entry
        if notice == nil, let cached = cache.entry(key, stamp: stamp) {
            body = cached
        } else {
            let content = try await run(build)
            let html = Layout.document(title: title, principal: principal, notice: notice, body: content)
            body = PageCache.Entry(stamp: stamp, html: html)
            if notice == nil { cache.store(key, body) }
        }
        let token = context.formToken ?? ""
        let etag = "\"\(counter)-\(body.digest)-\(token.prefix(8))\""
        if notice == nil, request.headers[.ifNoneMatch] == etag {
            return Response(status: .notModified, headers: [.eTag: etag])
        }
        var headers = Self.html
        headers[.eTag] = etag
        return Response(status: .ok, headers: headers, body: body.body(formToken: token))
    }

    /// Runs an action posted from a form: the form token is checked (for a browser session),
    /// the use case runs, and the browser is sent back to `back` with what happened as a notice.
    /// A refusal is the use case's own one-line reason; nothing is half-written (the use case
    /// is one transaction).
    func act(
        _ request: Request, _ context: WebContext, fields: FormFields, back: String,
        _ body: @escaping @Sendable (_ actor: String) throws -> String
    ) async throws -> Response {
        guard let principal = context.principal else { throw HTTPError(.unauthorized) }
        try checkFormToken(fields, context)
        let notice: SessionStore.Notice
        do {
            notice = .init(text: try await blocking { try body(principal.actor) }, isError: false)
        } catch let error as AppError {
            notice = .init(text: error.description, isError: true)
        }
        guard let session = context.sessionID else {
            // A script (bearer token, proxy): the outcome as plain text and a status.
            return Response(
                status: notice.isError ? .badRequest : .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: notice.text + "\n")))
        }
        sessions.setNotice(session, notice)
        return Response.redirect(to: back, type: .found)
    }

    /// A browser session's form must carry its token (`csrf`).
    func checkFormToken(_ fields: FormFields, _ context: WebContext) throws {
        guard let expected = context.formToken else { return }
        guard let given = fields["csrf"], given == expected else {
            throw HTTPError(
                .forbidden, message: "refused: the form is from an old page or another site; reload and try again")
        }
    }

    /// A use case on the thread pool; an unknown customer or evidence is 404, other refusals 400.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        do {
            return try await blocking(body)
        } catch let error as AppError {
            let text = error.description
            if text.hasPrefix("unknown customer") || text.hasPrefix("unknown evidence") {
                throw HTTPError(.notFound, message: text)
            }
            throw HTTPError(error.kind == .notOK ? .internalServerError : .badRequest, message: text)
        }
    }
}

/// Rendered pages by principal scope and URL, valid while the tracker's change counter (and
/// the day) stay what they were when the page was built. Bounded: the oldest entries go first.
final class PageCache: Sendable {
    struct Entry: Sendable {
        var stamp: String
        /// The page split at the form-token marks, so sending it is joining buffers.
        var parts: [ByteBuffer]
        var digest: String

        init(stamp: String, html: String) {
            self.stamp = stamp
            parts = html.components(separatedBy: Layout.formTokenMark).map { ByteBuffer(string: $0) }
            var hasher = Hasher()
            hasher.combine(html)
            digest = String(UInt(bitPattern: hasher.finalize()), radix: 36)
        }

        /// The page with the session's form token in its marks, as a body that writes the
        /// cached parts and the token side by side (NIO sends them with one `writev`): the
        /// page is never copied per request.
        func body(formToken: String) -> ResponseBody {
            guard parts.count > 1 else { return ResponseBody(byteBuffer: parts.first ?? ByteBuffer()) }
            let token = ByteBuffer(string: formToken)
            var buffers: [ByteBuffer] = []
            buffers.reserveCapacity(parts.count * 2 - 1)
            for (index, part) in parts.enumerated() {
                if index > 0 { buffers.append(token) }
                buffers.append(part)
            }
            let length = buffers.reduce(0) { $0 + $1.readableBytes }
            return ResponseBody(contentLength: length) { [buffers] writer in
                try await writer.write(contentsOf: buffers)
                try await writer.finish(nil)
            }
        }
    }

    private let entries = Mutex<[String: Entry]>([:])
    let capacity = 512

    func entry(_ key: String, stamp: String) -> Entry? {
        entries.withLock { table in
            guard let entry = table[key] else { return nil }
            return entry.stamp == stamp ? entry : nil
        }
    }

    func store(_ key: String, _ entry: Entry) {
        entries.withLock { table in
            if table.count >= capacity { table = table.filter { $0.value.stamp == entry.stamp } }
            if table.count >= capacity { table.removeAll() }
            table[key] = entry
        }
    }
}
