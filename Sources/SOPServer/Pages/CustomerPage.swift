import Foundation
import SOPCore
import SOPRender

/// One customer: checklist by section with status, evidence and sign-offs (stale marked),
/// verification history with its chart, and (for the team) the audit log and the actions.
///
/// The same page serves the customer portal: given the customer-audience view (no internal
/// evidence, notes or log), with only the stakeholder's own uploads and sign-offs offered.
struct CustomerPage {
    enum Mode {
        /// A team member; `canAct` false for a viewer; `roles` the roles they sign as.
        case team(canAct: Bool, roles: [String])
        /// The customer's stakeholder in `role`.
        case portal(role: String)
    }

    var report: CustomerReportView
    var mode: Mode
    var now: Date

    var isPortal: Bool { if case .portal = mode { true } else { false } }

    /// Where this page's links and forms go.
    var base: String { isPortal ? "/portal" : "/customers/" + FormFields.percentEncode(report.customer.slug) }

    func html() -> String {
        let h = Layout.h
        let c = report.customer
        let progress = report.progress
        var out = """
            <h1>\(h(c.name))</h1>
            <p class="muted">\(h(c.slug)) · \(h(report.template.reference))\
            \(c.owner.map { " · owner " + h($0) } ?? "")\(c.due.map { " · due " + Layout.day($0) } ?? "")\
            \(c.accountID.map { " · account " + h($0) } ?? "")</p>
            <div class="stats"><div><strong>\(progress.percent)%</strong>\(progress.done) of \(progress.total) done</div>\
            <div><strong>\(progress.blocked)</strong>blocked</div><div><strong>\(progress.failed)</strong>failed</div>\
            <div><strong>\(report.signoffs.filter { $0.state == .stale }.count)</strong>stale sign-offs</div></div>
            <p><a href="\(base)/packet.zip\(isPortal ? "" : "?audience=customer")">Download the handover packet</a>\
            \(isPortal ? "" : " · <a href=\"\(base)/packet.zip?audience=internal\">internal packet</a>")</p>

            """
        out += actions()
        out += "<h2>Checklist</h2>\n"
        for section in report.sections {
            out +=
                "<h3 id=\"s\(h(section.number))\">\(h(section.number)). \(SafeMarkdown.inlineHTML(section.title))</h3>\n"
            guard !section.items.isEmpty else { continue }
            out +=
                "<table class=\"items\"><thead><tr><th>Item</th><th>Status</th><th>Assigned</th><th>Evidence</th></tr></thead><tbody>\n"
            for item in section.items { out += row(item) }
            out += "</tbody></table>\n"
        }
        out += signoffs()
        out += regressions()
        out += waivers()
        out += "<h2>Verification history</h2>\n" + RunChart.svg(report.verificationHistory)
        if !report.verificationHistory.isEmpty {
            out +=
                "<table class=\"runs\"><thead><tr><th>Run</th><th>By</th><th>Passed</th><th>Failed</th><th>Errors</th></tr></thead><tbody>"
            for run in report.verificationHistory.sorted(by: { $0.at > $1.at }) {
                out +=
                    "<tr><td>\(Layout.time(run.at))</td><td>\(h(run.by ?? ""))</td><td>\(run.passed)</td><td>\(run.failed)</td><td>\(run.errors)</td></tr>"
            }
            out += "</tbody></table>\n"
        }
        if !isPortal {
            out += "<h2>Audit log</h2>\n" + ActivityPage.table(report.activity.reversed(), showCustomer: false)
        }
        return out
    }

    func row(_ item: ReportItem) -> String {
        let h = Layout.h
        var status = Layout.badge(item.status.rawValue)
        if item.forced { status += " <span class=\"badge stale\">forced</span>" }
        if item.isOverdue(at: now) { status += " <span class=\"badge overdue\">overdue</span>" }
        if item.needsRenewal { status += " <span class=\"badge stale\">needs renewal</span>" }
        if let reason = item.reason { status += "<br><span class=\"muted\">\(h(reason))</span>" }
        var assigned = h(item.assignee ?? "")
        if let due = item.due { assigned += "<br><span class=\"muted\">due \(Layout.day(due))</span>" }
        if let owner = item.ownerRole { assigned += "<br><span class=\"muted\">owner: \(h(owner))</span>" }
        var evidence = "<ul class=\"evidence\">"
        for ref in item.evidence { evidence += "<li>" + self.evidence(ref) + "</li>" }
        evidence += "</ul>"
        if let note = item.internalNote, !isPortal {
            evidence += "<p class=\"muted\">internal: \(Layout.block(note))</p>"
        }
        return """
            <tr id="i-\(h(item.id))" data-item="\(h(item.id))"><td><code>\(h(item.id))</code><br>\(SafeMarkdown.inlineHTML(item.title))</td>\
            <td>\(status)</td><td>\(assigned)</td><td>\(evidence)</td></tr>

            """
    }

    func evidence(_ ref: EvidenceRef) -> String {
        let h = Layout.h
        let tag = "<code>\(h(ref.id))</code> "
        let by =
            " <span class=\"muted\">\(h(ref.by)), \(Layout.day(ref.addedAt))\(ref.isInternal ? ", internal" : "")</span>"
        switch ref.kind {
        case .file:
            let name = ref.fileName ?? ref.id
            return tag + "<a href=\"\(base)/evidence/\(h(ref.id))\" download>\(h(name))</a> "
                + "<span class=\"muted\">sha256 \(h(ref.shortHash))</span>" + by
        case .link:
            return tag + HTMLEscaper.link(ref.text ?? "", url: ref.text ?? "") + by
        case .note:
            return tag + Layout.block(ref.text ?? "") + by
        case .check:
            return tag + h(ref.text ?? "check result") + by
        }
    }

    /// The latest run's regressions against the accepted run.
    func regressions() -> String {
        guard !report.regressions.isEmpty else { return "" }
        let h = Layout.h
        var out =
            "<h2>Regressions against the accepted run \(h(report.baselineRun ?? ""))</h2>\n"
            + "<table class=\"regressions\"><thead><tr><th>Check</th><th>Change</th><th>What changed</th></tr></thead><tbody>\n"
        for regression in report.regressions {
            out +=
                "<tr><td><code>\(h(regression.key))</code></td><td>\(h(regression.change))</td>"
                + "<td>\(regression.details.map(h).joined(separator: "<br>"))</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    /// Every waiver with its state (the portal shows them too: the customer lives with them).
    func waivers() -> String {
        guard !report.waivers.isEmpty else { return "" }
        let h = Layout.h
        var out =
            "<h2>Waivers</h2>\n<table class=\"waivers\"><thead><tr><th>Waiver</th><th>Covers</th><th>State</th>"
            + "<th>Until</th><th>Decision</th><th>Reason</th></tr></thead><tbody>\n"
        for waiver in report.waivers {
            out +=
                "<tr><td><code>\(h(waiver.id))</code></td><td><code>\(h(waiver.scope))</code></td>"
                + "<td>\(h(waiver.state))</td><td>\(h(waiver.expires))</td><td>\(h(waiver.decision))</td>"
                + "<td>\(h(waiver.reason))</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    func signoffs() -> String {
        let h = Layout.h
        guard !report.signoffs.isEmpty else { return "" }
        var out =
            "<h2>Sign-offs</h2>\n<table class=\"signoffs\"><thead><tr><th>For</th><th>Role</th><th>State</th><th>By</th><th>Note</th></tr></thead><tbody>\n"
        for entry in report.signoffs {
            out += """
                <tr data-target="\(h(entry.scope))" data-role="\(h(entry.role))"><td>\(h(entry.scope)) \(SafeMarkdown.inlineHTML(entry.scopeTitle))</td>\
                <td>\(h(entry.role))</td><td>\(Layout.badge(entry.state.rawValue))</td>\
                <td>\(h(entry.by ?? ""))\(entry.at.map { "<br><span class=\"muted\">\(Layout.time($0))</span>" } ?? "")</td>\
                <td>\(Layout.block(entry.note ?? ""))</td></tr>

                """
        }
        return out + "</tbody></table>\n"
    }

    // MARK: Actions

    func actions() -> String {
        switch mode {
        case .team(let canAct, let roles):
            guard canAct else {
                return "<p class=\"muted\">You can read this page; your account has no role that changes it.</p>"
            }
            return teamActions(roles: roles)
        case .portal(let role):
            return portalActions(role: role)
        }
    }

    var openItems: [(value: String, label: String)] {
        report.items.map { ($0.id, "\($0.id) · \(SafeMarkdown.plainText($0.title))") }
    }

    func teamActions(roles: [String]) -> String {
        let items = Layout.options(openItems)
        let states = Layout.options(ItemStatus.markable.map { ($0.rawValue, $0.rawValue) })
        let mine = report.signoffs.filter { entry in
            roles.contains { $0.caseInsensitiveCompare(entry.role) == .orderedSame }
        }
        let targets = Layout.options(uniqueTargets(mine))
        let roleOptions = Layout.options(Array(Set(mine.map(\.role))).sorted().map { ($0, $0) })
        var out = "<h2>Work on this customer</h2><div class=\"actions-grid\">\n"
        out += """
            <form class="action" method="post" action="\(base)/mark"><h3>Mark an item</h3>\(Layout.formToken)
            <label>Item<select name="item">\(items)</select></label>
            <label>State<select name="state">\(states)</select></label>
            <label>Reason<input type="text" name="reason" maxlength="2000"></label>
            <label class="check"><input type="checkbox" name="force" value="1">Force (with a reason)</label>
            <button>Mark</button></form>
            <form class="action" method="post" action="\(base)/assign"><h3>Assign an item</h3>\(Layout.formToken)
            <label>Item<select name="item">\(items)</select></label>
            <label>To<input type="text" name="to" maxlength="200" required></label>
            <label>Due<input type="date" name="due"></label>
            <button>Assign</button></form>
            <form class="action" method="post" action="\(base)/evidence" enctype="multipart/form-data"><h3>Add evidence</h3>\(Layout.formToken)
            <label>Item<select name="item">\(items)</select></label>
            <label>Note<textarea name="note" maxlength="20000"></textarea></label>
            <label>Link<input type="url" name="link" maxlength="2000"></label>
            <label>File<input type="file" name="file"></label>
            <label>Expires<input type="date" name="expires"></label>
            <label class="check"><input type="checkbox" name="internal" value="1">Internal (never shown to the customer)</label>
            <button>Add evidence</button></form>

            """
        if !mine.isEmpty {
            out += """
                <form class="action" method="post" action="\(base)/signoff"><h3>Sign off</h3>\(Layout.formToken)
                <label>For<select name="target">\(targets)</select></label>
                <label>Role<select name="role">\(roleOptions)</select></label>
                <label>Note<input type="text" name="note" maxlength="2000"></label>
                <button>Sign off</button></form>
                <form class="action" method="post" action="\(base)/revoke"><h3>Revoke a sign-off</h3>\(Layout.formToken)
                <label>For<select name="target">\(targets)</select></label>
                <label>Role<select name="role">\(roleOptions)</select></label>
                <label>Reason<input type="text" name="reason" maxlength="2000" required></label>
                <button>Revoke</button></form>

                """
        }
        return out + "</div>\n"
    }

    func uniqueTargets(_ entries: [SignoffEntry]) -> [(value: String, label: String)] {
        var seen = Set<String>()
        return entries.compactMap { entry in
            guard seen.insert(entry.scope).inserted else { return nil }
            return (entry.scope, "\(entry.scope) · \(SafeMarkdown.plainText(entry.scopeTitle))")
        }
    }

    func portalActions(role: String) -> String {
        let h = Layout.h
        let owned = report.items.filter { $0.ownerRole?.caseInsensitiveCompare(role) == .orderedSame }
        let mine = report.signoffs.filter { $0.role.caseInsensitiveCompare(role) == .orderedSame }
        var out = "<h2>Your part</h2><div class=\"actions-grid\">\n"
        if owned.isEmpty {
            out += "<p class=\"muted\">No items are owned by \(h(role)).</p>"
        } else {
            let items = Layout.options(owned.map { ($0.id, "\($0.id) · \(SafeMarkdown.plainText($0.title))") })
            out += """
                <form class="action" method="post" action="/portal/evidence" enctype="multipart/form-data"><h3>Hand over evidence</h3>\(Layout.formToken)
                <label>Item<select name="item">\(items)</select></label>
                <label>Note<textarea name="note" maxlength="20000"></textarea></label>
                <label>Link<input type="url" name="link" maxlength="2000"></label>
                <label>File<input type="file" name="file"></label>
                <button>Upload</button></form>

                """
        }
        for entry in mine {
            let target = h(entry.scope)
            out += """
                <form class="action" method="post" action="/portal/signoff" data-target="\(target)"><h3>Sign off \(target) \(SafeMarkdown.inlineHTML(entry.scopeTitle))</h3>\(Layout.formToken)
                <p>State: \(Layout.badge(entry.state.rawValue))</p>
                <input type="hidden" name="target" value="\(target)">
                <label>Note<input type="text" name="note" maxlength="2000"></label>
                <button name="decision" value="give">Sign off as \(h(role))</button></form>
                <form class="action" method="post" action="/portal/refuse" data-target="\(target)"><h3>Refuse \(target)</h3>\(Layout.formToken)
                <input type="hidden" name="target" value="\(target)">
                <label>Reason<input type="text" name="reason" maxlength="2000" required></label>
                <button>Refuse</button></form>

                """
        }
        return out + "</div>\n"
    }
}
