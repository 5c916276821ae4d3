import AWSClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SOPApp
import SOPStore
import ServiceLifecycle
import TestSupport

// Testable for `TestResponse`'s memberwise initializer (see `LiveClient`).
@testable import HummingbirdTesting
@testable import SOPServer

/// A tracker with two customers, a member of each kind and an invitation, and a live server
/// over it on a loopback port (a real socket, through HummingbirdTesting's live client).
struct ServerFixture {
    let directory: URL
    let database: String
    var environment: [String: String]
    static let password = "correct horse battery"

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sop-serve-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        environment = [
            "SOP_NOW": "2026-03-02T09:00:00Z", "SOP_USER": "alex", "HOME": directory.path,
            "SOP_TEMPLATES": Paths.templatesDirectory.path,
        ]
        database = try TestEngine.freshTracker(file: directory.appendingPathComponent("sop.sqlite"))
        _ = try app.createCustomer(
            CreateCustomerRequest(
                customer: NewCustomer(slug: "acme", name: "Acme Corp", email: "root@acme.example", owner: "pat"),
                template: "aws-account@1.1.0"))
        _ = try app.createCustomer(
            CreateCustomerRequest(
                customer: NewCustomer(slug: "globex", name: "Globex Secret Name", email: "root@globex.example"),
                template: "aws-account@1.1.0"))
        _ = try app.addUser(
            name: "priya", roles: ["Security Lead", "Project Manager"], password: Self.password, by: nil)
        _ = try app.addUser(name: "vic", roles: ["Viewer"], password: Self.password, by: nil)
    }

    /// The application layer the CLI would use (opens and closes the tracker per call).
    var app: SOPApplication {
        SOPApplication(
            AppContext(environment: environment, database: database, transport: { _ in URLSessionTransport() }))
    }

    /// Runs `body` against a live server with `options`.
    func serve(
        _ options: ServerOptions = ServerOptions(), _ body: @escaping @Sendable (Client) async throws -> Void
    ) async throws {
        let store = try app.context.openStore()
        defer { store.close() }
        var context = app.context
        context.openTracker = store
        context.inputNaming = .formFields
        let (ports, announce) = AsyncStream<Int>.makeStream()
        let application = try WebServer.makeApplication(
            app: SOPApplication(context), options: options, host: "127.0.0.1", port: 0,
            onReady: { port in
                announce.yield(port)
                announce.finish()
            })
        let services = ServiceGroup(configuration: .init(services: [application], logger: application.logger))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var next = ports.makeAsyncIterator()
            guard let port = await next.next() else { throw LiveClient.NotStarted() }
            let client = LiveClient(port: port)
            client.client.connect()
            do {
                try await body(Client(client: client))
            } catch {
                try? await client.client.shutdown()
                await services.triggerGracefulShutdown()
                throw error
            }
            try await client.client.shutdown()
            await services.triggerGracefulShutdown()
        }
    }

    /// HummingbirdTesting's live client, with a time-out a loaded test machine cannot reach
    /// (`.live` fixes 20 s; with every suite running at once on two cores, a bcrypt sign-in
    /// has taken longer). A server that truly hangs still fails the test, after two minutes.
    struct LiveClient: TestClientProtocol {
        struct NotStarted: Error {}
        let client: TestClient
        let port: Int?

        init(port: Int) {
            self.port = port
            client = TestClient(host: "localhost", port: port, configuration: .init(timeout: .seconds(120)))
        }

        func executeRequest(
            uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?
        ) async throws -> TestResponse {
            var headers = headers
            headers[.connection] = "keep-alive"
            let request = TestClient.Request(uri, method: method, authority: "localhost", headers: headers, body: body)
            let response = try await client.execute(request)
            return TestResponse(
                head: response.head, body: response.body ?? ByteBuffer(), trailerHeaders: response.trailerHeaders)
        }
    }

    /// A test client that keeps a session cookie and the session's form token, as a browser would.
    final class Client: @unchecked Sendable {
        let client: any TestClientProtocol
        var cookie: String?
        var formToken: String?

        init(client: any TestClientProtocol) { self.client = client }

        @discardableResult
        func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
            var headers = headers
            if let cookie { headers[.cookie] = cookie }
            let response = try await client.execute(uri: uri, method: .get, headers: headers, body: nil)
            if let token = Self.formToken(in: String(buffer: response.body)) { formToken = token }
            return response
        }

        /// A same-origin form post (as a browser sends it), with the session's token unless
        /// `token` says otherwise.
        @discardableResult
        func post(
            _ uri: String, _ fields: [String: String], token: String?? = .none, headers extra: HTTPFields = [:]
        ) async throws -> TestResponse {
            var fields = fields
            let chosen: String? = token ?? formToken
            if let chosen { fields["csrf"] = chosen }
            var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            headers[HTTPField.Name("Sec-Fetch-Site")!] = "same-origin"
            for field in extra { headers[field.name] = field.value }
            if let cookie { headers[.cookie] = cookie }
            let body = fields.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
            let response = try await client.execute(
                uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
            if let set = response.headers[.setCookie], let pair = set.split(separator: ";").first {
                cookie = String(pair)
            }
            return response
        }

        /// A multipart upload with one file.
        @discardableResult
        func upload(_ uri: String, _ fields: [String: String], file: (name: String, data: Data)?) async throws
            -> TestResponse
        {
            let boundary = "sopboundary\(UUID().uuidString.prefix(8))"
            var body = Data()
            var all = fields
            if let formToken { all["csrf"] = formToken }
            for (name, value) in all {
                body.append(
                    Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
            }
            if let file {
                body.append(
                    Data(
                        "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                            .utf8))
                body.append(file.data)
                body.append(Data("\r\n".utf8))
            }
            body.append(Data("--\(boundary)--\r\n".utf8))
            var headers: HTTPFields = [.contentType: "multipart/form-data; boundary=\(boundary)"]
            headers[HTTPField.Name("Sec-Fetch-Site")!] = "same-origin"
            if let cookie { headers[.cookie] = cookie }
            return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: body))
        }

        @discardableResult
        func signIn(_ name: String, _ password: String = ServerFixture.password) async throws -> TestResponse {
            try await post("/signin", ["name": name, "password": password, "next": "/"])
        }

        static func encode(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        }

        static func formToken(in html: String) -> String? {
            guard let range = html.range(of: "name=\"csrf\" value=\"") else { return nil }
            let rest = html[range.upperBound...]
            return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
        }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}
