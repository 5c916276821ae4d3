import Foundation
import SOPCore

/// Small HTML building blocks shared by the packet and the site.
///
/// Each takes values and returns markup with every piece of text escaped; template
/// Markdown goes through ``SafeMarkdown``. Nothing here concatenates unescaped input.
enum HTMLParts {
    static func page(title: String, css: CSSLink, nav: String = "", body: String) -> String {
        let style: String
        switch css {
        case .inline(let text): style = "<style>\n\(text)</style>"
        case .link(let href): style = "<link rel=\"stylesheet\" href=\"\(HTMLEscaper.escape(href))\">"
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="sop">
            <title>\(HTMLEscaper.text(title))</title>
            \(style)
            </head>
            <body>
            \(nav)<main>
            \(body)</main>
            </body>
            </html>

            """
    }

    enum CSSLink {
        case inline(String)
        case link(String)
    }

    static func statusBadge(_ status: ItemStatus) -> String {
        "<span class=\"badge \(status.key)\">\(status.label)</span>"
    }

    static func outcomeBadge(_ outcome: CheckOutcome) -> String {
        "<span class=\"badge \(outcome.rawValue)\">\(outcome.label)</span>"
    }

    static func signoffBadge(_ state: SignoffState) -> String {
        let label: String
        switch state {
        case .valid: label = "Signed"
        case .stale: label = "Stale"
        case .missing: label = "Missing"
        case .revoked: label = "Revoked"
        }
        return "<span class=\"badge \(state.rawValue)\">\(label)</span>"
    }

    static func progressBar(_ p: Progress) -> String {
        "<span class=\"bar\" role=\"img\" aria-label=\"\(p.percent) percent done\"><span style=\"width: \(p.percent)%\"></span></span> \(p.percent) %"
    }

    /// Template-authored inline Markdown (titles) as HTML, through cmark's safe mode.
    /// A template-authored title as inline HTML. Memoized: the same 80-odd titles recur on
    /// every customer's page, and a cmark round trip each was a tenth of a site build.
    static func title(_ markdown: String) -> String {
        titles.value(for: markdown) { SafeMarkdown.inlineHTML(UserText.line($0)) }
    }

    private static let titles = MemoCache(capacity: 4096)

    static func evidence(_ e: EvidenceRef, path: String?) -> String {
        var what: String
        switch e.kind {
        case .file:
            let name = HTMLEscaper.text(e.fileName ?? "file")
            if let path {
                what = "file <a href=\"\(HTMLEscaper.escape(path))\">\(name)</a>"
            } else {
                what = "file \(name)"
            }
        case .link: what = "link " + HTMLEscaper.link(e.text ?? "", url: e.text ?? "")
        case .note: what = "note “\(HTMLEscaper.text(e.text ?? ""))”"
        case .check: what = "check \(HTMLEscaper.text(e.text ?? ""))"
        }
        let internalMark = e.isInternal ? " <span class=\"badge na\">internal</span>" : ""
        return
            "\(what)\(internalMark) <span class=\"muted\">· <code>\(HTMLEscaper.escape(e.shortHash))</code> · \(RenderDate.day(e.addedAt)) · \(HTMLEscaper.text(e.by))</span>"
    }

    static func itemTable(_ items: [ReportItem], evidencePaths: [String: String], showInternal: Bool) -> String {
        guard !items.isEmpty else { return "" }
        var rows = [
            "<table class=\"items\">", "<thead><tr><th>Status</th><th>Item</th><th>Evidence</th></tr></thead>",
            "<tbody>",
        ]
        for item in items {
            var details: [String] = []
            if let reason = item.reason, !UserText.line(reason).isEmpty {
                details.append("<div class=\"muted\">Reason: \(HTMLEscaper.text(reason))</div>")
            }
            if item.forced { details.append("<div class=\"muted\">Completed with override</div>") }
            if item.needsRenewal {
                details.append("<div><span class=\"badge stale\">Needs renewal</span> evidence past its validity</div>")
            }
            if let assignee = item.assignee {
                details.append(
                    "<div class=\"muted\">Assigned to \(HTMLEscaper.text(assignee))\(item.due.map { ", due \(RenderDate.day($0))" } ?? "")</div>"
                )
            } else if let due = item.due {
                details.append("<div class=\"muted\">Due \(RenderDate.day(due))</div>")
            }
            if showInternal, let note = item.internalNote, !UserText.line(note).isEmpty {
                details.append("<div class=\"muted\">Internal note: \(HTMLEscaper.text(note))</div>")
            }
            let evidence =
                item.evidence.isEmpty
                ? "<span class=\"muted\">none</span>"
                : "<ul class=\"evidence\">"
                    + item.evidence.map { "<li>\(Self.evidence($0, path: evidencePaths[$0.id]))</li>" }.joined()
                    + "</ul>"
            rows.append(
                "<tr><td>\(statusBadge(item.status))</td><td><code>\(HTMLEscaper.escape(item.id))</code> \(title(item.title))\(details.joined())</td><td>\(evidence)</td></tr>"
            )
        }
        rows.append("</tbody>")
        rows.append("</table>")
        return rows.joined(separator: "\n") + "\n"
    }

    static func verificationTable(_ results: [VerificationResult]) -> String {
        var rows = [
            "<table class=\"verification\">",
            "<thead><tr><th>Check</th><th>Region</th><th>Outcome</th><th>Offending resources</th></tr></thead>",
            "<tbody>",
        ]
        for r in HandoverMarkdown.sortedResults(results) {
            let offending =
                r.offending.isEmpty
                ? (r.message.map(HTMLEscaper.text) ?? "")
                : r.offending.map { "<code>\(HTMLEscaper.text($0))</code>" }.joined(separator: "<br>")
            let title = r.title.map { "<div class=\"muted\">\(HTMLEscaper.text($0))</div>" } ?? ""
            rows.append(
                "<tr><td><code>\(HTMLEscaper.text(r.check))</code>\(title)</td><td>\(HTMLEscaper.text(r.region))</td><td>\(outcomeBadge(r.outcome))</td><td>\(offending)</td></tr>"
            )
        }
        rows.append("</tbody>")
        rows.append("</table>")
        return rows.joined(separator: "\n") + "\n"
    }

    static func signoffTable(_ signoffs: [SignoffEntry]) -> String {
        var rows = [
            "<table class=\"signoffs\">",
            "<thead><tr><th>Scope</th><th>Role</th><th>Name</th><th>Date</th><th>State</th></tr></thead>", "<tbody>",
        ]
        for s in signoffs {
            let name = s.by.map(HTMLEscaper.text) ?? "<span class=\"signature\">&nbsp;</span>"
            let date = s.at.map(RenderDate.day) ?? "<span class=\"signature\">&nbsp;</span>"
            rows.append(
                "<tr><td><code>\(HTMLEscaper.text(s.scope))</code> \(title(s.scopeTitle))</td><td>\(HTMLEscaper.text(s.role))</td><td>\(name)</td><td>\(date)</td><td>\(signoffBadge(s.state))</td></tr>"
            )
        }
        rows.append("</tbody>")
        rows.append("</table>")
        return rows.joined(separator: "\n") + "\n"
    }
}
