/// The cloud whose region names a template's customers are recorded with.
///
/// A template says it in its front matter (`provider: gcp`); `sop new --regions` and the
/// `regions has …` conditions take that provider's names, so a condition like
/// `regions has europe-west1` can come true. Only AWS has automated checks.
public enum CloudProvider: String, Sendable, CaseIterable {
    case aws, gcp, azure

    /// Whether `text` is a region name of this provider.
    public func isRegion(_ text: String) -> Bool {
        switch self {
        case .aws: return AWSRegionName.isValid(text)
        case .gcp: return Self.isGCPRegion(text)
        case .azure: return Self.isAzureRegion(text)
        }
    }

    /// How a message names the provider's regions, with an example.
    public var regionWording: String {
        switch self {
        case .aws: return "an AWS region name (like eu-west-1)"
        case .gcp: return "a Google Cloud region name (like europe-west1)"
        case .azure: return "an Azure region name (like westeurope)"
        }
    }

    /// `europe-west1`, `us-central1`, `northamerica-northeast2`: lower-case words joined by one
    /// dash, the last ending in its number.
    static func isGCPRegion(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 32 else { return false }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let location = parts.last, let first = location.first, first.isLetter,
            let last = location.last, last.isNumber
        else { return false }
        let letters = location.prefix { $0.isLetter }
        let digits = location.dropFirst(letters.count)
        return parts[0].allSatisfy { $0.isASCII && $0.isLowercase } && !parts[0].isEmpty
            && letters.allSatisfy { $0.isASCII && $0.isLowercase } && !digits.isEmpty
            && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// `westeurope`, `eastus2`, `uksouth`: one lower-case word, optionally ending in a number.
    static func isAzureRegion(_ text: String) -> Bool {
        guard (2...32).contains(text.utf8.count), let first = text.first, first.isASCII, first.isLowercase else {
            return false
        }
        let letters = text.prefix { $0.isASCII && $0.isLowercase }
        return text.dropFirst(letters.count).allSatisfy { $0.isASCII && $0.isNumber }
    }
}
