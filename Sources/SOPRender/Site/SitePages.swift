import Foundation
import SOPCore

/// What the site is built from.
public struct SiteInput: Sendable {
    /// Dashboard rows, in the order they should appear (most urgent first).
    public var portfolio: [PortfolioRowView]
    /// Reports already in memory (internal audience: everything is shown).
    public var reports: [CustomerReportView]
    /// Reads a batch of customers' reports (in the order asked) when their pages are written,
    /// for portfolio customers without one in `reports`. The CLI passes the tracker here, so a
    /// site of thousands of customers holds only the batches being rendered (one per core),
    /// never all of them, and reads each batch in a few statements.
    public var loadReports: (@Sendable (_ slugs: [String]) throws -> [CustomerReportView])?
    /// Every template version to render as an SOP page.
    public var templates: [Template]
    /// Recent events across all customers, newest first.
    public var activity: [ActivityEntry]
    public var now: Date

    public init(
        portfolio: [PortfolioRowView], reports: [CustomerReportView] = [], templates: [Template],
        activity: [ActivityEntry], now: Date,
        loadReports: (@Sendable (_ slugs: [String]) throws -> [CustomerReportView])? = nil
    ) {
        self.portfolio = portfolio
        self.reports = reports
        self.loadReports = loadReports
        self.templates = templates
        self.activity = activity
        self.now = now
    }
}

extension SiteInput {
    /// Every customer that gets a page, sorted: those with a report, plus the whole
    /// portfolio when reports can be loaded on demand.
    var customerSlugs: [String] {
        Set((loadReports == nil ? [] : portfolio.map(\.slug)) + reports.map(\.customer.slug)).sorted()
    }
}

/// Where each page lives, relative to the site root; every link is built from here, so
/// links are relative and work from `file://`.
struct SiteLayout: Sendable {
    var customerFiles: [String: String] = [:]
    var templateFiles: [String: String] = [:]
    /// One link per template id the customers are on (every id when none is), to its
    /// newest version, labelled "SOP" when that is one id, else by id: a site of offboardings
    /// never points at the AWS SOP because the library also holds it.
    var sopLinks: [(label: String, file: String)] = []
    /// The template versions (`id@version`) of the library that have no automated checks.
    var uncheckedTemplates: Set<String> = []

    init(input: SiteInput) {
        var taken: Set<String> = ["index", "activity"]
        let slugs = Set(input.portfolio.map(\.slug) + input.reports.map(\.customer.slug)).sorted()
        for slug in slugs {
            let name = FileNames.unique(FileNames.sanitize(slug, fallback: "customer"), taken: taken)
            taken.insert(name.lowercased())
            customerFiles[slug] = "customers/\(name).html"
        }
        var templateNames: Set<String> = []
        for template in input.templates {
            let name = FileNames.unique(FileNames.sanitize("\(template.id)-\(template.version)"), taken: templateNames)
            templateNames.insert(name.lowercased())
            templateFiles[template.reference] = "templates/\(name).html"
        }
        uncheckedTemplates = Set(input.templates.filter { !$0.hasChecks }.map(\.reference))
        // Ids of the library that customers are on; when none is (no customers yet), every id.
        let used = Set(input.portfolio.map { String($0.template.prefix { $0 != "@" }) })
        let inUse = used.intersection(input.templates.map(\.id))
        var newest: [String: Template] = [:]
        for template in input.templates where inUse.isEmpty || inUse.contains(template.id) {
            guard newest[template.id].map({ $0.version < template.version }) ?? true else { continue }
            newest[template.id] = template
        }
        let ids = newest.keys.sorted()
        sopLinks = ids.map { id in
            (ids.count == 1 ? "SOP" : id, newest[id].flatMap { templateFiles[$0.reference] } ?? "index.html")
        }
    }

    /// `prefix` is `""` for pages at the root and `"../"` for pages one folder down.
    func customerLink(_ slug: String, prefix: String) -> String? { customerFiles[slug].map { prefix + $0 } }
    func templateLink(_ reference: String, prefix: String) -> String? { templateFiles[reference].map { prefix + $0 } }
}

/// The HTML of each site page. Pure functions of the input: same input, same bytes.
struct SitePages: Sendable {
    var input: SiteInput
    var layout: SiteLayout

    func nav(prefix: String) -> String {
        "<nav class=\"top\"><a href=\"\(prefix)index.html\">Portfolio</a><a href=\"\(prefix)activity.html\">Activity</a>"
            + sopLinks(prefix: prefix) + "</nav>\n"
    }

    /// The SOP links of the navigation bar (see ``SiteLayout/sopLinks``).
    func sopLinks(prefix: String) -> String {
        layout.sopLinks.map { "<a href=\"\(prefix)\(HTMLEscaper.escape($0.file))\">\(HTMLEscaper.text($0.label))</a>" }
            .joined()
    }

    func footer() -> String {
        "<footer>Generated by sop on \(RenderDate.minute(input.now)).</footer>\n"
    }

    func page(title: String, prefix: String, body: String) -> String {
        HTMLParts.page(
            title: title, css: .link(prefix + SiteTheme.path), nav: nav(prefix: prefix), body: body + footer())
    }

    // MARK: Index: the portfolio dashboard

    func index() -> String {
        // The failing-checks column only where some customer's template has checks.
        let checks =
            !input.portfolio.allSatisfy { layout.uncheckedTemplates.contains($0.template) } || input.portfolio.isEmpty
        var body = "<h1>Portfolio</h1>\n"
        body +=
            "<p class=\"muted\">\(input.portfolio.count) customer\(input.portfolio.count == 1 ? "" : "s"), most urgent first.</p>\n"
        body +=
            "<table class=\"portfolio\">\n<thead><tr><th>Customer</th><th>Template</th><th>Progress</th><th>Done</th><th>Blocked</th><th>Overdue</th>\(checks ? "<th>Failing checks</th>" : "")<th>Last activity</th></tr></thead>\n<tbody>\n"
        for row in input.portfolio {
            let name = HTMLEscaper.text(row.name)
            let customer =
                layout.customerLink(row.slug, prefix: "").map { "<a href=\"\(HTMLEscaper.escape($0))\">\(name)</a>" }
                ?? name
            let template =
                layout.templateLink(row.template, prefix: "").map {
                    "<a href=\"\(HTMLEscaper.escape($0))\"><code>\(HTMLEscaper.text(row.template))</code></a>"
                }
                ?? "<code>\(HTMLEscaper.text(row.template))</code>"
            body +=
                "<tr><td>\(customer)<div class=\"muted\"><code>\(HTMLEscaper.text(row.slug))</code></div></td><td>\(template)</td><td>\(HTMLParts.progressBar(row.progress))</td><td>\(row.progress.done) / \(row.progress.total)</td><td>\(count(row.progress.blocked, "blocked"))</td><td>\(count(row.overdue, "overdue"))</td>\(checks ? "<td>\(count(row.failing, "fail"))</td>" : "")<td>\(row.lastActivity.map(RenderDate.minute) ?? "")</td></tr>\n"
        }
        body += "</tbody>\n</table>\n"
        return page(title: "Portfolio", prefix: "", body: body)
    }

    private func count(_ n: Int, _ badge: String) -> String {
        n == 0 ? "<span class=\"muted\">0</span>" : "<span class=\"badge \(badge)\">\(n)</span>"
    }

    // MARK: One page per customer

    func customer(_ report: CustomerReportView) -> String {
        let prefix = "../"
        let c = report.customer
        let p = report.progress
        var body = "<h1>\(HTMLEscaper.text(c.name))</h1>\n"
        let template =
            layout.templateLink(report.template.reference, prefix: prefix)
            .map {
                "<a href=\"\(HTMLEscaper.escape($0))\"><code>\(HTMLEscaper.text(report.template.reference))</code></a>"
            }
            ?? "<code>\(HTMLEscaper.text(report.template.reference))</code>"
        var facts: [(String, String)] = [("Slug", "<code>\(HTMLEscaper.text(c.slug))</code>"), ("Template", template)]
        if let account = c.accountID { facts.append(("AWS account", HTMLEscaper.text(account))) }
        if let owner = c.owner { facts.append(("Owner", HTMLEscaper.text(owner))) }
        if let due = c.due { facts.append(("Due", RenderDate.day(due))) }
        if !c.compliance.isEmpty {
            facts.append(("Compliance", HTMLEscaper.text(c.compliance.joined(separator: ", "))))
        }
        if !c.regions.isEmpty { facts.append(("Regions", HTMLEscaper.text(c.regions.joined(separator: ", ")))) }
        body +=
            "<table class=\"facts\">\n"
            + facts.map { "<tr><th>\($0.0)</th><td>\($0.1)</td></tr>" }.joined(separator: "\n") + "\n</table>\n"
        let overdue = report.items.filter { $0.isOverdue(at: input.now) }.count
        let failing = report.verification.filter { $0.outcome == .fail }.count
        body += """
            <p>\(HTMLParts.progressBar(p))</p>
            <div class="stats">
            <div><strong>\(p.done) / \(p.total)</strong>items done</div>
            <div><strong>\(p.blocked)</strong>blocked</div>
            <div><strong>\(overdue)</strong>overdue</div>
            \(report.template.verifies ? "<div><strong>\(failing)</strong>failing checks</div>\n" : "")<div><strong>\(p.notApplicable)</strong>not applicable</div>
            </div>

            """
        body += "<h2>Checklist</h2>\n"
        for section in report.sections {
            let tag = "h\(min(max(section.level + 1, 3), 4))"
            body += "<\(tag)>\(HTMLEscaper.text(section.number)). \(HTMLParts.title(section.title))</\(tag)>\n"
            body += HTMLParts.itemTable(section.items, evidencePaths: [:], showInternal: true)
        }
        if report.template.verifies { body += verification(report) }
        if !report.regressions.isEmpty { body += regressions(report) }
        if !report.waivers.isEmpty { body += waivers(report.waivers) }
        body += "<h2>Sign-offs</h2>\n"
        body +=
            report.signoffs.isEmpty
            ? "<p>The template requires no sign-offs.</p>\n" : HTMLParts.signoffTable(report.signoffs)
        if !report.activity.isEmpty {
            body += "<h2>Recent activity</h2>\n" + activityTable(report.activity, showCustomer: false, prefix: prefix)
        }
        return page(title: UserText.line(c.name), prefix: prefix, body: body)
    }

    /// The latest run's regressions against the accepted one.
    func regressions(_ report: CustomerReportView) -> String {
        var body =
            "<h2>Regressions against the accepted run \(HTMLEscaper.escape(report.baselineRun ?? ""))</h2>\n"
            + "<table>\n<thead><tr><th>Check</th><th>Change</th><th>What changed</th></tr></thead>\n<tbody>\n"
        for regression in report.regressions {
            body +=
                "<tr><td><code>\(HTMLEscaper.escape(regression.key))</code></td>"
                + "<td><span class=\"badge failed\">\(HTMLEscaper.escape(regression.change))</span></td>"
                + "<td>\(regression.details.map(HTMLEscaper.text).joined(separator: "<br>"))</td></tr>\n"
        }
        return body + "</tbody>\n</table>\n"
    }

    /// Every waiver with its state: who asked, who decided, until when.
    func waivers(_ waivers: [WaiverView]) -> String {
        var body =
            "<h2>Waivers</h2>\n<table>\n<thead><tr><th>Waiver</th><th>Covers</th><th>State</th><th>Until</th>"
            + "<th>Decision</th><th>Reason</th></tr></thead>\n<tbody>\n"
        for waiver in waivers {
            let resources =
                waiver.resources.isEmpty
                ? "" : " <span class=\"muted\">(\(HTMLEscaper.text(waiver.resources.joined(separator: ", "))))</span>"
            body +=
                "<tr><td><code>\(HTMLEscaper.escape(waiver.id))</code></td>"
                + "<td><code>\(HTMLEscaper.escape(waiver.scope))</code>\(resources)</td>"
                + "<td>\(HTMLEscaper.escape(waiver.state))</td><td>\(HTMLEscaper.escape(waiver.expires))</td>"
                + "<td>\(HTMLEscaper.text(waiver.decision))</td><td>\(HTMLEscaper.text(waiver.reason))</td></tr>\n"
        }
        return body + "</tbody>\n</table>\n"
    }

    /// The latest results and the run history, for a template with checks.
    func verification(_ report: CustomerReportView) -> String {
        var body = "<h2>Verification</h2>\n"
        if let latest = report.verification.map(\.at).max() {
            body += "<p class=\"muted\">Latest results, as of \(RenderDate.minute(latest)).</p>\n"
            body += HTMLParts.verificationTable(report.verification)
        } else {
            body += "<p>Not verified yet.</p>\n"
        }
        if !report.verificationHistory.isEmpty {
            body +=
                "<h3>History</h3>\n<table>\n<thead><tr><th>Run</th><th>By</th><th>Passed</th><th>Failed</th><th>Not verified</th></tr></thead>\n<tbody>\n"
            for run in report.verificationHistory {
                body +=
                    "<tr><td>\(RenderDate.minute(run.at))</td><td>\(run.by.map(HTMLEscaper.text) ?? "")</td><td>\(run.passed)</td><td>\(run.failed)</td><td>\(run.errors)</td></tr>\n"
            }
            body += "</tbody>\n</table>\n"
        }
        return body
    }

    // MARK: One page per template version

    func template(_ template: Template) -> String {
        let prefix = "../"
        var body =
            "<p class=\"muted\">Template <code>\(HTMLEscaper.text(template.reference))</code> · SHA-256 <code>\(HTMLEscaper.text(template.sha256))</code></p>\n"
        if let notes = template.releaseNotes, !notes.isEmpty {
            body += "<details><summary>Release notes</summary>\n\(SafeMarkdown.html(notes))</details>\n"
        }
        if !template.parameters.isEmpty {
            body +=
                "<details><summary>Parameters</summary>\n<table>\n<thead><tr><th>Name</th><th>Default</th><th>Description</th></tr></thead>\n<tbody>\n"
            for parameter in template.parameters {
                body +=
                    "<tr><td><code>\(HTMLEscaper.text(parameter.name))</code></td><td>\(HTMLEscaper.text(parameter.defaultValue.description))</td><td>\(parameter.description.map(HTMLParts.title) ?? "")</td></tr>\n"
            }
            body += "</tbody>\n</table>\n</details>\n"
        }
        body +=
            "<div class=\"sop-body\">\n\(SafeMarkdown.html(ParameterText.fill(TemplatePageMarkdown.prepare(template.body), template.parameterValues())))</div>\n"
        return page(title: "\(template.title) \(template.version)", prefix: prefix, body: body)
    }

    // MARK: Activity

    func activity() -> String {
        var body = "<h1>Activity</h1>\n"
        body +=
            input.activity.isEmpty
            ? "<p>No activity yet.</p>\n" : activityTable(input.activity, showCustomer: true, prefix: "")
        return page(title: "Activity", prefix: "", body: body)
    }

    func activityTable(_ entries: [ActivityEntry], showCustomer: Bool, prefix: String) -> String {
        var html =
            "<table class=\"activity\">\n<thead><tr><th>When</th>" + (showCustomer ? "<th>Customer</th>" : "")
            + "<th>Who</th><th>What</th><th>Target</th></tr></thead>\n<tbody>\n"
        for e in entries {
            var customer = ""
            if showCustomer {
                let name = HTMLEscaper.text(e.customer)
                customer =
                    "<td>"
                    + (layout.customerLink(e.customer, prefix: prefix).map {
                        "<a href=\"\(HTMLEscaper.escape($0))\">\(name)</a>"
                    } ?? name) + "</td>"
            }
            html +=
                "<tr><td>\(RenderDate.minute(e.at))</td>\(customer)<td>\(HTMLEscaper.text(e.actor))</td><td><code>\(HTMLEscaper.text(e.action))</code></td><td>\(HTMLEscaper.text(e.detail))</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }
}
