/// What a check concluded about one scope (the account, or one region of it).
///
/// `error` means "could not be verified" (access denied, throttled past retries, an
/// operation the endpoint does not implement, data that cannot be read) and is never
/// counted as a pass.
public enum CheckOutcome: String, Sendable, Codable, CaseIterable, Comparable {
    case pass
    case fail
    case error
    case notApplicable = "not-applicable"

    /// Severity order for summaries: fail before error before pass.
    public var rank: Int {
        switch self {
        case .fail: return 0
        case .error: return 1
        case .pass: return 2
        case .notApplicable: return 3
        }
    }

    public static func < (lhs: CheckOutcome, rhs: CheckOutcome) -> Bool { lhs.rank < rhs.rank }
}
