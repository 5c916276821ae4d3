import Foundation
import Testing

@testable import AWSClient

/// Known answers: botocore-generated vectors (Fixtures/sigv4/generate.py) and the AWS SigV4
/// test suite's `get-vanilla`.
@Suite struct SigV4SignerTests {
    struct Vectors: Decodable {
        var generator: String
        var timestamp: String
        var accessKeyId: String
        var secretAccessKey: String
        var sessionToken: String
        var cases: [Case]
    }

    struct Case: Decodable, CustomTestStringConvertible {
        var name: String
        var method: String
        var url: String
        var headers: [String: String]
        var body: String
        var service: String
        var region: String
        var s3: Bool
        var token: Bool
        var expected: [String: String]
        var canonicalRequest: String
        var testDescription: String { name }
    }

    static let fixtureDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/sigv4")

    static func loadVectors() throws -> Vectors {
        let data = try Data(contentsOf: fixtureDirectory.appendingPathComponent("vectors.json"))
        return try JSONDecoder().decode(Vectors.self, from: data)
    }

    static let vectorCases: [Case] = (try? loadVectors().cases) ?? []

    /// 2024-03-07T13:45:09Z, the generator's fixed clock.
    static let vectorDate = Date(timeIntervalSince1970: 1_709_819_109)

    @Test func vectorsAreLoaded() throws {
        let vectors = try Self.loadVectors()
        #expect(vectors.cases.count >= 15)
        #expect(vectors.timestamp == SigV4Signer.timestamp(Self.vectorDate))
    }

    @Test(arguments: vectorCases)
    func matchesBotocore(_ vector: Case) throws {
        let vectors = try Self.loadVectors()
        let credentials = Credentials(
            accessKeyId: vectors.accessKeyId, secretAccessKey: vectors.secretAccessKey,
            sessionToken: vector.token ? vectors.sessionToken : nil)
        let url = try #require(URL(string: vector.url))
        let signer = SigV4Signer(
            credentials: credentials, region: vector.region, service: vector.service,
            s3Rules: vector.s3, contentHashHeader: vector.s3 ? .always : .whenBodyEmpty)
        let request = HTTPRequest(
            method: vector.method, url: url, headers: vector.headers, body: Data(vector.body.utf8))
        let signed = signer.sign(request, date: Self.vectorDate)
        var unsignedCopy = signed
        unsignedCopy.headers["authorization"] = nil
        let payload = signed.headers["x-amz-content-sha256"] ?? sha256Hex(signed.body)
        #expect(signer.canonicalRequest(unsignedCopy, payloadHash: payload).request == vector.canonicalRequest)
        for (name, value) in vector.expected {
            #expect(signed.headers[name] == value, "header \(name)")
        }
        #expect(signed.headers["x-amz-security-token"] == vector.expected["x-amz-security-token"])
        #expect(signed.headers["x-amz-content-sha256"] == vector.expected["x-amz-content-sha256"])
    }

    /// aws-sig-v4-test-suite/get-vanilla: only `host` and `x-amz-date` are signed.
    @Test func getVanilla() throws {
        let credentials = Credentials(
            accessKeyId: "AKIDEXAMPLE",
            secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        let signer = SigV4Signer(
            credentials: credentials, region: "us-east-1", service: "service",
            contentHashHeader: .never)
        let url = try #require(URL(string: "https://example.amazonaws.com/"))
        // 2015-08-30T12:36:00Z
        let signed = signer.sign(HTTPRequest(method: "GET", url: url), date: Date(timeIntervalSince1970: 1_440_938_160))
        #expect(signed.headers["x-amz-date"] == "20150830T123600Z")
        #expect(
            signed.headers["authorization"]
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        )
        #expect(signed.headers["x-amz-content-sha256"] == nil)
    }

    @Test func emptyBodyAlwaysCarriesContentHash() throws {
        let signer = SigV4Signer(
            credentials: Credentials(accessKeyId: "A", secretAccessKey: "S"),
            region: "us-east-1", service: "guardduty")
        let url = try #require(URL(string: "http://127.0.0.1:5000/detector"))
        let signed = signer.sign(HTTPRequest(method: "GET", url: url))
        #expect(signed.headers["x-amz-content-sha256"] == emptyBodySHA256)
        #expect(signed.headers["authorization"]?.contains("x-amz-content-sha256") == true)

        let post = signer.sign(HTTPRequest(method: "POST", url: url, body: Data("{}".utf8)))
        #expect(post.headers["x-amz-content-sha256"] == nil)
    }

    @Test func resigningReplacesOldAuthorization() throws {
        let signer = SigV4Signer(
            credentials: Credentials(accessKeyId: "A", secretAccessKey: "S"),
            region: "us-east-1", service: "iam")
        let url = try #require(URL(string: "https://iam.amazonaws.com/"))
        let once = signer.sign(HTTPRequest(method: "GET", url: url), date: Self.vectorDate)
        let twice = signer.sign(once, date: Self.vectorDate)
        #expect(once.headers["authorization"] == twice.headers["authorization"])
    }

    @Test func percentEncodingIsRFC3986() {
        #expect(PercentEncoding.encode("a b+c/d=e~f_g.h-iü*") == "a%20b%2Bc%2Fd%3De~f_g.h-i%C3%BC%2A")
        #expect(PercentEncoding.encode("/a b/c", keepSlash: true) == "/a%20b/c")
        #expect(PercentEncoding.query([("encryption", "")], bareEmptyValues: true) == "encryption")
    }

    @Test func credentialsNeverPrintTheSecret() {
        let credentials = Credentials(
            accessKeyId: "AKIAEXAMPLE", secretAccessKey: "very-secret-value",
            sessionToken: "token-secret")
        for text in [
            credentials.description, "\(credentials)", String(reflecting: credentials),
            {
                var out = ""
                dump(credentials, to: &out)
                return out
            }(),
        ] {
            #expect(!text.contains("very-secret-value"))
            #expect(!text.contains("token-secret"))
            #expect(text.contains("AKIAEXAMPLE"))
        }
    }
}
