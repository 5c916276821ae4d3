import Foundation
import SOPChecks
import SOPCore
import SOPJSON
import SOPStore

/// A verification run as front ends show it: the `sop verify --json` contract and the rows of
/// the summary table.
///
/// The contract: `customer`, `account`, `regions`, `started_at`, `finished_at`, `results`,
/// `counts`, plus run details (`changes`, `requests`, `critical_path_depth`, `run`, and `calls`:
/// every request with its dependency depth and timing, in start order, times in milliseconds
/// from `started_at`; `critical_path_depth` is the largest `depth` among them). Each result
/// carries `observed` (the values the check judged, `{}` when it names none) and, when an
/// approved waiver covers its failure, `waiver` (`{"id","until","by"}`); the outcome stays
/// `fail`. `waived` lists the keys of waived failures; `gate` is there with `--gate`.
public struct VerifyReport: Sendable {
    public var customer: String
    public var account: String
    public var regions: [String]
    public var startedAt: Date
    public var finishedAt: Date
    /// In the order the checks ran.
    public var results: [Result]
    public var counts: [String: Int]
    public var changes: Changes
    public var requests: Int
    public var criticalPathDepth: Int
    public var run: String
    public var calls: [Call]
    /// Results in the table's order: by outcome (fail, error, pass, not-applicable), then the
    /// catalog's order of checks, then region.
    public var tableOrder: [Result]
    /// `check@region` of every failure an approved waiver covers.
    public var waived: [String] { results.filter { $0.waiver != nil }.map(\.key) }
    /// The comparison with the baseline, with `--gate`.
    public var gate: RegressionGate?

    public struct Result: Sendable {
        public var check: String
        public var title: String
        public var items: [String]
        public var sections: [String]
        public var region: String
        public var outcome: String
        public var summary: String
        public var resources: [String]
        public var observed: [String: String]
        /// The approved waiver covering this failure (the outcome stays `fail`).
        public var waiver: WaiverMark?

        public var key: String { "\(check)@\(region)" }
    }

    /// The waiver a failure is reported under.
    public struct WaiverMark: Sendable, Equatable {
        public var id: String
        /// Its last day.
        public var until: String
        /// Who approved it.
        public var by: String

        /// The first of `waivers` in force on `today` that covers a failure of `check` (nil for
        /// any other outcome: a waiver marks failures only).
        static func covering(
            _ waivers: [WaiverInfo], outcome: CheckOutcome, check: String, items: [String], region: String?,
            resources: [String], today: String
        ) -> WaiverMark? {
            guard outcome == .fail else { return nil }
            return waivers.first {
                $0.covers(check: check, items: items, region: region, resources: resources, today: today)
            }.map { WaiverMark(id: $0.id, until: $0.expires, by: $0.decidedBy ?? "") }
        }
    }

    public struct Changes: Sendable {
        public var hasBaseline: Bool
        public var fixed: [String]
        public var newFailures: [String]
        public var stillFailing: [String]
    }

    public struct Call: Sendable {
        public var service: String
        public var operation: String
        public var region: String
        public var depth: Int
        public var startedMs: Double
        public var durationMs: Double
        public var attempts: Int
        /// The HTTP status of the last attempt; null when no response arrived.
        public var status: Int?
    }

    init(
        customer: String, outcome: VerifySession.Outcome, recorded: RecordedVerification, waivers: [WaiverInfo] = [],
        today: String = "", baseline: StoredVerificationRun? = nil
    ) {
        let entries = Dictionary(outcome.plan.entries.map { ($0.check.id, $0) }, uniquingKeysWith: { a, _ in a })
        let run = outcome.run
        func view(_ result: CheckRunResult) -> Result {
            let covering = WaiverMark.covering(
                waivers, outcome: result.outcome, check: result.check, items: result.items,
                region: result.region == "global" ? nil : result.region, resources: result.resources, today: today)
            return Result(
                check: result.check, title: entries[result.check]?.check.title ?? "", items: result.items,
                sections: entries[result.check]?.sections ?? [], region: result.region,
                outcome: result.outcome.rawValue, summary: result.summary, resources: result.resources,
                observed: result.observed, waiver: covering)
        }
        self.customer = customer
        account = run.accountId
        regions = run.regions
        startedAt = run.startedAt
        finishedAt = run.finishedAt
        results = run.results.map(view)
        let order = Dictionary(CheckCatalog.ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        tableOrder = run.results.sorted {
            ($0.outcome, order[$0.check] ?? 0, $0.region) < ($1.outcome, order[$1.check] ?? 0, $1.region)
        }.map(view)
        counts = Dictionary(uniqueKeysWithValues: CheckOutcome.allCases.map { ($0.rawValue, run.count($0)) })
        changes = Changes(
            hasBaseline: recorded.changes.hasBaseline, fixed: recorded.changes.fixed.map(\.key),
            newFailures: recorded.changes.newFailures.map(\.key),
            stillFailing: recorded.changes.stillFailing.map(\.key))
        let viewed = results
        gate = baseline.map { RegressionGate(baseline: $0, now: viewed) }
        requests = run.calls.count
        criticalPathDepth = run.criticalPathDepth
        self.run = recorded.run.id
        calls = run.calls.sorted { $0.startedAt < $1.startedAt }.map { call in
            Call(
                service: call.service, operation: call.operation, region: call.region, depth: call.depth,
                startedMs: Self.milliseconds(call.startedAt.timeIntervalSince(run.startedAt)),
                durationMs: Self.milliseconds(call.duration), attempts: call.attempts, status: call.status)
        }
    }

    /// Seconds as milliseconds with microsecond resolution.
    static func milliseconds(_ seconds: TimeInterval) -> Double { (seconds * 1_000_000).rounded() / 1000 }

    /// The report as JSON: keys in sorted order, snake_case (the form JSONEncoder with
    /// `.sortedKeys` and `.convertToSnakeCase` gave, written directly: a run has hundreds of calls
    /// and results, and the encoder cost milliseconds).
    public var json: String { PrettyJSON.render(jsonValue) }

    var jsonValue: PrettyJSON.Value {
        let callValues: [PrettyJSON.Value] = calls.map { call in
            .object([
                ("attempts", .int(call.attempts)), ("depth", .int(call.depth)),
                ("duration_ms", .double(call.durationMs)), ("operation", .string(call.operation)),
                ("region", .string(call.region)), ("service", .string(call.service)),
                ("started_ms", .double(call.startedMs)), ("status", call.status.map { .int($0) } ?? .null),
            ])
        }
        var members: [(String, PrettyJSON.Value)] = [
            ("account", .string(account)),
            ("calls", .array(callValues)),
            (
                "changes",
                .object([
                    ("fixed", .strings(changes.fixed)), ("has_baseline", .bool(changes.hasBaseline)),
                    ("new_failures", .strings(changes.newFailures)),
                ])
            ),
            ("counts", .object(counts.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
            ("critical_path_depth", .int(criticalPathDepth)),
            ("customer", .string(customer)),
            ("finished_at", .string(Timestamps.string(finishedAt))),
        ]
        if let gate { members.append(("gate", gate.jsonValue)) }
        members += [
            ("regions", .strings(regions)),
            ("requests", .int(requests)),
            ("results", .array(results.map(Self.jsonValue))),
            ("run", .string(run)),
            ("started_at", .string(Timestamps.string(startedAt))),
            ("waived", .strings(waived)),
        ]
        return .object(members)
    }

    static func jsonValue(_ result: Result) -> PrettyJSON.Value {
        let observed: [(String, PrettyJSON.Value)] = result.observed.sorted { $0.key < $1.key }.map {
            ($0.key, .string($0.value))
        }
        var members: [(String, PrettyJSON.Value)] = [
            ("check", .string(result.check)), ("items", .strings(result.items)), ("observed", .object(observed)),
            ("outcome", .string(result.outcome)), ("region", .string(result.region)),
            ("resources", .strings(result.resources)), ("sections", .strings(result.sections)),
            ("summary", .string(result.summary)), ("title", .string(result.title)),
        ]
        if let waiver = result.waiver {
            members.append(
                (
                    "waiver",
                    .object([("by", .string(waiver.by)), ("id", .string(waiver.id)), ("until", .string(waiver.until))])
                ))
        }
        return .object(members)
    }
}

extension VerifyReport.Result {
    /// A recorded result as the report shows it, with the approved waiver covering its failure.
    init(record: CheckResultRecord, waivers: [WaiverInfo], today: String) {
        let region = record.region ?? "global"
        let covering = VerifyReport.WaiverMark.covering(
            waivers, outcome: record.outcome, check: record.checkId, items: record.itemIds, region: record.region,
            resources: record.resources, today: today)
        self.init(
            check: record.checkId, title: record.title ?? "", items: record.itemIds, sections: record.sections,
            region: region, outcome: record.outcome.rawValue, summary: record.summary, resources: record.resources,
            observed: record.observed ?? [:], waiver: covering)
    }
}
