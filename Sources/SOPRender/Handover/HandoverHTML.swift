import Foundation

/// Renders `handover.html`: one self-contained file (inline CSS, no scripts, no external
/// resources except the exported evidence files it links) that prints as a clean PDF with
/// one page per part.
public struct HandoverHTML {
    public var context: HandoverContext

    public init(context: HandoverContext) { self.context = context }

    var report: CustomerReportView { context.report }

    public func render() -> String {
        let parts =
            [cover(), summary()] + sections() + [verification(), signoffs(), credentials(), openItems(), footer()]
        return HTMLParts.page(
            title: "Handover: \(UserText.line(report.customer.name))",
            css: .inline(SiteTheme.css), body: parts.joined())
    }

    func cover() -> String {
        let c = report.customer
        let account: [(String, String)] =
            report.template.verifies ? [("AWS account", HTMLEscaper.text(c.accountID ?? "not recorded"))] : []
        let rows: [(String, String)] =
            [("Customer", HTMLEscaper.text(c.name))] + account + [
                ("Template", "<code>\(HTMLEscaper.text(report.template.reference))</code>"),
                ("Date", RenderDate.day(context.date)),
                ("Prepared by", HTMLEscaper.text(context.preparedBy)),
                ("Audience", context.audience == .customer ? "Customer" : "Internal"),
            ]
        let dl = rows.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined(separator: "\n")
        return """
            <section class="page cover">
            <div class="kicker">\(HTMLEscaper.text(report.template.handoverTitle))</div>
            <h1>\(HTMLEscaper.text(c.name))</h1>
            <dl>
            \(dl)
            </dl>
            </section>

            """
    }

    func summary() -> String {
        let p = report.progress
        let failing = report.verification.filter { $0.outcome == .fail }.count
        var html = """
            <section class="page">
            <h2>Executive summary</h2>
            <p>\(HTMLParts.progressBar(p))</p>
            <div class="stats">
            <div><strong>\(p.done) / \(p.total)</strong>items done</div>
            <div><strong>\(report.openItems.count)</strong>open items</div>
            <div><strong>\(p.blocked)</strong>blocked</div>
            <div><strong>\(p.notApplicable)</strong>not applicable</div>
            \(report.template.verifies ? "<div><strong>\(failing)</strong>failing checks</div>\n" : "")</div>
            <h3>Exceptions</h3>

            """
        let exceptions = report.exceptions
        let waivers = report.waiversInForce
        if exceptions.isEmpty && waivers.isEmpty {
            html += "<p>None.</p>\n"
        } else {
            html += "<table>\n<thead><tr><th>Item</th><th>Exception</th><th>Reason</th></tr></thead>\n<tbody>\n"
            for item in exceptions {
                let kind =
                    item.status == .notApplicable
                    ? HTMLParts.statusBadge(.notApplicable) : "<span class=\"badge stale\">Override</span>"
                let reason = item.reason.map(HTMLEscaper.text) ?? "<span class=\"muted\">no reason recorded</span>"
                html +=
                    "<tr><td><code>\(HTMLEscaper.escape(item.id))</code> \(HTMLParts.title(item.title))</td><td>\(kind)</td><td>\(reason)</td></tr>\n"
            }
            for waiver in waivers {
                html +=
                    "<tr><td><code>\(HTMLEscaper.escape(waiver.scope))</code></td>"
                    + "<td><span class=\"badge stale\">Waived until \(HTMLEscaper.escape(waiver.expires))</span></td>"
                    + "<td>\(HTMLEscaper.text(waiver.reason)) <span class=\"muted\">(\(HTMLEscaper.escape(waiver.id)), "
                    + "\(HTMLEscaper.text(waiver.decision)))</span></td></tr>\n"
            }
            html += "</tbody>\n</table>\n"
        }
        return html + "</section>\n"
    }

    /// One printed page per top-level section, its subsections inside.
    func sections() -> [String] {
        var pages: [String] = []
        var current = ""
        for section in report.sections {
            if section.level <= 2 {
                if !current.isEmpty { pages.append(current + "</section>\n") }
                current = "<section class=\"page\">\n"
            } else if current.isEmpty {
                current = "<section class=\"page\">\n"
            }
            let tag = "h\(min(max(section.level, 2), 4))"
            current += "<\(tag)>\(HTMLEscaper.text(section.number)). \(HTMLParts.title(section.title))</\(tag)>\n"
            current += HTMLParts.itemTable(
                section.items, evidencePaths: context.evidencePaths,
                showInternal: context.audience == .internal)
        }
        if !current.isEmpty { pages.append(current + "</section>\n") }
        return pages
    }

    func verification() -> String {
        guard report.template.verifies else { return "" }
        var html = "<section class=\"page\">\n<h2>Verification results</h2>\n"
        if let latest = report.verification.map(\.at).max() {
            html += "<p class=\"muted\">Latest run: \(RenderDate.minute(latest))</p>\n"
            html += HTMLParts.verificationTable(report.verification)
        } else {
            html += "<p>The account has not been verified yet.</p>\n"
        }
        return html + "</section>\n"
    }

    func signoffs() -> String {
        var html = "<section class=\"page\">\n<h2>Sign-off</h2>\n"
        if report.signoffs.isEmpty {
            html += "<p>The template requires no sign-offs.</p>\n"
        } else {
            html +=
                "<p class=\"muted\">A stale sign-off approved evidence that has changed since; it must be given again.</p>\n"
            html += HTMLParts.signoffTable(report.signoffs)
        }
        return html + "</section>\n"
    }

    func credentials() -> String {
        guard report.template.verifies else { return "" }
        var html = "<section class=\"page\">\n<h2>How IAM users receive their credentials</h2>\n"
        html += "<p>\(HTMLEscaper.escape(HandoverContext.credentialsPreamble))</p>\n"
        if !report.credentialProcess.isEmpty {
            html += "<ul>\n" + report.credentialProcess.map { "<li>\(HTMLParts.title($0))</li>\n" }.joined() + "</ul>\n"
        }
        return html + "</section>\n"
    }

    func openItems() -> String {
        var html = "<section class=\"page\">\n<h2>Open items</h2>\n"
        let open = report.openItems
        if open.isEmpty {
            html += "<p>None: every applicable item is done.</p>\n"
        } else {
            html +=
                "<table>\n<thead><tr><th>Status</th><th>Item</th><th>Assigned</th><th>Due</th></tr></thead>\n<tbody>\n"
            for item in open {
                html +=
                    "<tr><td>\(HTMLParts.statusBadge(item.status))</td><td><code>\(HTMLEscaper.escape(item.id))</code> \(HTMLParts.title(item.title))</td><td>\(item.assignee.map(HTMLEscaper.text) ?? "")</td><td>\(item.due.map(RenderDate.day) ?? "")</td></tr>\n"
            }
            html += "</tbody>\n</table>\n"
        }
        return html + "</section>\n"
    }

    func footer() -> String {
        "<footer>Template <code>\(HTMLEscaper.text(report.template.reference))</code>, SHA-256 <code>\(HTMLEscaper.text(report.template.sha256))</code>. Generated by sop on \(RenderDate.minute(context.date)).</footer>\n"
    }
}
