import AWSClient
import Foundation
import SOPApp
import SOPStore
import TestSupport

/// An in-process application over a fresh tracker file, with a fixed clock and an environment
/// that reads nothing of the developer's machine.
struct AppFixture {
    let directory: URL
    let transport: RecordingTransport
    var environment: [String: String]

    init(aws: [String: String] = [:]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sop-app-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        transport = RecordingTransport()
        environment = [
            "SOP_NOW": "2026-03-02T09:00:00Z", "SOP_USER": "tester", "HOME": directory.path,
            "SOP_TEMPLATES": Paths.templatesDirectory.path,
            // No AWS config of the developer's: files that do not exist.
            "AWS_CONFIG_FILE": directory.appendingPathComponent("aws-config").path,
            "AWS_SHARED_CREDENTIALS_FILE": directory.appendingPathComponent("aws-credentials").path,
        ]
        environment.merge(aws) { _, new in new }
        database = try TestEngine.freshTracker(file: directory.appendingPathComponent("sop.sqlite"))
    }

    /// The tracker: a file in the directory, or a fresh database under `SOP_TEST_ENGINE=postgresql`.
    let database: String

    var app: SOPApplication {
        let transport = self.transport
        return SOPApplication(
            AppContext(
                environment: environment, database: database,
                transport: { _ in transport }))
    }

    /// Creates `slug` on the shipped template, with the given regions (none: the customer has none).
    @discardableResult
    func customer(_ slug: String = "acme", regions: [String] = [], template: String = "aws-account@1.0.0") throws
        -> CreateCustomerResult
    {
        try app.createCustomer(
            CreateCustomerRequest(
                customer: NewCustomer(slug: slug, name: "Acme Corp", email: "root@acme.example", regions: regions),
                template: template))
    }
}

/// A real URLSession transport that remembers every request it sent (the bytes still travel).
final class RecordingTransport: HTTPTransport, @unchecked Sendable {
    private let base = URLSessionTransport()
    private let lock = NSLock()
    private var sent: [HTTPRequest] = []

    var requests: [HTTPRequest] { lock.withLock { sent } }

    /// The `Action` (query protocol) or `X-Amz-Target` operation of each request.
    var operations: [String] {
        requests.map { request in
            if let target = request.headers["x-amz-target"] { return String(target.split(separator: ".").last ?? "") }
            let body = String(decoding: request.body, as: UTF8.self)
            let query = (URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.query ?? "") + "&" + body
            for pair in query.split(separator: "&") where pair.hasPrefix("Action=") {
                return String(pair.dropFirst("Action=".count))
            }
            return request.url.path
        }
    }

    func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        lock.withLock { sent.append(request) }
        return try await base.send(request, timeout: timeout)
    }
}

/// One moto_server for the suite (started on first use).
enum SharedMoto {
    static let server = Task<MotoServer, Error> { try await MotoServer.start() }

    static func environment() async throws -> [String: String] {
        let server = try await server.value
        return [
            "AWS_ENDPOINT_URL": server.endpoint.absoluteString, "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1", "AWS_MAX_ATTEMPTS": "1",
        ]
    }
}
