import SOPCore
import SOPJSON
import SOPStore

/// `sop verify --gate`: a new run compared with the customer's accepted one (its baseline).
///
/// The rules are those of Lula's `evaluate`: the gate fails when a check that passed in the
/// baseline fails now, or when a check that had a result in the baseline has none now (not
/// run, or an error: what cannot be verified is not assumed to hold). A check that is new and
/// failing is listed but does not fail the gate; a regression an approved waiver covers is
/// listed as waived and does not fail it either. Every change says what was observed before
/// and now, value by value, and which resources are new or gone.
public struct RegressionGate: Sendable {
    /// The baseline run (`V3`).
    public var baseline: String
    public var regressions: [Change]
    /// Regressions an approved waiver covers.
    public var waived: [Change]
    /// Failing now, with no result in the baseline.
    public var newFailures: [Change]
    /// Failing in the baseline, passing now.
    public var fixed: [Change]

    public var passed: Bool { regressions.isEmpty }

    public struct Change: Sendable, Equatable {
        public var check: String
        public var region: String
        /// The outcomes, nil where there was no result.
        public var before: String?
        public var now: String?
        /// `password minimum length 16 → 8`, `sg-0ab… (new)`, `no result (was pass)`.
        public var details: [String]
        public var waiver: String?

        public var key: String { "\(check)@\(region)" }
    }

    /// Compares `now` (the results of the new run, with the waiver covering each failure) with
    /// the baseline's results.
    init(baseline: StoredVerificationRun, now: [VerifyReport.Result]) {
        self.baseline = baseline.id
        var earlier: [String: CheckResultRecord] = [:]
        for result in baseline.run.results { earlier[result.key] = result }
        var current: [String: VerifyReport.Result] = [:]
        for result in now { current["\(result.check)@\(result.region)"] = result }
        var regressions: [Change] = []
        var waived: [Change] = []
        var newFailures: [Change] = []
        var fixed: [Change] = []
        for (key, before) in earlier.sorted(by: { $0.key < $1.key }) {
            let region = before.region ?? "global"
            // An error in the baseline is no result: nothing to hold the new run to, and a
            // failure now is a new one.
            if before.outcome == .error {
                if let after = current[key], after.outcome == CheckOutcome.fail.rawValue {
                    newFailures.append(
                        Change(
                            check: after.check, region: after.region, before: before.outcome.rawValue,
                            now: after.outcome, details: [after.summary] + after.resources.map { "\($0) (new)" },
                            waiver: after.waiver?.id))
                }
                continue
            }
            guard let after = current[key], after.outcome != CheckOutcome.error.rawValue else {
                let what = current[key] == nil ? "no result" : "could not be verified: \(current[key]?.summary ?? "")"
                regressions.append(
                    Change(
                        check: before.checkId, region: region, before: before.outcome.rawValue,
                        now: current[key]?.outcome, details: ["\(what) (was \(before.outcome.rawValue))"]))
                continue
            }
            let change = Change(
                check: before.checkId, region: region, before: before.outcome.rawValue, now: after.outcome,
                details: Self.details(before: before, after: after), waiver: after.waiver?.id)
            switch (before.outcome, after.outcome) {
            case (.pass, CheckOutcome.fail.rawValue):
                if after.waiver != nil { waived.append(change) } else { regressions.append(change) }
            case (.fail, CheckOutcome.pass.rawValue), (.fail, CheckOutcome.notApplicable.rawValue):
                fixed.append(change)
            case (.notApplicable, CheckOutcome.fail.rawValue):
                newFailures.append(change)
            default: break
            }
        }
        for (key, after) in current.sorted(by: { $0.key < $1.key })
        where earlier[key] == nil && after.outcome == CheckOutcome.fail.rawValue {
            newFailures.append(
                Change(
                    check: after.check, region: after.region, before: nil, now: after.outcome,
                    details: [after.summary] + after.resources.map { "\($0) (new)" }, waiver: after.waiver?.id))
        }
        self.regressions = regressions
        self.waived = waived
        self.newFailures = newFailures
        self.fixed = fixed
    }

    /// What changed between two results of one check: each observed value that differs, each
    /// resource that is new or gone, and the summaries when nothing more precise differs.
    static func details(before: CheckResultRecord, after: VerifyReport.Result) -> [String] {
        var details: [String] = []
        let old = before.observed ?? [:]
        for key in Set(old.keys).union(after.observed.keys).sorted() {
            let was = old[key]
            let now = after.observed[key]
            guard was != now else { continue }
            details.append("\(key) \(was ?? "none") → \(now ?? "none")")
        }
        let oldResources = Set(before.resources)
        let newResources = Set(after.resources)
        if after.outcome == CheckOutcome.fail.rawValue {
            for resource in after.resources where !oldResources.contains(resource) || before.outcome == .pass {
                // A resource an observed value already names is said once: `sg-1 opens none → 22 … (new)`.
                if let index = details.firstIndex(where: { $0.hasPrefix(resource + " ") }) {
                    details[index] += " (new)"
                } else {
                    details.append("\(resource) (new)")
                }
            }
        }
        if before.outcome == .fail {
            for resource in before.resources where !newResources.contains(resource) {
                details.append("\(resource) (gone)")
            }
        }
        if details.isEmpty, before.summary != after.summary {
            details.append("\(before.summary) → \(after.summary)")
        }
        return details
    }

    var jsonValue: PrettyJSON.Value {
        func changes(_ list: [Change]) -> PrettyJSON.Value {
            .array(
                list.map { change in
                    .object([
                        ("before", change.before.map { .string($0) } ?? .null), ("check", .string(change.check)),
                        ("details", .strings(change.details)), ("now", change.now.map { .string($0) } ?? .null),
                        ("region", .string(change.region)), ("waiver", change.waiver.map { .string($0) } ?? .null),
                    ])
                })
        }
        return .object([
            ("baseline", .string(baseline)), ("fixed", changes(fixed)), ("new_failures", changes(newFailures)),
            ("passed", .bool(passed)), ("regressions", changes(regressions)), ("waived", changes(waived)),
        ])
    }
}
