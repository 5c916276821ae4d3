import Foundation
import TestSupport
import Testing

/// The harness itself: it starts, answers, isolates accounts and leaves nothing running.
@Suite(.serialized) struct MotoServerHarnessTests {
    @Test func startsAndStopsWithoutLeavingAProcess() async throws {
        let server = try await MotoServer.start()
        let data = try await server.http("GET", "/moto-api/data.json")
        #expect(data.status == 200)
        let key = try server.createAccessKey(account: "999988887777", userName: "harness")
        #expect(key.accessKeyId.count >= 16)
        #expect(key.account == "999988887777")
        let identity = try server.runPython(
            """
            import boto3
            print(boto3.client("sts").get_caller_identity()["Account"])
            """, accessKey: key)
        #expect(identity.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "999988887777")
        try await server.setSignatureEnforcement(true)
        try await server.setSignatureEnforcement(false)
        let port = server.port
        server.stop()
        try await Task.sleep(for: .milliseconds(300))
        let after = try? await server.http("GET", "/moto-api/data.json", timeout: 2)
        #expect(after == nil, "port \(port) still answers after stop()")
    }
}
