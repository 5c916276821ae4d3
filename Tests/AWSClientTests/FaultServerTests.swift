import Foundation
import TestSupport
import Testing

@testable import AWSClient

/// Retries, timeouts and error parsing against a local server that misbehaves on purpose.
@Suite(.serialized) struct FaultServerTests {
    static let server = Task { try await FaultServer.start() }

    func client(_ mode: FaultServer.Mode, attempts: Int = 3, timeout: Duration = .seconds(60))
        async throws -> (AWSClient, CountingTransport)
    {
        let server = try await Self.server.value
        let transport = CountingTransport()
        let retry = RetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5))
        return (
            AWSClient(
                testConfiguration(
                    endpoint: server.endpoint(mode), transport: transport, retry: retry,
                    timeout: timeout)), transport
        )
    }

    @Test func throttlingJSONIsRetriedThenTyped() async throws {
        let (client, transport) = try await client(.throttle)
        let error = try #require(await awsError { try await client.json(.logs, "DescribeLogGroups") })
        #expect(error.kind == .throttling)
        #expect(error.code == "ThrottlingException")
        #expect(error.message == "Rate exceeded")
        #expect(error.status == 400)
        #expect(error.requestID == "fault-req-1")
        #expect(transport.count == 3)
        #expect(try await Self.server.value.count(.throttle) == 3)
        #expect(client.metrics.requestCount == 3)
        #expect(client.metrics.all.map(\.attempt) == [1, 2, 3])
    }

    @Test func throttlingXMLOnQueryProtocol() async throws {
        let (client, _) = try await client(.throttleXML, attempts: 4)
        let error = try #require(await awsError { try await client.query(.iam, "ListUsers") })
        #expect(error.kind == .throttling)
        #expect(error.code == "Throttling")
        #expect(error.service == "iam" && error.operation == "ListUsers")
        #expect(try await Self.server.value.count(.throttleXML) == 4)
    }

    @Test func serverErrorsAreRetried() async throws {
        let (client, _) = try await client(.internalError)
        let error = try #require(await awsError { try await client.json(.config, "DescribeConfigRules") })
        #expect(error.kind == .service)
        #expect(error.code == "InternalFailure")
        #expect(error.status == 500)
        #expect(try await Self.server.value.count(.internalError) == 3)

        let (client503, _) = try await self.client(.unavailable, attempts: 2)
        let unavailable = try #require(await awsError { try await client503.query(.sns, "ListTopics") })
        #expect(unavailable.status == 503)
        #expect(unavailable.isRetryable)
        #expect(try await Self.server.value.count(.unavailable) == 2)
    }

    @Test func slowResponsesTimeOutAndAreRetried() async throws {
        let (client, _) = try await client(.slow, timeout: .milliseconds(300))
        let error = try #require(await awsError { try await client.json(.kms, "ListKeys") })
        // Without the deadline each attempt would wait the server's 3 s out and succeed: a
        // timeout after three attempts is the proof. No wall-clock bound: on a busy 2-core
        // machine other tests' blocking process waits can delay this task's resumption.
        #expect(error.kind == .timeout)
        #expect(try await Self.server.value.count(.slow) == 3)
    }

    @Test func garbageBodiesAreRetriedThenInvalidResponse() async throws {
        let (client, _) = try await client(.garbage)
        let error = try #require(await awsError { try await client.json(.cloudtrail, "DescribeTrails") })
        #expect(error.kind == .invalidResponse)
        #expect(error.status == 200)
        #expect(try await Self.server.value.count(.garbage) == 3)
        let (queryClient, _) = try await self.client(.garbage, attempts: 2)
        let xmlError = try #require(await awsError { try await queryClient.query(.ec2, "DescribeVpcs") })
        #expect(xmlError.kind == .invalidResponse)
        #expect(try await Self.server.value.count(.garbage) == 5)
    }

    @Test func motoNotImplementedPagesAreNotRetried() async throws {
        let (client, _) = try await client(.html500)
        let error = try #require(await awsError { try await client.json(.config, "DescribeDeliveryChannelStatus") })
        #expect(error.kind == .notImplemented)
        #expect(error.code == "NotImplemented")
        #expect(error.message.contains("500 Internal Server Error"))
        #expect(!error.message.contains("<"))
        #expect(try await Self.server.value.count(.html500) == 1)

        let (rest, _) = try await self.client(.html404)
        let missing = try #require(
            await awsError {
                try await rest.restJSON(.guardduty, "ListPublishingDestinations", path: ["DetectorId": "abc"])
            })
        #expect(missing.kind == .notImplemented)
        #expect(missing.code == "UnknownOperation")
        #expect(try await Self.server.value.count(.html404) == 1)
    }

    @Test func flakyServerSucceedsOnThirdAttempt() async throws {
        let (client, transport) = try await client(.flaky)
        let result = try await client.json(.events, "ListRules")
        #expect(result["ok"]?.bool == true)
        #expect(transport.count == 3)
        #expect(client.metrics.all.map(\.status) == [503, 503, 200])
    }

    @Test func droppedConnectionsAreTransportErrors() async throws {
        let (client, _) = try await client(.drop)
        let error = try #require(await awsError { try await client.query(.sts, "GetCallerIdentity") })
        #expect(error.kind == .transport || error.kind == .invalidResponse)
        #expect(try await Self.server.value.count(.drop) == 3)
    }

    @Test func authFailuresAreNotRetried() async throws {
        let (client, _) = try await client(.badSignature)
        let error = try #require(await awsError { try await client.json(.organizations, "ListRoots") })
        #expect(error.kind == .authFailure)
        #expect(error.code == "SignatureDoesNotMatch")
        #expect(error.requestID == "fault-req-1")
        #expect(try await Self.server.value.count(.badSignature) == 1)
    }

    @Test func connectionRefusedIsTransport() async throws {
        let port = try MotoServer.freePort()
        let endpoint = try #require(URL(string: "http://127.0.0.1:\(port)"))
        let client = AWSClient(
            testConfiguration(
                endpoint: endpoint,
                retry: RetryPolicy(
                    maxAttempts: 2,
                    baseDelay: .milliseconds(1), maxDelay: .milliseconds(2))))
        let error = try #require(await awsError { try await client.query(.iam, "ListUsers") })
        #expect(error.kind == .transport)
        #expect(client.metrics.requestCount == 2)
    }
}
