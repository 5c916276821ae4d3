/// What a check concluded about one scope (the account, or one region of it).
///
/// `error` means "could not be verified" (access denied, throttled past retries, an
/// operation the endpoint does not implement, data that cannot be read) and is never
/// counted as a pass.
public enum Outcome: String, Sendable, Codable, CaseIterable, Comparable {
    case pass
    case fail
    case error
    case notApplicable = "not-applicable"

    /// Severity order for summaries: fail before error before pass.
    var rank: Int {
        switch self {
        case .fail: return 0
        case .error: return 1
        case .pass: return 2
        case .notApplicable: return 3
        }
    }

    public static func < (lhs: Outcome, rhs: Outcome) -> Bool { lhs.rank < rhs.rank }
}

/// The judgement of a check: an outcome, one line a person can read, and the
/// resources (ARNs, ids, names) that made it fail.
public struct CheckResult: Sendable, Equatable, Codable {
    public var outcome: Outcome
    public var summary: String
    public var resources: [String]

    public init(_ outcome: Outcome, _ summary: String, resources: [String] = []) {
        self.outcome = outcome
        self.summary = summary.replacingOccurrences(of: "\n", with: " ")
        self.resources = resources
    }

    public static func pass(_ summary: String) -> CheckResult { CheckResult(.pass, summary) }

    public static func fail(_ summary: String, resources: [String] = []) -> CheckResult {
        CheckResult(.fail, summary, resources: resources)
    }

    public static func error(_ summary: String, resources: [String] = []) -> CheckResult {
        CheckResult(.error, summary, resources: resources)
    }

    public static func notApplicable(_ summary: String) -> CheckResult { CheckResult(.notApplicable, summary) }

    /// Fails naming `offenders` when there are any, passes otherwise.
    static func failing(_ offenders: [String], _ failSummary: String, else passSummary: String) -> CheckResult {
        offenders.isEmpty ? .pass(passSummary) : .fail(failSummary, resources: offenders)
    }
}
