import Foundation
import SOPCore

/// One check's judgement of one scope, as `sop verify --json` reports it.
public struct CheckRunResult: Sendable, Equatable, Codable {
    public var check: String
    public var items: [String]
    /// `global` for account-wide checks, else the region.
    public var region: String
    public var outcome: CheckOutcome
    public var summary: String
    public var resources: [String]
    /// The values the check judged (see ``CheckResult/observed``).
    public var observed: [String: String]

    public init(
        check: String, items: [String], region: String, outcome: CheckOutcome, summary: String, resources: [String],
        observed: [String: String] = [:]
    ) {
        self.check = check
        self.items = items
        self.region = region
        self.outcome = outcome
        self.summary = summary
        self.resources = resources
        self.observed = observed
    }

    /// What identifies the result across runs (for "what changed since last time").
    public var key: String { "\(check)@\(region)" }
}

/// Everything the verifier produced in one run, calls included: the runner's output before the
/// application layer records it as the tracker's `VerificationRun`.
public struct VerifierRun: Sendable, Codable {
    public var accountId: String
    public var regions: [String]
    public var startedAt: Date
    public var finishedAt: Date
    public var results: [CheckRunResult]
    /// Every request made, with its dependency depth.
    public var calls: [TracedCall]

    public init(
        accountId: String, regions: [String], startedAt: Date, finishedAt: Date, results: [CheckRunResult],
        calls: [TracedCall]
    ) {
        self.accountId = accountId
        self.regions = regions
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.results = results
        self.calls = calls
    }

    /// The longest chain of calls that waited for one another.
    public var criticalPathDepth: Int { calls.map(\.depth).max() ?? 0 }

    public func count(_ outcome: CheckOutcome) -> Int { results.filter { $0.outcome == outcome }.count }

    /// "21 pass, 3 fail, 2 error" (not-applicable only when there are some).
    public var countsLine: String {
        var parts = ["\(count(.pass)) pass", "\(count(.fail)) fail", "\(count(.error)) error"]
        let skipped = count(.notApplicable)
        if skipped > 0 { parts.append("\(skipped) not-applicable") }
        return parts.joined(separator: ", ")
    }
}
