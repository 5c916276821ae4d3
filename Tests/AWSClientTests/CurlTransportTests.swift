import Foundation
import TestSupport
import Testing

@testable import AWSClient

/// `CurlTransport` (libcurl's multi interface, driven directly) against real servers: moto with
/// signature checking on, and the fault server for retries, time-outs and broken connections.
@Suite(.serialized) struct CurlTransportTests {
    static let faults = Task { try await FaultServer.start() }

    func curl(_ connections: Int = 16) throws -> CurlTransport {
        try #require(CurlTransport(maxConnectionsPerHost: connections), "libcurl could not be loaded")
    }

    func faultClient(
        _ mode: FaultServer.Mode, transport: any HTTPTransport, attempts: Int = 3,
        timeout: Duration = .seconds(60)
    ) async throws -> AWSClient {
        let server = try await Self.faults.value
        let retry = RetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5))
        return AWSClient(
            testConfiguration(
                endpoint: server.endpoint(mode), transport: transport, retry: retry,
                timeout: timeout))
    }

    @Test func standardTransportIsCurlUnlessAskedOtherwise() {
        #expect(HTTPTransports.standard(maxConnectionsPerHost: 4, environment: [:]) is CurlTransport)
        #expect(
            HTTPTransports.standard(maxConnectionsPerHost: 4, environment: ["SOP_HTTP_TRANSPORT": "urlsession"])
                is URLSessionTransport)
    }

    /// Every wire protocol, signature-checked by moto, gives what URLSession gives.
    @Test func signedCallsOfEveryProtocolMatchURLSession() async throws {
        let curl = try await MotoFixture.client(transport: try curl())
        let reference = try await MotoFixture.client(transport: URLSessionTransport())
        let identity = try await curl.query(.sts, "GetCallerIdentity")
        #expect(identity.string("Account") == MotoFixture.account)
        let users = try await curl.queryPages(.iam, "ListUsers").flatMap { $0.list("Users") }.compactMap {
            $0.string("UserName")
        }
        let expectedUsers = try await reference.queryPages(.iam, "ListUsers").flatMap { $0.list("Users") }
            .compactMap { $0.string("UserName") }
        #expect(Set(users) == Set(expectedUsers) && !users.isEmpty)
        #expect(
            try await curl.json(.logs, "DescribeLogGroups") == (try await reference.json(.logs, "DescribeLogGroups")))
        #expect(
            try await curl.restJSON(.guardduty, "ListDetectors")
                == (try await reference.restJSON(.guardduty, "ListDetectors")))
        let buckets = try await curl.restXML(.s3, "ListBuckets").list("Buckets").compactMap { $0.string("Name") }
        let expectedBuckets = try await reference.restXML(.s3, "ListBuckets").list("Buckets").compactMap {
            $0.string("Name")
        }
        #expect(buckets == expectedBuckets)
    }

    /// Many calls at once over few connections: each answer reaches its own caller.
    @Test func concurrentCallsShareConnections() async throws {
        let client = try await MotoFixture.client(transport: try curl(4))
        let accounts = try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<60 {
                group.addTask { try await client.query(.sts, "GetCallerIdentity").string("Account") }
            }
            var all: [String?] = []
            for try await account in group { all.append(account) }
            return all
        }
        #expect(accounts.count == 60)
        #expect(accounts.allSatisfy { $0 == MotoFixture.account })
    }

    @Test func errorsAreParsedAndRetriedAsWithURLSession() async throws {
        let throttled = try await faultClient(.throttle, transport: try curl())
        let error = try #require(await awsError { try await throttled.json(.logs, "DescribeLogGroups") })
        #expect(error.kind == .throttling)
        #expect(error.code == "ThrottlingException")
        #expect(error.requestID == "fault-req-1")
        #expect(throttled.metrics.all.map(\.attempt) == [1, 2, 3])

        let flaky = try await faultClient(.flaky, transport: try curl())
        let result = try await flaky.json(.events, "ListRules")
        #expect(result["ok"]?.bool == true)
        #expect(flaky.metrics.all.map(\.status) == [503, 503, 200])

        let garbage = try await faultClient(.garbage, transport: try curl(), attempts: 1)
        #expect(await awsError { try await garbage.json(.cloudtrail, "DescribeTrails") }?.kind == .invalidResponse)
    }

    /// libcurl keeps the deadline itself: no watchdog task, the same `timeout` error.
    @Test func slowAnswersTimeOut() async throws {
        let transport = try curl()
        #expect(transport.enforcesTimeout)
        let client = try await faultClient(.slow, transport: transport, attempts: 2, timeout: .milliseconds(300))
        // The server answers 200 after 3 s, so a timeout is itself the proof that the 0.3 s
        // deadline fired (no wall-clock bound: a busy 2-core CI machine can delay resumption).
        let error = try #require(await awsError { try await client.json(.kms, "ListKeys") })
        #expect(error.kind == .timeout)
        #expect(error.code == "Timeout")
        #expect(error.message.contains("no response within"))
        #expect(client.metrics.requestCount == 2)
    }

    @Test func brokenConnectionsAreTransportErrors() async throws {
        let dropped = try await faultClient(.drop, transport: try curl(), attempts: 2)
        let error = try #require(await awsError { try await dropped.query(.sts, "GetCallerIdentity") })
        #expect(error.kind == .transport || error.kind == .invalidResponse)

        let port = try MotoServer.freePort()
        let endpoint = try #require(URL(string: "http://127.0.0.1:\(port)"))
        let refused = AWSClient(
            testConfiguration(
                endpoint: endpoint, transport: try curl(),
                retry: RetryPolicy(
                    maxAttempts: 2, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2))))
        let refusal = try #require(await awsError { try await refused.query(.iam, "ListUsers") })
        #expect(refusal.kind == .transport)
        #expect(refused.metrics.requestCount == 2)
    }

    /// A failed transfer carries libcurl's own code and message through the C module's types:
    /// `CURLE_COULDNT_CONNECT` is 7 in libcurl's stable ABI, and the message is the error buffer's.
    @Test func refusedConnectionIsLibcurlsCodeAndMessage() async throws {
        let port = try MotoServer.freePort()
        let url = try #require(URL(string: "http://127.0.0.1:\(port)/"))
        let transport = try curl()
        var thrown: (any Error)?
        do { _ = try await transport.send(HTTPRequest(method: "GET", url: url), timeout: .seconds(10)) } catch {
            thrown = error
        }
        let error = try #require(thrown as? CurlError, "expected a CurlError, got \(String(describing: thrown))")
        #expect(error.code == 7)
        #expect(!error.message.isEmpty)
        #expect(error.description.hasSuffix("(curl 7)"))
    }

    /// A cancelled caller gets its answer (CancellationError) at once, not when the server replies.
    @Test func cancellationStopsTheTransfer() async throws {
        let server = try await Self.faults.value
        let transport = try curl()
        let request = HTTPRequest(
            method: "POST", url: server.endpoint(.stall), headers: ["content-type": "application/json"],
            body: Data("{}".utf8))
        let started = ContinuousClock.now
        let task = Task { try await transport.send(request, timeout: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        // Had the transfer run on, libcurl's 30 s time-out would be the result (the server
        // stalls for 60 s, so however late a loaded machine wakes this test, cancel comes first).
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(ContinuousClock.now - started < .seconds(25))
    }
}
