/// The one rule for AWS region names (`eu-west-1`, `us-gov-west-1`, `ap-southeast-4`): two or
/// more lower-case ASCII words and a number, joined by dashes, at most 32 characters.
///
/// `sop new`, `sop verify --regions` and every request the client builds use this rule, so a
/// mistyped region is refused before anything is stored or sent.
public enum AWSRegionName {
    public static func isValid(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 32 else { return false }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3, let last = parts.last, !last.isEmpty,
            last.allSatisfy({ $0.isASCII && $0.isNumber })
        else { return false }
        return parts.dropLast().allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isLowercase } }
    }
}
