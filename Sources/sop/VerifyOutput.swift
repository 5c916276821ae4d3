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
            table.append([row.check, row.region, paint(row.outcome, color: color), summary])
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
