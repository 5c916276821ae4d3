import SOPApp

/// The summary table `sop verify` prints.
enum VerifyTable {
    static func render(_ result: VerifyResult, color: Bool) -> String {
        let report = result.report
        var table = TextTable(columns: ["CHECK", "REGION", "OUTCOME", "SUMMARY"])
        for row in report.tableOrder {
            var summary = row.summary
            if row.outcome == "fail", !row.resources.isEmpty {
                summary +=
                    " [" + row.resources.prefix(5).joined(separator: ", ")
                    + (row.resources.count > 5 ? ", +\(row.resources.count - 5) more" : "") + "]"
            }
            let outcome = paint(row.outcome, color: color) + (row.waiver.map { " (waived \($0.id))" } ?? "")
            table.append([row.check, row.region, outcome, summary])
        }
        var lines = [table.render()]
        for note in result.notes { lines.append("note: \(note)\n") }
        lines.append(
            "\(result.countsLine) (account \(report.account.isEmpty ? "unknown" : report.account), "
                + "\(report.regions.joined(separator: ", ")); \(report.requests) requests, critical path \(report.criticalPathDepth))\n"
        )
        let changes = report.changes
        if changes.hasBaseline {
            var line =
                "since last run: \(changes.fixed.count) fixed, \(changes.newFailures.count) new, "
                + "\(changes.stillFailing.count) still failing"
            if !changes.newFailures.isEmpty { line += " (" + changes.newFailures.joined(separator: ", ") + ")" }
            if !changes.fixed.isEmpty { line += "; fixed: " + changes.fixed.joined(separator: ", ") }
            lines.append(line + "\n")
        }
        for row in report.tableOrder {
            guard let waiver = row.waiver else { continue }
            lines.append("waived: \(row.key) under \(waiver.id), approved by \(waiver.by), until \(waiver.until)\n")
        }
        if let gate = report.gate { lines.append(GateText.render(gate, color: color)) }
        if !result.itemTransitions.isEmpty {
            lines.append(
                "items: " + result.itemTransitions.map { "\($0.item) → \($0.status)" }.joined(separator: ", ") + "\n")
        }
        return lines.joined()
    }

    static func paint(_ outcome: String, color: Bool) -> String {
        guard color else { return outcome }
        let code: String
        switch outcome {
        case "pass": code = "32"
        case "fail": code = "31"
        case "error": code = "33"
        default: code = "90"
        }
        return "\u{1B}[\(code)m\(outcome)\u{1B}[0m"
    }
}

/// What `sop verify --gate` adds to the table: the verdict and every change, with what was
/// observed before and now.
enum GateText {
    static func render(_ gate: RegressionGate, color: Bool) -> String {
        var lines: [String] = []
        let verdict = gate.passed ? "passed" : "FAILED"
        lines.append(
            "gate against \(gate.baseline): \(color ? "\u{1B}[\(gate.passed ? 32 : 31)m\(verdict)\u{1B}[0m" : verdict) ("
                + "\(gate.regressions.count) regressed, \(gate.waived.count) waived, "
                + "\(gate.newFailures.count) new failing, \(gate.fixed.count) fixed)")
        func section(_ title: String, _ changes: [RegressionGate.Change]) {
            for change in changes {
                let outcomes = "\(change.before ?? "none") → \(change.now ?? "none")"
                let waiver = change.waiver.map { ", waiver \($0)" } ?? ""
                lines.append("  \(title) \(change.key) (\(outcomes)\(waiver))")
                for detail in change.details { lines.append("    \(detail)") }
            }
        }
        section("regressed:", gate.regressions)
        section("waived:", gate.waived)
        section("new failing:", gate.newFailures)
        section("fixed:", gate.fixed)
        return lines.joined(separator: "\n") + "\n"
    }
}

/// `sop verify --all`: one line per customer, then the night's verdict.
enum VerifyAllText {
    static func render(_ result: VerifyAllResult) -> String {
        let width = result.customers.map(\.customer.count).max() ?? 0
        var lines: [String] = []
        for line in result.customers {
            let name = line.customer.padding(toLength: max(width, 1), withPad: " ", startingAt: 0)
            if let skipped = line.skipped {
                lines.append("\(name)  skipped: \(skipped)")
                continue
            }
            var parts: [String] = []
            if let run = line.run { parts.append(run) }
            if line.run != nil {
                parts.append("\(line.newFailures.count) new failing, \(line.fixed.count) fixed")
                parts.append(
                    line.baseline.map { "\(line.regressions.count) regressed against \($0)" } ?? "no baseline")
                parts.append("\(line.errors) errors")
            }
            if let failure = line.failure { parts.append("error: \(failure)") }
            var text = "\(name)  " + parts.joined(separator: ", ")
            if !line.regressions.isEmpty { text += " (" + line.regressions.joined(separator: ", ") + ")" }
            lines.append(text)
        }
        let regressed = result.customers.filter { !$0.regressions.isEmpty }.count
        let failed = result.customers.filter { $0.failure != nil }.count
        lines.append(
            "\(result.customers.count) customers: \(regressed) regressed, \(failed) could not be verified, "
                + "\(result.customers.filter { $0.skipped != nil }.count) skipped")
        return lines.joined(separator: "\n") + "\n"
    }
}
