import SOPCore
import Testing

@testable import SOPStore

@Suite struct SecretScannerTests {
    /// Texts that must be refused, with the kind the scanner must name.
    static let refused: [(String, SecretScanner.Kind)] = [
        ("aws_access_key_id = AKIAIOSFODNN7EXAMPLE", .awsAccessKeyID),
        ("temporary key ASIAY34FZKBOKMUTVV7A issued", .awsAccessKeyID),
        ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", .awsSecretAccessKey),
        ("aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", .awsSecretAccessKey),
        ("AWS_SECRET_ACCESS_KEY=\"je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY\"", .awsSecretAccessKey),
        ("AKIAIOSFODNN7EXAMPLE\nwJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", .awsAccessKeyID),
        ("key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", .awsSecretAccessKey),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----", .privateKey),
        ("-----BEGIN OPENSSH PRIVATE KEY-----", .privateKey),
        ("-----BEGIN EC PRIVATE KEY-----", .privateKey),
        ("-----BEGIN PRIVATE KEY-----", .privateKey),
        ("-----BEGIN ENCRYPTED PRIVATE KEY-----", .privateKey),
        ("password=hunter22", .password),
        ("root Password: Tr0ub4dor&3", .password),
        ("passwd: s3cretvalue", .password),
        ("pwd=letmein99", .password),
        ("db_password = correcthorse", .password),
        ("{\"password\": \"abc123xyz\"}", .password),
        ("PASSWORD=Summer2026!", .password),
        ("https://admin:s3cret@wiki.example.com/api.php", .urlCredentials),
        ("card 4111 1111 1111 1111 exp 12/27", .paymentCard),
        ("4111111111111111", .paymentCard),
        ("visa 4111-1111-1111-1111", .paymentCard),
        ("amex 3782 822463 10005", .paymentCard),
        ("378282246310005", .paymentCard),
        ("mastercard 5555 5555 5555 4444", .paymentCard),
        ("mc2 2223 0031 2200 3222", .paymentCard),
        ("discover 6011111111111117", .paymentCard),
        ("diners 3056 9309 0259 04", .paymentCard),
        ("jcb 3530111333300000", .paymentCard),
        ("4111 1111 1111 1111 2027", .paymentCard),
        ("visa13 4222222222222", .paymentCard),
        ("the card (4012888888881881) was entered", .paymentCard),
    ]

    /// Texts that look a bit like secrets but are not.
    static let allowed: [String] = [
        "Root email is aws-root@acme.example",
        "password policy: minimum length 14, reuse prevention 24",
        "password_min_length=14",
        "The card was entered by the customer on the AWS console",
        "password: $WIKI_PASS",
        "password=<redacted>",
        "password: ********",
        "Account id 123456789012 in eu-west-1",
        "commit 3f786850e387550fdab836ed7e6dc881de23001b",
        "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "Invoice 4111111111111112 (not Luhn-valid)",
        "phone +49 30 1234 5678",
        "call +1 555-867-5309 ext 4111",
        "timestamp 20260302093000123",
        "https://wiki.example.com/Acme?page=1",
        "ARN arn:aws:iam::123456789012:role/SOPAudit",
        "compass: north",
        "Order 2026-03-02 number 1234",
        "https://user@example.com/path",
        "AKIA is the prefix of long-term keys",
    ]

    @Test(arguments: 0..<refused.count)
    func refusesSecret(index: Int) {
        let (text, kind) = Self.refused[index]
        let kinds = SecretScanner.scan(text).map(\.kind)
        #expect(kinds.contains(kind), "expected \(kind) in \(text.debugDescription), got \(kinds)")
    }

    @Test(arguments: allowed)
    func allowsOrdinaryText(text: String) {
        #expect(
            SecretScanner.scan(text).isEmpty, "false positive in \(text.debugDescription): \(SecretScanner.scan(text))")
    }

    @Test func errorNamesKindButNeverTheValue() {
        do {
            try SecretScanner.check("pay with 4111 1111 1111 1111", what: "the note")
            Issue.record("card number accepted")
        } catch {
            #expect(error.kind == .refused)
            #expect(error.message.contains("payment card number"))
            #expect(!error.message.contains("4111"))
        }
        do {
            try SecretScanner.check("line one\npassword=hunter22", what: "file x.txt")
            Issue.record("password accepted")
        } catch {
            #expect(error.message.contains("a password (line 2)"))
            #expect(!error.message.contains("hunter22"))
        }
    }

    @Test func luhn() {
        #expect(SecretScanner.luhnValid("79927398713"))
        #expect(!SecretScanner.luhnValid("79927398710"))
        #expect(SecretScanner.isCardNumber("4111111111111111"))
        #expect(!SecretScanner.isCardNumber("1111111111111117"))
    }
}
