import Foundation
import SOPApp
import SOPCore

/// The text forms of `sop status`.
enum TrackerStatusText {
    static func portfolio(_ rows: [PortfolioRow], fancy: Bool, color: Bool) -> String {
        guard !rows.isEmpty else { return "no customers yet (create one with 'sop new')" }
        let table = rows.map { row -> [String] in
            let progress =
                TrackerTable.bar(row.done, of: row.total, width: 10, fancy: fancy) + " " + pad("\(row.progress)%", 4)
            return [
                row.slug, "\(row.template.id)@\(row.template.version)", progress, "\(row.done)/\(row.total)",
                count(row.blocked, color: color), count(row.overdue, color: color), count(row.failing, color: color),
                String(row.lastActivity.prefix(10)),
            ]
        }
        return TrackerTable.render(
            header: [
                "CUSTOMER", "TEMPLATE", "PROGRESS", "DONE", "BLOCKED", "OVERDUE", "FAILING",
                "LAST ACTIVITY",
            ], rows: table)
    }

    static func customer(_ report: CustomerReport, fancy: Bool, color: Bool) -> String {
        var lines: [String] = []
        let c = report.customer
        var header = "\(c.slug) — \(c.name) (\(report.template.id)@\(report.template.version))"
        if let owner = c.owner { header += ", owner \(owner)" }
        if let due = c.due { header += ", due \(due)" }
        lines.append(TrackerTable.color(header, "1", enabled: color))
        let s = report.summary
        lines.append(
            "\(s.done)/\(s.applicable) done (\(s.progress)%), \(s.inProgress) in progress, \(s.todo) to do, "
                + "\(s.blocked) blocked, \(s.failed) failed, \(s.notApplicable) not applicable")

        lines.append("")
        lines.append("SECTIONS")
        let top = report.sections.filter { !$0.number.contains(".") }
        let shown = top.isEmpty ? report.sections : top
        let width = shown.map { $0.number.count + 1 + $0.title.count }.max() ?? 0
        for section in shown where section.summary.total > 0 {
            let label = pad("\(section.number) \(section.title)", width)
            let applicable = section.summary.applicable
            var line =
                "  \(label)  \(TrackerTable.bar(section.summary.done, of: applicable, fancy: fancy))  "
                + "\(section.summary.done)/\(applicable)"
            var notes: [String] = []
            if section.summary.blocked > 0 { notes.append("\(section.summary.blocked) blocked") }
            if section.summary.failed > 0 { notes.append("\(section.summary.failed) failed") }
            if section.summary.overdue > 0 { notes.append("\(section.summary.overdue) overdue") }
            if !notes.isEmpty { line += "  " + TrackerTable.color(notes.joined(separator: ", "), "31", enabled: color) }
            lines.append(line)
        }

        let blocked = report.items.filter { $0.status == .blocked }
        section(&lines, "BLOCKED", blocked.map { "\($0.id)  \($0.title) — \($0.reason ?? "no reason")" })
        section(
            &lines, "OVERDUE",
            report.items.filter(\.overdue).map {
                TrackerTable.color(
                    "\($0.id)  due \($0.due ?? "?")\($0.assignee.map { ", \($0)" } ?? "")  \($0.title)", "31",
                    enabled: color)
            })
        let failing = report.items.flatMap { item in
            item.checkOutcomes.filter { $0.outcome == .fail }.map {
                "\(item.id)  \($0.checkId)\($0.region.map { "@\($0)" } ?? ""): \($0.summary) (since \($0.since.prefix(10)))"
            }
        }
        section(&lines, "FAILING CHECKS", failing)
        let missing = report.items.filter {
            [.inProgress, .done, .failed, .blocked].contains($0.status) && !$0.missingEvidence.isEmpty
        }
        section(&lines, "MISSING EVIDENCE", missing.map { "\($0.id)  \($0.missingEvidence.joined(separator: ", "))" })
        section(
            &lines, "NEEDS RENEWAL",
            report.items.filter { $0.needsRenewal == true }.map { item in
                let aged = item.evidence.filter { $0.stale == true }
                    .map { "\($0.id) valid until \($0.validUntil ?? "?")" }
                return "\(item.id)  evidence past its validity: " + aged.joined(separator: ", ")
            })
        section(
            &lines, "WAIVERS",
            (report.waivers ?? []).filter { [.requested, .approved].contains($0.state(today: report.today)) }.map {
                waiver in
                let state = waiver.state(today: report.today)
                let decision =
                    state == .approved
                    ? "approved by \(waiver.decidedBy ?? "?")\(waiver.decidedRole.map { " (\($0))" } ?? "")"
                    : "requested by \(waiver.requestedBy), awaiting approval"
                return "\(waiver.id)  \(waiver.scope) until \(waiver.expires), \(decision): \(waiver.reason)"
            })
        let allSignoffs = report.signoffs + report.items.flatMap(\.signoffs)
        let stale = allSignoffs.filter { $0.state == .stale }
        section(
            &lines, "STALE SIGN-OFFS",
            stale.map {
                "\($0.targetKind) \($0.target)  \($0.role) by \($0.by ?? "?") on \(($0.at ?? "").prefix(10)): evidence changed since; sign again"
            })
        let pending = allSignoffs.filter { $0.state == .missing || $0.state == .revoked }.count
        let valid = allSignoffs.filter { $0.state == .valid }.count
        if valid + stale.count + pending > 0 {
            lines.append("")
            lines.append("Sign-offs: \(valid) valid, \(stale.count) stale, \(pending) pending")
        }
        let byID = Dictionary(report.items.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        section(
            &lines, "NEXT ACTIONS",
            report.nextActions.map { id in
                let item = byID[id]
                let due = item?.due.map { "  due \($0)" } ?? ""
                let line = "\(id)  \(item?.title ?? "")\(due)"
                return item?.overdue == true ? TrackerTable.color(line, "31", enabled: color) : line
            })
        if let last = report.verificationHistory.first {
            lines.append("")
            lines.append(
                "Last verification \(last.id) on \(last.recordedAt.prefix(10)): \(last.passed) pass, \(last.failed) fail, "
                    + "\(last.errors) error, \(last.notApplicable) not applicable")
        }
        return lines.joined(separator: "\n")
    }

    private static func section(_ lines: inout [String], _ title: String, _ entries: [String]) {
        guard !entries.isEmpty else { return }
        lines.append("")
        lines.append(title)
        for entry in entries { lines.append("  " + entry) }
    }

    private static func count(_ value: Int, color: Bool) -> String {
        value == 0 ? "0" : TrackerTable.color(String(value), "31", enabled: color)
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
