import Foundation
import SOPCore
import TestSupport
import Testing

@testable import SOPStore

/// The secret classes of issue 11 (class 7): tokens of other services, key-value credentials,
/// obfuscated cards and keys, and secrets inside compressed or UTF-16 files.
///
/// Fake secrets are assembled from parts so the repository holds no realistic one in a literal.
@Suite struct SecretClassesTests {
    static func base64URL(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static let jwt =
        base64URL(#"{"alg":"HS256","typ":"JWT"}"#) + "." + base64URL(#"{"sub":"1234567890","name":"x"}"#) + "."
        + "SflKxwRJSMeKKF2QT4fwpM" + "eJf36POk6yJV_adQssw5c"

    static func fullWidth(_ digits: String) -> String {
        String(
            String.UnicodeScalarView(
                digits.unicodeScalars.map {
                    ("0"..."9").contains($0) ? Unicode.Scalar(0xFF10 + $0.value - 48) ?? $0 : $0
                }))
    }

    static let awsKeyID = "AKIA" + "IOSFODNN7" + "EXAMPLE"

    static let refused: [(String, SecretScanner.Kind)] = [
        ("token " + "ghp_" + String(repeating: "a1B2", count: 9), .githubToken),
        ("gho_" + String(repeating: "Zz09", count: 9), .githubToken),
        ("GITHUB_TOKEN=ghs_" + String(repeating: "q7W3", count: 9), .githubToken),
        ("ghu_" + String(repeating: "x8Y6", count: 9), .githubToken),
        ("ghr_" + String(repeating: "m2N4", count: 9), .githubToken),
        ("github_pat_" + String(String(repeating: "11AbC_d3Ef", count: 9).prefix(82)), .githubToken),
        ("SLACK=" + "xox" + "b-" + "2401234567-1234567890123-" + String(repeating: "AbCd", count: 6), .slackToken),
        ("xox" + "p-" + "2401234567-" + "98765432101", .slackToken),
        ("xox" + "a-2-" + "2401234567-" + "Abcdef123456", .slackToken),
        ("xox" + "r-" + "2401234567-" + "abcdef123456", .slackToken),
        ("xox" + "s-" + "2401234567-" + "abcdef123456", .slackToken),
        (
            "post to https://hooks.slack.com/services/" + "T0A1B2C3D/" + "B4E5F6G7H/" + "q1W2e3R4t5Y6u7I8o9P0",
            .slackWebhook
        ),
        ("Authorization: Bearer " + jwt, .jwt),
        (jwt, .jwt),
        ("STRIPE=" + "sk_" + "live_" + String(repeating: "4eC3", count: 6), .stripeKey),
        ("rk_" + "live_" + String(repeating: "9zQ1", count: 6), .stripeKey),
        ("key=" + "AI" + "za" + "Sy" + String(repeating: "B1c-_", count: 6) + "Dd4", .googleAPIKey),
        ("-----BEGIN PGP " + "PRIVATE KEY BLOCK-----\n\nlQOYBF\n-----END PGP PRIVATE KEY BLOCK-----", .pgpPrivateKey),
        (
            "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: k\nPublic-Lines: 1\nAAAAC3\n"
                + "Private-Lines: 1\nAAAAIG\nPrivate-MAC: 00ff", .puttyPrivateKey
        ),
        ("PuTTY-User-Key-File-2: ssh-rsa\nPrivate-Lines: 14\nAAAB", .puttyPrivateKey),
        ("client_secret: " + "Zx9kQ2" + "mV7pLw4", .apiCredential),
        ("client_secret=" + "Zx9kQ2" + "mV7pLw4", .apiCredential),
        ("api_key=" + "f3a9c1" + "77d2e4", .apiCredential),
        ("apikey: " + "Q2mV7p" + "Lw4Zx9", .apiCredential),
        ("X-Api-Key: " + "Q2mV7p" + "Lw4Zx9", .apiCredential),
        ("access_token=" + "ya29.a0" + "AfH6SM", .apiCredential),
        (#"{"auth_token": ""# + "9f8e7d6c" + "5b4a" + #""}"#, .apiCredential),
        ("card 4111.1111.1111.1111", .paymentCard),
        ("card 4111\u{00A0}1111\u{00A0}1111\u{00A0}1111", .paymentCard),
        ("card 4111\u{2009}1111\u{2009}1111\u{2009}1111", .paymentCard),
        ("card " + fullWidth("4111111111111111"), .paymentCard),
        ("card " + fullWidth("4111 1111 1111 1111"), .paymentCard),
        ("id AKIA\u{200B}IOSFODNN7EXAMPLE", .awsAccessKeyID),
        ("id AKIAIOSF\u{2060}ODNN7EXAMPLE", .awsAccessKeyID),
        ("id AKIAIOSF\u{FEFF}ODNN7EXA\u{200D}MPLE", .awsAccessKeyID),
        ("gh" + "p_" + "a1B2\u{200C}" + String(repeating: "a1B2", count: 8), .githubToken),
    ]

    static let allowed: [String] = [
        "Stripe publishable key " + "pk_" + "live_" + String(repeating: "4eC3", count: 6),
        "request 123e4567-e89b-12d3-a456-426614174000 failed",
        "commit 3f786850e387550fdab836ed7e6dc881de23001b",
        "image sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "digest " + base64URL("hello there") + "." + base64URL("not json") + "." + base64URL("sig"),
        "ARN arn:aws:iam::123456789012:role/SOPAudit",
        "arn:aws:s3:::acme-logs/AWSLogs/123456789012/*",
        "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "api_key=<redacted>",
        "client_secret: ***",
        "api_key=xxxxxxxxxxxx",
        "apikey: changeme",
        "access_token=${ACCESS_TOKEN}",
        "auth_token: $AUTH_TOKEN",
        "api_key: optional",
        "The api-key header is required for every call.",
        "Store the client_secret in the vault, never in a ticket.",
        "Tokens start with ghp_ or github_pat_ and Slack ones with xoxb-.",
        "Google keys begin with AIza; Stripe secret keys with sk_live_.",
        "A JWT starts with eyJ and has three parts.",
        "version 4.1.1.1 of the agent; OID 1.2.840.113549.1.1.11",
        "-----BEGIN PGP PUBLIC KEY BLOCK-----",
        "PuTTY-User-Key-File-3: described in the PuTTY manual",
        "phone 030\u{00A0}1234\u{00A0}5678",
        "Invoice " + fullWidth("4111111111111112"),
        "ordinary prose about the handover of an account, with a list: one, two, three.",
    ]

    @Test(arguments: 0..<refused.count)
    func refusesSecret(index: Int) {
        let (text, kind) = Self.refused[index]
        let kinds = SecretScanner.scan(text).map(\.kind)
        #expect(kinds.contains(kind), "expected \(kind) in case \(index), got \(kinds)")
    }

    @Test(arguments: allowed)
    func allowsOrdinaryText(text: String) {
        #expect(
            SecretScanner.scan(text).isEmpty, "false positive in \(text.debugDescription): \(SecretScanner.scan(text))")
    }

    @Test func newKindsNeverEchoTheValue() {
        for (text, kind) in Self.refused {
            do {
                try SecretScanner.check(text, what: "the note")
                Issue.record("accepted a text with \(kind)")
            } catch {
                #expect(error.kind == .refused)
                #expect(error.message.contains(kind.rawValue) || kind == .awsAccessKeyID)
                #expect(!error.message.contains("\n"))
                for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "=" }) where word.count >= 12
                {
                    #expect(!error.message.contains(word), "message repeats part of the value")
                }
            }
        }
    }

    @Test func crlfTextIsSplitIntoLines() throws {
        let putty = "PuTTY-User-Key-File-2: ssh-rsa\r\nEncryption: none\r\nPrivate-Lines: 14\r\nAAAB\r\n"
        #expect(SecretScanner.scan(putty).map(\.kind) == [.puttyPrivateKey])
        let findings = SecretScanner.scan("one\r\ntwo\r\napi_key=" + "f3a9c1" + "77d2e4\r\n")
        #expect(findings == [SecretScanner.Finding(kind: .apiCredential, line: 3)])
    }

    @Test func shippedTemplatesScanClean() throws {
        let root = Paths.templatesDirectory
        let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        var count = 0
        while let url = walker?.nextObject() as? URL {
            guard url.pathExtension == "md" else { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            let findings = SecretScanner.scan(text)
            #expect(findings.isEmpty, "\(url.lastPathComponent): \(findings)")
            count += 1
        }
        #expect(count > 0)
    }

    // MARK: - Encoded and compressed files

    static let secretText = "notes\nid \(awsKeyID)\n"

    func python(_ script: String, in directory: TemporaryDirectory) throws -> Data {
        let out = directory.path("out.bin")
        let result = try runProcess(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, out.path])
        #expect(result.status == 0, "\(result.stderr)")
        return try Data(contentsOf: out)
    }

    func kinds(_ data: Data, limit: Int = 1 << 20) throws -> [SecretScanner.Kind] {
        try ScannableText.texts(in: data, name: "f", limit: limit).flatMap { SecretScanner.scan($0).map(\.kind) }
    }

    @Test func gzipFileIsScanned() throws {
        let directory = TemporaryDirectory("sop-secrets")
        let plain = try directory.write("notes.txt", Self.secretText)
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/gzip"), ["-c", plain.path])
        #expect(result.status == 0)
        #expect(try kinds(result.stdoutData).contains(.awsAccessKeyID))
        // Two concatenated members: the secret is in the second.
        let first = try runProcess(
            URL(fileURLWithPath: "/usr/bin/gzip"), ["-c", try directory.write("a.txt", "harmless\n").path])
        #expect(try kinds(first.stdoutData + result.stdoutData).contains(.awsAccessKeyID))
        #expect(try kinds(first.stdoutData).isEmpty)
    }

    @Test func zipFileIsScanned() throws {
        let directory = TemporaryDirectory("sop-secrets")
        let deflated = try python(
            """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
                z.writestr('readme.txt', 'nothing here\\n' * 50)
                z.writestr('dir/', '')
                z.writestr('dir/creds.txt', 'notes\\n' * 50 + 'id \(Self.awsKeyID)\\n')
            """, in: directory)
        #expect(try kinds(deflated).contains(.awsAccessKeyID))
        let stored = try python(
            """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_STORED) as z:
                z.writestr('a.txt', 'id \(Self.awsKeyID)')
            """, in: directory)
        #expect(try kinds(stored).contains(.awsAccessKeyID))
        let clean = try python(
            """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
                z.writestr('a.txt', 'just notes\\n')
                z.writestr('b.bin', bytes(range(256)))
            """, in: directory)
        #expect(try kinds(clean).isEmpty)
        // Also through the command-line tool's own format (stored entries, data written by `-c`).
        let plain = try directory.write("creds.txt", Self.secretText)
        let cli = directory.path("cli.zip")
        _ = try runProcess(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-m", "zipfile", "-c", cli.path, plain.path])
        #expect(try kinds(try Data(contentsOf: cli)).contains(.awsAccessKeyID))
    }

    @Test func nestedArchivesAreScannedAndBounded() throws {
        let directory = TemporaryDirectory("sop-secrets")
        let nested = try python(
            """
            import sys, zipfile, gzip, io
            inner = gzip.compress(b'id \(Self.awsKeyID)\\n')
            with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
                z.writestr('notes.txt.gz', inner)
            """, in: directory)
        #expect(try kinds(nested).contains(.awsAccessKeyID))
        let deep = try python(
            """
            import sys, gzip
            data = b'plain text\\n'
            for _ in range(8):
                data = gzip.compress(data)
            open(sys.argv[1], 'wb').write(data)
            """, in: directory)
        #expect(throws: ScannableText.Problem.tooDeep) { try ScannableText.texts(in: deep, limit: 1 << 20) }
    }

    @Test func utf16FilesAreDecoded() throws {
        var le = Data([0xFF, 0xFE])
        for unit in Self.secretText.utf16 { le.append(contentsOf: [UInt8(unit & 0xFF), UInt8(unit >> 8)]) }
        #expect(try kinds(le).contains(.awsAccessKeyID))
        var be = Data([0xFE, 0xFF])
        for unit in Self.secretText.utf16 { be.append(contentsOf: [UInt8(unit >> 8), UInt8(unit & 0xFF)]) }
        #expect(try kinds(be).contains(.awsAccessKeyID))
        // Without a byte order mark.
        #expect(try kinds(le.dropFirst(2)).contains(.awsAccessKeyID))
        #expect(try kinds(be.dropFirst(2)).contains(.awsAccessKeyID))
        // Binary 16-bit numbers (NUL code units) are not read as text.
        var numbers = Data()
        for value in [4111, 1111, 0, 1111, 1111, 0, 2, 3] as [UInt16] {
            numbers.append(contentsOf: [UInt8(value & 0xFF), UInt8(value >> 8)])
        }
        #expect(ScannableText.utf16Text([UInt8](numbers)) == nil)
    }

    @Test func zipBombIsRefusedInOneLine() throws {
        let directory = TemporaryDirectory("sop-secrets")
        let bomb = try python(
            """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
                z.writestr('zeros.txt', b'0' * (8 * 1024 * 1024))
            """, in: directory)
        #expect(bomb.count < 64 * 1024)
        let started = Date()
        do {
            _ = try ScannableText.texts(in: bomb, name: "bomb.zip", limit: 1 << 20)
            Issue.record("zip bomb accepted")
        } catch {
            #expect(error.kind == .refused)
            #expect(error.message.contains("bomb.zip cannot be scanned"))
            #expect(error.message.contains("larger than the evidence limit"))
            #expect(!error.message.contains("\n"))
        }
        #expect(Date().timeIntervalSince(started) < 10)
        let gzipBomb = try python(
            "import sys, gzip; open(sys.argv[1], 'wb').write(gzip.compress(b'0' * (8 * 1024 * 1024)))",
            in: directory)
        #expect(throws: ScannableText.Problem.tooLarge) { try ScannableText.texts(in: gzipBomb, limit: 1 << 20) }
        #expect(throws: ScannableText.Problem.damaged) {
            try ScannableText.texts(in: gzipBomb.prefix(100), limit: 1 << 20)
        }
    }

    @Test func addEvidenceRefusesSecretsInArchivesAndStoresNothing() throws {
        let directory = TemporaryDirectory("sop-secrets")
        let test = try TestStore.withAcme()
        let secretZip = try python(
            """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
                z.writestr('creds.txt', 'id \(Self.awsKeyID)\\n')
            """, in: directory)
        let bomb = try python(
            """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
                z.writestr('zeros.txt', b'0' * (40 * 1024 * 1024))
            """, in: directory)
        var utf16 = Data([0xFF, 0xFE])
        for unit in Self.secretText.utf16 { utf16.append(contentsOf: [UInt8(unit & 0xFF), UInt8(unit >> 8)]) }
        for (name, data) in [("creds.zip", secretZip), ("bomb.zip", bomb), ("notes.txt", utf16)] {
            do {
                try test.store.addEvidence(
                    customer: "acme", item: "root-email", content: .file(name: name, data: data), by: "dana")
                Issue.record("\(name) stored")
            } catch let error as StoreError {
                #expect(error.kind == .refused, "\(name): \(error.message)")
                #expect(error.message.contains(name))
                #expect(!error.message.contains(Self.awsKeyID))
            } catch {
                Issue.record("\(name): unexpected \(error)")
            }
        }
        #expect(try test.store.evidence(customer: "acme").isEmpty)
        // A clean archive is still stored.
        let clean = try python(
            """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
                z.writestr('notes.txt', 'the root email was changed\\n')
            """, in: directory)
        try test.store.addEvidence(
            customer: "acme", item: "root-email", content: .file(name: "ok.zip", data: clean), by: "dana")
        #expect(try test.store.evidence(customer: "acme").count == 1)
    }
}

extension SecretClassesTests {
    /// A large ordinary text (some lines with key names) is scanned in bounded time.
    @Test func largeTextScansInReasonableTime() {
        let line = "The api-key header and the client_secret are stored in the vault; ey is not a token. 4111 x\n"
        let text = String(repeating: line, count: 20_000)
        let started = Date()
        #expect(SecretScanner.scan(text).isEmpty)
        let seconds = Date().timeIntervalSince(started)
        print("scanned \(text.utf8.count) bytes in \(seconds) s")
        #expect(seconds < 30)
    }
}
