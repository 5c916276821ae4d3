import SOPCore

/// Finds secrets and card data in text before it is stored.
///
/// Pure and conservative: it reports the *kind* of secret and where, never the
/// value, so error messages can name the problem without repeating it. Kinds:
/// AWS access key ids (`AKIA…`/`ASIA…`), AWS secret access keys (40 base64-ish
/// characters near an access key id or a `secret` key name, or carrying `/`/`+`
/// with mixed case and digits), PEM private keys, `password=`-style credentials,
/// credentials inside URLs (`https://user:pass@host`), and payment card numbers
/// (13–19 digits with optional single spaces or dashes, a card-network prefix and a
/// valid Luhn checksum).
public enum SecretScanner {
    public enum Kind: String, Sendable, CaseIterable, Equatable {
        case awsAccessKeyID = "an AWS access key id"
        case awsSecretAccessKey = "an AWS secret access key"
        case privateKey = "a private key"
        case password = "a password"
        case urlCredentials = "credentials in a URL"
        case paymentCard = "a payment card number"
    }

    public struct Finding: Sendable, Equatable {
        public var kind: Kind
        /// 1-based line of the text where it starts.
        public var line: Int
    }

    /// Every finding in `text`, in order of appearance.
    public static func scan(_ text: String) -> [Finding] {
        var findings: [Finding] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
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
        let chars = Array(line.lowercased())
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

    /// Digit groups separated by single spaces or dashes; any run of consecutive groups
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
                if j + 1 < chars.count, chars[j] == " " || chars[j] == "-", chars[j + 1].isASCII, chars[j + 1].isNumber
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
