import Foundation
import SOPCore

/// Finds secrets and card data in text before it is stored.
///
/// Pure and conservative: it reports the *kind* of secret and where, never the
/// value, so error messages can name the problem without repeating it. Kinds:
/// AWS access key ids (`AKIA…`/`ASIA…`), AWS secret access keys (40 base64-ish
/// characters near an access key id or a `secret` key name, or carrying `/`/`+`
/// with mixed case and digits), PEM private keys, `password=`-style credentials,
/// credentials inside URLs (`https://user:pass@host`), and payment card numbers
/// (13–19 digits with optional single spaces, dashes or dots, a card-network prefix and a
/// valid Luhn checksum), GitHub and Slack tokens, Slack webhooks, JWTs, Stripe live secret
/// keys, Google API keys, PGP and PuTTY private keys, and `client_secret=`/`api_key:`-style
/// credentials. Before scanning, zero-width characters are removed, Unicode spaces become
/// spaces and Unicode decimal digits (full-width ones, say) become ASCII digits, so a key
/// split by U+200B or a card written in full-width digits is still found.
public enum SecretScanner {
    public enum Kind: String, Sendable, CaseIterable, Equatable {
        case awsAccessKeyID = "an AWS access key id"
        case awsSecretAccessKey = "an AWS secret access key"
        case privateKey = "a private key"
        case password = "a password"
        case urlCredentials = "credentials in a URL"
        case paymentCard = "a payment card number"
        case githubToken = "a GitHub token"
        case slackToken = "a Slack token"
        case slackWebhook = "a Slack webhook URL"
        case jwt = "a JSON web token"
        case stripeKey = "a Stripe secret key"
        case googleAPIKey = "a Google API key"
        case pgpPrivateKey = "a PGP private key"
        case puttyPrivateKey = "a PuTTY private key"
        case apiCredential = "an API key or token"
    }

    public struct Finding: Sendable, Equatable {
        public var kind: Kind
        /// 1-based line of the text where it starts.
        public var line: Int
    }

    /// Every finding in `text`, in order of appearance.
    public static func scan(_ text: String) -> [Finding] {
        var findings: [Finding] = []
        let text = normalized(text)
        // `\r\n` is one Character in Swift, so CRLF text needs its own separator.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        let hasPuTTYPrivateLines = text.contains("Private-Lines:")
        let hasAccessKeyID = lines.contains { !accessKeyIDs(in: $0).isEmpty }
        for (index, line) in lines.enumerated() {
            let number = index + 1
            if line.contains("PRIVATE KEY-----") && line.contains("-----BEGIN") {
                findings.append(Finding(kind: .privateKey, line: number))
            }
            if !accessKeyIDs(in: line).isEmpty { findings.append(Finding(kind: .awsAccessKeyID, line: number)) }
            if containsSecretAccessKey(line, nearAccessKeyID: hasAccessKeyID) {
                findings.append(Finding(kind: .awsSecretAccessKey, line: number))
            }
            if containsPassword(line) { findings.append(Finding(kind: .password, line: number)) }
            if containsURLCredentials(line) { findings.append(Finding(kind: .urlCredentials, line: number)) }
            if containsCardNumber(line) { findings.append(Finding(kind: .paymentCard, line: number)) }
            if line.contains("-----BEGIN PGP PRIVATE KEY BLOCK-----") {
                findings.append(Finding(kind: .pgpPrivateKey, line: number))
            }
            if hasPuTTYPrivateLines, isPuTTYHeader(line) {
                findings.append(Finding(kind: .puttyPrivateKey, line: number))
            }
            if containsGitHubToken(line) { findings.append(Finding(kind: .githubToken, line: number)) }
            if containsSlackToken(line) { findings.append(Finding(kind: .slackToken, line: number)) }
            if containsSlackWebhook(line) { findings.append(Finding(kind: .slackWebhook, line: number)) }
            if containsJWT(line) { findings.append(Finding(kind: .jwt, line: number)) }
            if containsStripeKey(line) { findings.append(Finding(kind: .stripeKey, line: number)) }
            if containsGoogleAPIKey(line) { findings.append(Finding(kind: .googleAPIKey, line: number)) }
            if containsAPICredential(line) { findings.append(Finding(kind: .apiCredential, line: number)) }
        }
        return findings
    }

    /// Throws a one-line refusal naming the first kind found and `what` was being stored.
    public static func check(_ text: String, what: String) throws(StoreError) {
        guard let first = scan(text).first else { return }
        let place = first.line > 1 ? " (line \(first.line))" : ""
        throw StoreError(
            .refused,
            "refused: \(what) contains what looks like \(first.kind.rawValue)\(place); "
                + "secrets and card data are never stored")
    }

    // MARK: - AWS keys

    static func accessKeyIDs(in line: Substring) -> [Substring] {
        tokens(in: line) { $0.isASCII && ($0.isLetter || $0.isNumber) }.filter { token in
            token.count == 20 && ["AKIA", "ASIA", "AIDA", "AROA", "ABIA", "ACCA"].contains { token.hasPrefix($0) }
                && token.allSatisfy { ($0.isUppercase && $0.isLetter) || $0.isNumber }
        }
    }

    private static let secretKeyNames = [
        "aws_secret_access_key", "secret_access_key", "secretaccesskey",
        "aws_secret", "secret key", "secret_key", "secretkey",
    ]

    static func containsSecretAccessKey(_ line: Substring, nearAccessKeyID: Bool) -> Bool {
        let lowered = line.lowercased()
        let named = secretKeyNames.contains { lowered.contains($0) }
        let candidates = tokens(in: line) { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "/" || $0 == "+") }
            .filter { $0.count == 40 }
        return candidates.contains { token in
            let upper = token.contains { $0.isUppercase }
            let lower = token.contains { $0.isLowercase }
            let digit = token.contains { $0.isNumber }
            let symbol = token.contains { $0 == "/" || $0 == "+" }
            let isHex = token.allSatisfy { $0.isHexDigit }
            if isHex && !(upper && lower) { return false }  // a SHA-1, not a key
            if named || nearAccessKeyID { return (upper || lower) && digit }
            return upper && lower && digit && symbol
        }
    }

    // MARK: - Passwords

    private static let passwordKeys = ["password", "passwd", "passphrase", "pwd", "pass"]

    /// `password=…`, `passwd: …`, `"password": "…"` with a real value (not `$VAR`, `<…>`, `***`).
    static func containsPassword(_ line: Substring) -> Bool {
        let lowered = line.lowercased()
        // Every key contains `pass` or `pwd`: most lines need no closer look.
        guard lowered.contains("pass") || lowered.contains("pwd") else { return false }
        let chars = Array(lowered)
        var i = 0
        while i < chars.count {
            for key in passwordKeys {
                let k = Array(key)
                guard i + k.count <= chars.count, Array(chars[i..<(i + k.count)]) == k else { continue }
                // The key must end the word: `password_min_length=14` is not a password.
                var j = i + k.count
                if j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" || chars[j] == "-" {
                    continue
                }
                // `pass` alone only as a whole word (not `compass=`).
                if key == "pass" || key == "pwd", i > 0, chars[i - 1].isLetter { continue }
                while j < chars.count, chars[j] == "\"" || chars[j] == "'" || chars[j] == " " { j += 1 }
                guard j < chars.count, chars[j] == "=" || chars[j] == ":" else { continue }
                j += 1
                while j < chars.count, chars[j] == " " || chars[j] == "\"" || chars[j] == "'" { j += 1 }
                var value = ""
                while j < chars.count, !chars[j].isWhitespace, chars[j] != "\"", chars[j] != "'",
                    chars[j] != ",", chars[j] != ";", chars[j] != "&"
                {
                    value.append(chars[j])
                    j += 1
                }
                if isRealValue(value) { return true }
            }
            i += 1
        }
        return false
    }

    private static func isRealValue(_ value: String) -> Bool {
        guard value.count >= 3 else { return false }
        if let first = value.first, ["$", "<", "*", "{", "%"].contains(first) { return false }
        if value.allSatisfy({ $0 == "x" || $0 == "*" || $0 == "." }) { return false }
        return true
    }

    static func containsURLCredentials(_ line: Substring) -> Bool {
        var rest = line[...]
        while let scheme = rest.range(of: "://") {
            let after = rest[scheme.upperBound...]
            let authority = after.prefix { !$0.isWhitespace && $0 != "/" && $0 != "?" && $0 != "#" }
            if let at = authority.lastIndex(of: "@") {
                let userInfo = authority[..<at]
                if let colon = userInfo.firstIndex(of: ":"), userInfo.index(after: colon) < userInfo.endIndex {
                    return true
                }
            }
            rest = after
        }
        return false
    }

    // MARK: - Payment cards

    /// Digit groups separated by single spaces, dashes or dots; any run of consecutive groups
    /// holding 13–19 digits with a card prefix and a valid Luhn checksum is a card number.
    static func containsCardNumber(_ line: Substring) -> Bool {
        let chars = Array(line)
        var i = 0
        while i < chars.count {
            guard chars[i].isASCII, chars[i].isNumber, i == 0 || !(chars[i - 1].isLetter || chars[i - 1].isNumber)
            else {
                i += 1
                continue
            }
            // Collect a sequence of digit groups starting here.
            var groups: [String] = []
            var j = i
            while j < chars.count {
                var group = ""
                while j < chars.count, chars[j].isASCII, chars[j].isNumber {
                    group.append(chars[j])
                    j += 1
                }
                guard !group.isEmpty else { break }
                groups.append(group)
                if j + 1 < chars.count, chars[j] == " " || chars[j] == "-" || chars[j] == ".", chars[j + 1].isASCII,
                    chars[j + 1].isNumber
                {
                    j += 1
                } else {
                    break
                }
            }
            // A digit run glued to letters (an id like `abc4111…x`) is not a card.
            let gluedAfter = j < chars.count && chars[j].isLetter
            if !gluedAfter {
                for start in groups.indices {
                    // Grouped card numbers are written 4-4-4-4 or 4-6-5: the first group has four
                    // digits. Other groupings (phone numbers) are only cards as one contiguous run.
                    let single = groups[start]
                    if single.count >= 13, isCardNumber(single) { return true }
                    guard single.count == 4 else { continue }
                    var digits = single
                    for end in (start + 1)..<groups.count {
                        guard groups[end].count >= 2 else { break }
                        digits += groups[end]
                        if digits.count > 19 { break }
                        if digits.count >= 13, isCardNumber(digits) { return true }
                    }
                }
            }
            i = max(j, i + 1)
        }
        return false
    }

    static func isCardNumber(_ digits: String) -> Bool {
        guard (13...19).contains(digits.count), hasCardPrefix(digits) else { return false }
        return luhnValid(digits)
    }

    private static func hasCardPrefix(_ digits: String) -> Bool {
        guard let first = digits.first else { return false }
        switch first {
        case "3", "4", "5", "6": return true
        case "2":
            let four = Int(digits.prefix(4)) ?? 0
            return (2221...2720).contains(four) && digits.count == 16
        default: return false
        }
    }

    static func luhnValid(_ digits: String) -> Bool {
        var sum = 0
        for (index, ch) in digits.reversed().enumerated() {
            guard let value = ch.wholeNumberValue else { return false }
            if index % 2 == 1 {
                let doubled = value * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += value
            }
        }
        return sum % 10 == 0
    }

    // MARK: - Tokens of other services

    private static func isWordPart(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_") }

    private static func isAlphanumeric(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }

    /// `ghp_`/`gho_`/`ghs_`/`ghu_`/`ghr_` and 36 alphanumerics, or `github_pat_` and 82 word characters.
    static func containsGitHubToken(_ line: Substring) -> Bool {
        tokens(in: line, isWordPart).contains { token in
            if token.hasPrefix("github_pat_") { return token.count - 11 >= 82 }
            guard ["ghp_", "gho_", "ghs_", "ghu_", "ghr_"].contains(where: { token.hasPrefix($0) }) else {
                return false
            }
            let rest = token.dropFirst(4)
            return rest.count >= 36 && rest.allSatisfy(isAlphanumeric)
        }
    }

    /// `xoxb-`, `xoxp-`, `xoxa-`, `xoxr-`, `xoxs-` followed by dash-separated digits and letters.
    static func containsSlackToken(_ line: Substring) -> Bool {
        tokens(in: line) { isAlphanumeric($0) || $0 == "-" }.contains { token in
            guard ["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-"].contains(where: { token.hasPrefix($0) }) else {
                return false
            }
            let rest = token.dropFirst(5)
            return rest.count >= 10 && rest.contains { $0.isNumber }
        }
    }

    /// `hooks.slack.com/services/T…/B…/…`.
    static func containsSlackWebhook(_ line: Substring) -> Bool {
        var rest = line[...]
        while let found = rest.range(of: "hooks.slack.com/services/") {
            let path = rest[found.upperBound...].prefix { isAlphanumeric($0) || $0 == "/" }
            let parts = path.split(separator: "/")
            if parts.count >= 3, parts[0].hasPrefix("T"), parts[1].hasPrefix("B"), parts[2].count >= 8 { return true }
            rest = rest[found.upperBound...]
        }
        return false
    }

    /// Three dot-separated base64url segments whose first two decode to JSON objects.
    static func containsJWT(_ line: Substring) -> Bool {
        guard line.contains("ey") else { return false }
        return tokens(in: line) { isWordPart($0) || $0 == "-" || $0 == "." }.contains { token in
            let parts = token.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count >= 3 else { return false }
            for index in 0..<(parts.count - 2)
            where isJSONObject(base64URL: parts[index]) && isJSONObject(base64URL: parts[index + 1]) {
                return true
            }
            return false
        }
    }

    private static func isJSONObject(base64URL segment: Substring) -> Bool {
        // A JSON object starts with `{`, so its base64 starts with `ey` (`{"` is `eyJ`, `{ ` is `eyA`…).
        guard segment.count >= 4, segment.hasPrefix("ey") else { return false }
        var base64 = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64.append("=") }
        guard let data = Data(base64Encoded: base64) else { return false }
        return (try? JSONSerialization.jsonObject(with: data)) is [String: Any]
    }

    /// `sk_live_…` and `rk_live_…` (`pk_live_` keys are public).
    static func containsStripeKey(_ line: Substring) -> Bool {
        tokens(in: line, isWordPart).contains { token in
            guard token.hasPrefix("sk_live_") || token.hasPrefix("rk_live_") else { return false }
            return token.count - 8 >= 16
        }
    }

    /// `AIza` and 35 characters of `[0-9A-Za-z_-]`.
    static func containsGoogleAPIKey(_ line: Substring) -> Bool {
        tokens(in: line) { isWordPart($0) || $0 == "-" }.contains { $0.hasPrefix("AIza") && $0.count == 39 }
    }

    /// `PuTTY-User-Key-File-2:` or `-3:` at the start of a line.
    static func isPuTTYHeader(_ line: Substring) -> Bool {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        return trimmed.hasPrefix("PuTTY-User-Key-File-2:") || trimmed.hasPrefix("PuTTY-User-Key-File-3:")
    }

    private static let credentialKeys = [
        "client_secret", "client-secret", "clientsecret", "api_key", "api-key", "apikey", "api_secret",
        "api-secret", "access_token", "access-token", "accesstoken", "auth_token", "auth-token", "authtoken",
        "secret_token", "refresh_token", "bearer_token",
    ]

    private static let credentialKeyBytes = credentialKeys.map { Array($0.utf8) }

    /// `client_secret: …`, `api_key=…`, `"access_token": "…"`, `X-Api-Key: …` with a real value.
    ///
    /// Works on UTF-8 bytes (keys and separators are ASCII), so long texts scan quickly.
    static func containsAPICredential(_ line: Substring) -> Bool {
        let original = Array(line.utf8)
        let bytes = original.map { $0 >= 0x41 && $0 <= 0x5a ? $0 + 0x20 : $0 }
        func isWordByte(_ b: UInt8) -> Bool {
            (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b == 0x5f || b == 0x2d || b >= 0x80
        }
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0d }
        func endsValue(_ b: UInt8) -> Bool {
            isSpace(b) || b == 0x22 || b == 0x27 || b == 0x2c || b == 0x3b || b == 0x26
        }
        func isQuoteOrSpace(_ b: UInt8) -> Bool { b == 0x22 || b == 0x27 || isSpace(b) }
        var i = 0
        while i < bytes.count {
            for key in credentialKeyBytes where key[0] == bytes[i] {
                guard i + key.count <= bytes.count, bytes[i..<(i + key.count)].elementsEqual(key) else { continue }
                var j = i + key.count
                if j < bytes.count, isWordByte(bytes[j]) { continue }
                while j < bytes.count, isQuoteOrSpace(bytes[j]) { j += 1 }
                guard j < bytes.count, bytes[j] == 0x3d || bytes[j] == 0x3a else { continue }
                j += 1
                while j < bytes.count, isQuoteOrSpace(bytes[j]) { j += 1 }
                var start = j
                while j < bytes.count, !endsValue(bytes[j]) { j += 1 }
                if bytes[start..<j].elementsEqual("bearer".utf8) {
                    while j < bytes.count, isSpace(bytes[j]) { j += 1 }
                    start = j
                    while j < bytes.count, !endsValue(bytes[j]) { j += 1 }
                }
                if isRealCredential(String(decoding: original[start..<j], as: UTF8.self)) { return true }
            }
            i += 1
        }
        return false
    }

    private static let placeholders: Set<String> = [
        "changeme", "change_me", "change-me", "redacted", "placeholder", "required", "optional", "example",
        "undefined", "password", "secret", "your_api_key", "your-api-key", "your_token", "your-token",
        "your_secret", "your-secret", "not_set", "notset", "none", "null", "todo", "tbd",
    ]

    private static func isRealCredential(_ value: String) -> Bool {
        guard value.count >= 8 else { return false }
        if let first = value.first, ["$", "<", "*", "{", "%", "[", "(", "`"].contains(first) { return false }
        let lowered = value.lowercased()
        if lowered.allSatisfy({ $0 == "x" || $0 == "*" || $0 == "." || $0 == "-" || $0 == "_" }) { return false }
        if lowered.contains("xxx") || lowered.contains("***") || lowered.contains("redacted") { return false }
        if placeholders.contains(lowered) || lowered.hasPrefix("your_") || lowered.hasPrefix("your-") { return false }
        // A plain lowercase word (`provided`, `rotation`) is prose, not a key.
        if value.allSatisfy({ $0.isLowercase && $0.isLetter }) && value.count < 16 { return false }
        return true
    }

    // MARK: - Normalization

    private static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF: return true
        default: return false
        }
    }

    /// `text` without zero-width characters, with Unicode spaces as spaces and Unicode
    /// decimal digits as ASCII digits.
    static func normalized(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isZeroWidth(scalar) { continue }
            switch scalar.value {
            case 0x00A0, 0x2000...0x200A, 0x202F, 0x205F, 0x3000:
                scalars.append(" ")
                continue
            default: break
            }
            if !scalar.isASCII, scalar.properties.numericType == .decimal,
                let value = scalar.properties.numericValue, value >= 0, value <= 9,
                let digit = Unicode.Scalar(48 + Int(value))
            {
                scalars.append(digit)
            } else {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    // MARK: - Helpers

    private static func tokens(in line: Substring, _ isPart: (Character) -> Bool) -> [Substring] {
        var result: [Substring] = []
        var start: Substring.Index?
        var index = line.startIndex
        while index < line.endIndex {
            if isPart(line[index]) {
                if start == nil { start = index }
            } else if let s = start {
                result.append(line[s..<index])
                start = nil
            }
            index = line.index(after: index)
        }
        if let s = start { result.append(line[s..<line.endIndex]) }
        return result
    }
}
