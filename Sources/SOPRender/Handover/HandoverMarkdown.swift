import Foundation
import SOPCore

/// Renders `handover.md`: the packet as GitHub-flavoured Markdown.
///
/// Template-authored text (section and item titles, the credential process) is written
/// as Markdown; everything a user typed goes through ``MarkdownEscaper``. Each part of
/// the document is one small function, in reading order.
public struct HandoverMarkdown {
    public var context: HandoverContext
    /// The document's first heading; `Handover: <customer>` unless a wiki page wants its own.
    public var heading: String?

    public init(context: HandoverContext, heading: String? = nil) {
        self.context = context
        self.heading = heading
    }

    public func render() -> String {
        let parts = [cover(), summary(), sections(), verification(), signoffs(), credentials(), openItems()]
        return parts.filter { !$0.isEmpty }.joined(separator: "\n") + footer()
    }

    var report: CustomerReportView { context.report }

    func cover() -> String {
        let c = report.customer
        var lines = ["# " + (heading.map(MarkdownEscaper.inline) ?? "Handover: \(MarkdownEscaper.inline(c.name))"), ""]
        lines.append("| | |")
        lines.append("|---|---|")
        lines.append("| Customer | \(MarkdownEscaper.cell(c.name)) |")
        if report.template.verifies {
            lines.append("| AWS account | \(MarkdownEscaper.cell(c.accountID ?? "not recorded")) |")
        }
        lines.append("| Template | \(MarkdownEscaper.code(report.template.reference, inTable: true)) |")
        lines.append("| Date | \(RenderDate.day(context.date)) |")
        lines.append("| Prepared by | \(MarkdownEscaper.cell(context.preparedBy)) |")
        lines.append("| Audience | \(context.audience.rawValue) |")
        if let head = report.auditHead {
            lines.append("| Audit trail | \(MarkdownEscaper.code(head, inTable: true)) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func summary() -> String {
        let p = report.progress
        var lines = ["## Executive summary", ""]
        lines.append("- Progress: \(p.done) of \(p.total) applicable items done (\(p.percent) %)")
        lines.append("- In progress: \(p.inProgress); blocked: \(p.blocked); not applicable: \(p.notApplicable)")
        lines.append("- Open items: \(report.openItems.count)")
        let failing = report.verification.filter { $0.outcome == .fail }.count
        if !report.verification.isEmpty {
            lines.append(
                "- Latest verification: \(report.verification.filter { $0.outcome == .pass }.count) passed, \(failing) failed, \(report.verification.filter { $0.outcome == .error }.count) not verified"
            )
        }
        lines.append("")
        lines.append("### Exceptions")
        lines.append("")
        let exceptions = report.exceptions
        let waivers = report.waiversInForce
        if exceptions.isEmpty && waivers.isEmpty {
            lines.append("None.")
        } else {
            for item in exceptions {
                let kind = item.status == .notApplicable ? "Not applicable" : "Completed with override"
                let reason = item.reason.map { MarkdownEscaper.inline($0) } ?? "no reason recorded"
                lines.append("- \(MarkdownEscaper.code(item.id)) \(Self.title(item)) — **\(kind)**: \(reason)")
            }
            for waiver in waivers {
                lines.append(
                    "- \(MarkdownEscaper.code(waiver.scope)) — **Waived until \(waiver.expires)** "
                        + "(\(MarkdownEscaper.code(waiver.id)), \(MarkdownEscaper.inline(waiver.decision))): "
                        + MarkdownEscaper.inline(waiver.reason))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func sections() -> String {
        var lines: [String] = []
        for section in report.sections {
            let hashes = String(repeating: "#", count: min(max(section.level, 2), 4))
            lines.append("\(hashes) \(UserText.line(section.number)). \(Self.inlineTitle(section.title))")
            lines.append("")
            for item in section.items {
                lines.append(contentsOf: self.item(item))
            }
            if !section.items.isEmpty { lines.append("") }
        }
        return lines.joined(separator: "\n")
    }

    func item(_ item: ReportItem) -> [String] {
        var lines = ["- **\(item.status.label)** \(MarkdownEscaper.code(item.id)) \(Self.title(item))"]
        if let reason = item.reason, !UserText.line(reason).isEmpty {
            lines.append("  - Reason: \(MarkdownEscaper.inline(reason))")
        }
        if item.forced { lines.append("  - Completed with override") }
        if item.needsRenewal { lines.append("  - **Needs renewal**: its evidence is past its validity") }
        if let assignee = item.assignee {
            lines.append(
                "  - Assigned to \(MarkdownEscaper.inline(assignee))"
                    + (item.due.map { ", due \(RenderDate.day($0))" } ?? ""))
        } else if let due = item.due {
            lines.append("  - Due \(RenderDate.day(due))")
        }
        for evidence in item.evidence {
            lines.append("  - Evidence: " + self.evidence(evidence))
        }
        if let note = item.internalNote, !UserText.line(note).isEmpty {
            lines.append("  - Internal note: \(MarkdownEscaper.inline(note))")
        }
        return lines
    }

    func evidence(_ e: EvidenceRef) -> String {
        var what: String
        switch e.kind {
        case .file:
            let name = e.fileName ?? "file"
            if let path = context.evidencePaths[e.id] {
                what = "file [\(MarkdownEscaper.inline(name))](<\(path)>)"
            } else {
                what = "file \(MarkdownEscaper.inline(name))"
            }
        case .link:
            what = "link " + MarkdownEscaper.link(e.text ?? "", url: e.text ?? "")
        case .note:
            what = "note “\(MarkdownEscaper.inline(e.text ?? ""))”"
        case .check:
            what = "check \(MarkdownEscaper.inline(e.text ?? ""))"
        }
        let internalMark = e.isInternal ? " (internal)" : ""
        return
            "\(what)\(internalMark) · \(MarkdownEscaper.code(e.shortHash)) · \(RenderDate.day(e.addedAt)) · \(MarkdownEscaper.inline(e.by))"
    }

    func verification() -> String {
        guard report.template.verifies else { return "" }
        var lines = ["## Verification results", ""]
        guard let latest = report.verification.map(\.at).max() else {
            lines.append("The account has not been verified yet.")
            return lines.joined(separator: "\n") + "\n"
        }
        lines.append("Latest run: \(RenderDate.minute(latest))")
        lines.append("")
        lines.append("| Check | Region | Outcome | Offending resources |")
        lines.append("|---|---|---|---|")
        for r in Self.sortedResults(report.verification) {
            let offending =
                r.offending.isEmpty
                ? (r.message.map { MarkdownEscaper.inline($0) } ?? "")
                : r.offending.map { MarkdownEscaper.code($0, inTable: true) }.joined(separator: ", ")
            lines.append(
                "| \(MarkdownEscaper.code(r.check, inTable: true)) | \(MarkdownEscaper.cell(r.region)) | \(r.outcome.label) | \(offending.isEmpty ? " " : offending) |"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func signoffs() -> String {
        var lines = ["## Sign-off", ""]
        if report.signoffs.isEmpty {
            lines.append("The template requires no sign-offs.")
            return lines.joined(separator: "\n") + "\n"
        }
        lines.append("| Scope | Role | Name | Date | State |")
        lines.append("|---|---|---|---|---|")
        for s in report.signoffs {
            let name = s.by.map { MarkdownEscaper.cell($0) } ?? "\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_"
            let date = s.at.map(RenderDate.day) ?? "\\_\\_\\_\\_\\_\\_\\_\\_"
            lines.append(
                "| \(MarkdownEscaper.code(s.scope, inTable: true)) \(Self.inlineTitle(s.scopeTitle)) | \(MarkdownEscaper.cell(s.role)) | \(name) | \(date) | \(Self.stateLabel(s.state)) |"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func credentials() -> String {
        guard report.template.verifies else { return "" }
        var lines = ["## How IAM users receive their credentials", "", HandoverContext.credentialsPreamble, ""]
        for step in report.credentialProcess { lines.append("- \(Self.inlineTitle(step))") }
        return lines.joined(separator: "\n") + "\n"
    }

    func openItems() -> String {
        var lines = ["## Open items", ""]
        let open = report.openItems
        if open.isEmpty {
            lines.append("None: every applicable item is done.")
        }
        for item in open {
            var line = "- **\(item.status.label)** \(MarkdownEscaper.code(item.id)) \(Self.title(item))"
            if let assignee = item.assignee {
                line +=
                    " (\(MarkdownEscaper.inline(assignee))" + (item.due.map { ", due \(RenderDate.day($0))" } ?? "")
                    + ")"
            } else if let due = item.due {
                line += " (due \(RenderDate.day(due)))"
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func footer() -> String {
        "\n---\n\nTemplate \(MarkdownEscaper.code(report.template.reference)), SHA-256 \(MarkdownEscaper.code(report.template.sha256)). Generated by sop on \(RenderDate.minute(context.date)).\n"
    }

    // MARK: Shared helpers

    /// An item title is template-authored inline Markdown; kept on one line.
    static func title(_ item: ReportItem) -> String { inlineTitle(item.title) }

    static func inlineTitle(_ markdown: String) -> String {
        UserText.line(markdown)
    }

    static func stateLabel(_ state: SignoffState) -> String {
        switch state {
        case .valid: return "Signed"
        case .stale: return "Stale: evidence changed since signing"
        case .missing: return "Missing"
        case .revoked: return "Revoked"
        }
    }

    /// Failures first, then errors, then passes; by check id and region within each.
    static func sortedResults(_ results: [VerificationResult]) -> [VerificationResult] {
        let rank: [CheckOutcome: Int] = [.fail: 0, .error: 1, .pass: 2, .notApplicable: 3]
        return results.sorted {
            (rank[$0.outcome] ?? 9, $0.check, $0.region) < (rank[$1.outcome] ?? 9, $1.check, $1.region)
        }
    }
}
