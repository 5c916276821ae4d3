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

    /// The documented contract, plus run details (`changes`, `requests`, `critical_path_depth`, `run`,
    /// and `calls`: every request with its dependency depth and timing, in start order, times in
    /// milliseconds from `started_at`; `critical_path_depth` is the largest `depth` among them).
    struct Report {
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
        var calls: [Call]

        struct Result {
            var check: String
            var title: String
            var items: [String]
            var sections: [String]
            var region: String
            var outcome: String
            var summary: String
            var resources: [String]
        }

        struct Changes {
            var hasBaseline: Bool
            var fixed: [String]
            var newFailures: [String]
        }

        struct Call {
            var service: String
            var operation: String
            var region: String
            var depth: Int
            var startedMs: Double
            var durationMs: Double
            var attempts: Int
            /// The HTTP status of the last attempt; null when no response arrived.
            var status: Int?
        }

        /// The report as JSON: keys in sorted order, snake_case (the form JSONEncoder with
        /// `.sortedKeys` and `.convertToSnakeCase` gave, written directly: a run has hundreds
        /// of calls and results, and the encoder cost milliseconds).
        var json: PrettyJSON.Value {
            .object([
                ("account", .string(account)),
                ("calls", .array(calls.map { call in
                    .object([
                        ("attempts", .int(call.attempts)), ("depth", .int(call.depth)),
                        ("duration_ms", .double(call.durationMs)), ("operation", .string(call.operation)),
                        ("region", .string(call.region)), ("service", .string(call.service)),
                        ("started_ms", .double(call.startedMs)), ("status", call.status.map { .int($0) } ?? .null),
                    ])
                })),
                ("changes", .object([
                    ("fixed", .strings(changes.fixed)), ("has_baseline", .bool(changes.hasBaseline)),
                    ("new_failures", .strings(changes.newFailures)),
                ])),
                ("counts", .object(counts.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
                ("critical_path_depth", .int(criticalPathDepth)),
                ("customer", .string(customer)),
                ("finished_at", .string(Timestamps.string(finishedAt))),
                ("regions", .strings(regions)),
                ("requests", .int(requests)),
                ("results", .array(results.map { result in
                    .object([
                        ("check", .string(result.check)), ("items", .strings(result.items)),
                        ("outcome", .string(result.outcome)), ("region", .string(result.region)),
                        ("resources", .strings(result.resources)), ("sections", .strings(result.sections)),
                        ("summary", .string(result.summary)), ("title", .string(result.title)),
                    ])
                })),
                ("run", .string(run)),
                ("started_at", .string(Timestamps.string(startedAt))),
            ])
        }
    }

    /// Seconds as milliseconds with microsecond resolution.
    static func milliseconds(_ seconds: TimeInterval) -> Double { (seconds * 1_000_000).rounded() / 1000 }

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
            requests: run.calls.count, criticalPathDepth: run.criticalPathDepth, run: recorded.run.id,
            calls: run.calls.sorted { $0.startedAt < $1.startedAt }.map { call in
                Report.Call(service: call.service, operation: call.operation, region: call.region, depth: call.depth,
                            startedMs: milliseconds(call.startedAt.timeIntervalSince(run.startedAt)),
                            durationMs: milliseconds(call.duration), attempts: call.attempts, status: call.status)
            })
        print(PrettyJSON.render(report.json))
    }
}

/// Pretty-printed JSON in the layout JSONEncoder's `.prettyPrinted` uses (two-space indent,
/// `"key" : value`, an empty array as `[` blank line `]`), slashes unescaped.
enum PrettyJSON {
    indirect enum Value {
        case string(String)
        case int(Int)
        case double(Double)
        case bool(Bool)
        case null
        case array([Value])
        /// Members in the order given (callers pass them sorted).
        case object([(String, Value)])

        static func strings(_ values: [String]) -> Value { .array(values.map { .string($0) }) }
    }

    static func render(_ value: Value) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64 * 1024)
        write(value, indent: 0, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func newline(_ indent: Int, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
    }

    private static func write(_ value: Value, indent: Int, into out: inout [UInt8]) {
        switch value {
        case .string(let text): string(text, into: &out)
        case .int(let number): out.append(contentsOf: String(number).utf8)
        case .double(let number):
            // JSONEncoder writes integral values without `.0` (`54`, `1e+21` as they are).
            var text = number.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            out.append(contentsOf: text.utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .null: out.append(contentsOf: "null".utf8)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            if elements.isEmpty { out.append(UInt8(ascii: "\n")) }
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 2, &out)
                write(element, indent: indent + 2, into: &out)
            }
            newline(indent, &out)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            if members.isEmpty { out.append(UInt8(ascii: "\n")) }
            for (index, (key, element)) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 2, &out)
                string(key, into: &out)
                out.append(contentsOf: " : ".utf8)
                write(element, indent: indent + 2, into: &out)
            }
            newline(indent, &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// `"`, `\\` and control characters escaped as JSONEncoder escapes them; everything else as UTF-8.
    private static func string(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case 0x08: out.append(contentsOf: "\\b".utf8)
            case 0x0C: out.append(contentsOf: "\\f".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case 0..<0x20:
                out.append(contentsOf: "\\u00".utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
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
