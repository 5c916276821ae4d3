import SOPCore

/// The judgement of a check: an outcome, one line a person can read, the resources (ARNs,
/// ids, names) that made it fail, and the values it judged.
public struct CheckResult: Sendable, Equatable, Codable {
    public var outcome: CheckOutcome
    public var summary: String
    public var resources: [String]
    /// What the check saw, by name (`minimum length` → `8`): the regression gate compares these
    /// between two runs to say what changed, where a summary sentence could only say that it did.
    public var observed: [String: String]

    public init(
        _ outcome: CheckOutcome, _ summary: String, resources: [String] = [], observed: [String: String] = [:]
    ) {
        self.outcome = outcome
        self.summary = summary.replacingOccurrences(of: "\n", with: " ")
        self.resources = resources
        self.observed = observed
    }

    /// This result with `values` added to what it observed.
    public func observing(_ values: [String: String]) -> CheckResult {
        var result = self
        result.observed.merge(values) { _, new in new }
        return result
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
