import Foundation
import SOPChecks
import SOPStore

/// What `sop verify` prints: the summary table or the JSON contract, and its exit code.
enum VerifyOutput {
    /// 1 on any failure, else 3 on any error, else 0.
    static func exitCode(_ run: SOPChecks.VerificationRun) -> Int32 {
        if run.results.contains(where: { $0.outcome == .fail }) { return 1 }
        if run.results.contains(where: { $0.outcome == .error }) { return 3 }
        return 0
    }

    static func table(outcome: VerifySession.Outcome, recorded: RecordedVerification, color: Bool) -> String {
        var table = TextTable(columns: ["CHECK", "REGION", "OUTCOME", "SUMMARY"])
        let order = Dictionary(CheckCatalog.ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let results = outcome.run.results.sorted {
            ($0.outcome, order[$0.check] ?? 0, $0.region) < ($1.outcome, order[$1.check] ?? 0, $1.region)
        }
        for result in results {
            var summary = result.summary
            if result.outcome == .fail, !result.resources.isEmpty {
                summary += " [" + result.resources.prefix(5).joined(separator: ", ")
                    + (result.resources.count > 5 ? ", +\(result.resources.count - 5) more" : "") + "]"
            }
            table.append([result.check, result.region, paint(result.outcome, color: color), summary])
        }
        var lines = [table.render()]
        for note in outcome.notes { lines.append("note: \(note)\n") }
        let run = outcome.run
        lines.append("\(run.countsLine) (account \(run.accountId.isEmpty ? "unknown" : run.accountId), "
            + "\(run.regions.joined(separator: ", ")); \(run.calls.count) requests, critical path \(run.criticalPathDepth))\n")
        let changes = recorded.changes
        if changes.hasBaseline {
            var line = "since last run: \(changes.fixed.count) fixed, \(changes.newFailures.count) new, "
                + "\(changes.stillFailing.count) still failing"
            if !changes.newFailures.isEmpty { line += " (" + changes.newFailures.map(\.key).joined(separator: ", ") + ")" }
            if !changes.fixed.isEmpty { line += "; fixed: " + changes.fixed.map(\.key).joined(separator: ", ") }
            lines.append(line + "\n")
        }
        if !recorded.itemTransitions.isEmpty {
            lines.append("items: " + recorded.itemTransitions.sorted { $0.key < $1.key }
                .map { "\($0.key) → \($0.value.rawValue)" }.joined(separator: ", ") + "\n")
        }
        return lines.joined()
    }

    static func paint(_ outcome: Outcome, color: Bool) -> String {
        guard color else { return outcome.rawValue }
        let code: String
        switch outcome {
        case .pass: code = "32"
        case .fail: code = "31"
        case .error: code = "33"
        case .notApplicable: code = "90"
        }
        return "\u{1B}[\(code)m\(outcome.rawValue)\u{1B}[0m"
    }

    /// The documented contract, plus run details (`changes`, `requests`, `critical_path_depth`, `run`).
    struct Report: Encodable {
        var customer: String
        var account: String
        var regions: [String]
        var startedAt: Date
        var finishedAt: Date
        var results: [Result]
        var counts: [String: Int]
        var changes: Changes
        var requests: Int
        var criticalPathDepth: Int
        var run: String

        struct Result: Encodable {
            var check: String
            var title: String
            var items: [String]
            var sections: [String]
            var region: String
            var outcome: String
            var summary: String
            var resources: [String]
        }

        struct Changes: Encodable {
            var hasBaseline: Bool
            var fixed: [String]
            var newFailures: [String]
        }
    }

    static func printJSON(customer: String, outcome: VerifySession.Outcome, recorded: RecordedVerification) {
        let entries = Dictionary(outcome.plan.entries.map { ($0.check.id, $0) }, uniquingKeysWith: { a, _ in a })
        let run = outcome.run
        let report = Report(
            customer: customer, account: run.accountId, regions: run.regions, startedAt: run.startedAt,
            finishedAt: run.finishedAt,
            results: run.results.map { result in
                Report.Result(check: result.check, title: entries[result.check]?.check.title ?? "", items: result.items,
                              sections: entries[result.check]?.sections ?? [], region: result.region,
                              outcome: result.outcome.rawValue, summary: result.summary, resources: result.resources)
            },
            counts: Dictionary(uniqueKeysWithValues: Outcome.allCases.map { ($0.rawValue, run.count($0)) }),
            changes: Report.Changes(hasBaseline: recorded.changes.hasBaseline, fixed: recorded.changes.fixed.map(\.key),
                                    newFailures: recorded.changes.newFailures.map(\.key)),
            requests: run.calls.count, criticalPathDepth: run.criticalPathDepth, run: recorded.run.id)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(report) else { return }
        print(String(decoding: data, as: UTF8.self))
    }
}

/// A progress bar on stderr while fetches run, only when stderr is a terminal.
final class VerifyProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var shown = false

    static func forStandardError() -> VerifyProgress? {
        isatty(STDERR_FILENO) == 1 ? VerifyProgress() : nil
    }

    func update(_ done: Int, _ total: Int) {
        lock.lock()
        defer { lock.unlock() }
        let width = 30
        let filled = total == 0 ? width : width * done / max(total, 1)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\rverifying [\(bar)] \(done)/\(total)".utf8))
        shown = true
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }
}
