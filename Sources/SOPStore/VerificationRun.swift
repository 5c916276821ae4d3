import Foundation
import SOPCore

/// One check result as `sop verify` hands it to the store.
public struct CheckResultRecord: Sendable, Codable, Equatable {
    public var checkId: String
    public var title: String?
    /// The template items the check verifies.
    public var itemIds: [String]
    public var sections: [String]
    /// nil for global checks (IAM, Organizations, …).
    public var region: String?
    public var outcome: CheckOutcome
    public var summary: String
    /// Offending resources (ARNs or names) for `fail`, the resources looked at otherwise.
    public var resources: [String]
    /// API calls made, e.g. `iam:GetAccountPasswordPolicy`.
    public var calls: [String]
    /// The values the check judged, by name; nil when it named none (runs recorded before
    /// checks reported values have none, and their stored form is unchanged).
    public var observed: [String: String]?

    public init(
        checkId: String, title: String? = nil, itemIds: [String], sections: [String] = [], region: String? = nil,
        outcome: CheckOutcome, summary: String, resources: [String] = [], calls: [String] = [],
        observed: [String: String]? = nil
    ) {
        self.observed = observed
        self.checkId = checkId
        self.title = title
        self.itemIds = itemIds
        self.sections = sections
        self.region = region
        self.outcome = outcome
        self.summary = summary
        self.resources = resources
        self.calls = calls
    }

    /// `check_id@region` (`@global` for global checks): what identifies a result across runs.
    public var key: String { "\(checkId)@\(region ?? "global")" }
}

/// One `sop verify` run: what was checked, where, and what came out.
public struct VerificationRun: Sendable, Codable, Equatable {
    public var account: String?
    public var regions: [String]
    public var startedAt: Date
    public var finishedAt: Date
    /// Total AWS API calls made by the run.
    public var callsMade: Int
    public var results: [CheckResultRecord]

    public init(
        account: String?, regions: [String], startedAt: Date, finishedAt: Date, callsMade: Int,
        results: [CheckResultRecord]
    ) {
        self.account = account
        self.regions = regions
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.callsMade = callsMade
        self.results = results
    }

    public func count(_ outcome: CheckOutcome) -> Int { results.filter { $0.outcome == outcome }.count }

    /// What changed between `previous` and this run, matching results by check and region.
    /// Only results present in this run are compared, so a partial run (`--checks`) reports
    /// nothing about the checks it skipped.
    public func changes(since previous: VerificationRun?) -> VerificationChanges {
        var earlier: [String: CheckOutcome] = [:]
        for result in previous?.results ?? [] { earlier[result.key] = result.outcome }
        return VerificationChanges.between(earlier: earlier, now: results)
    }
}

/// New failures and fixes between two states of the same checks.
public struct VerificationChanges: Sendable, Codable, Equatable {
    /// Failing now, not failing (or not run) before.
    public var newFailures: [CheckResultRecord]
    /// Failing before, passing (or not applicable) now.
    public var fixed: [CheckResultRecord]
    public var stillFailing: [CheckResultRecord]
    /// True when there was an earlier state to compare with.
    public var hasBaseline: Bool

    public init(
        newFailures: [CheckResultRecord] = [], fixed: [CheckResultRecord] = [],
        stillFailing: [CheckResultRecord] = [], hasBaseline: Bool = false
    ) {
        self.newFailures = newFailures
        self.fixed = fixed
        self.stillFailing = stillFailing
        self.hasBaseline = hasBaseline
    }

    static func between(earlier: [String: CheckOutcome], now results: [CheckResultRecord]) -> VerificationChanges {
        var changes = VerificationChanges(hasBaseline: !earlier.isEmpty)
        for result in results {
            let before = earlier[result.key]
            switch (before, result.outcome) {
            case (.fail?, .fail): changes.stillFailing.append(result)
            case (_, .fail): changes.newFailures.append(result)
            case (.fail?, .pass), (.fail?, .notApplicable): changes.fixed.append(result)
            default: break
            }
        }
        return changes
    }
}

/// A recorded run as read back from the store.
public struct StoredVerificationRun: Sendable, Codable, Equatable {
    /// `V3`.
    public var id: String
    public var recordedAt: String
    public var recordedBy: String
    public var passed: Int
    public var failed: Int
    public var errors: Int
    public var notApplicable: Int
    public var sha256: String
    public var run: VerificationRun
}

/// What recording a run did: the changes since the previous state and the items it moved.
public struct RecordedVerification: Sendable, Equatable {
    public var run: StoredVerificationRun
    public var changes: VerificationChanges
    /// Item id → new status, for automated items the run moved to done or failed.
    public var itemTransitions: [String: ItemStatus]
    /// Item ids named by results that the customer's checklist does not have.
    public var unknownItems: [String]
}

/// The latest outcome of one check on one item, for status and the renderer.
public struct CheckOutcomeInfo: Sendable, Codable, Equatable {
    public var item: String
    public var checkId: String
    /// nil for global checks.
    public var region: String?
    public var outcome: CheckOutcome
    public var summary: String
    /// When the outcome last changed (a failure "since" then).
    public var since: String
    public var updatedAt: String
    public var evidence: String
}
