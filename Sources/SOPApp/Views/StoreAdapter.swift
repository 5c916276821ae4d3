import Foundation
import SOPCore
import SOPRender
import SOPStore

/// Reads the tracker into the renderers' view models.
///
/// The application layer's bridge between the two libraries: SOPRender renders plain views and
/// never sees the store, so it is golden-tested without a database. A stored value that does not
/// convert (an unknown evidence kind, an unparsable timestamp) is an error naming the row, never
/// a default.
public struct StoreAdapter: Sendable {
    public var store: Store
    /// Where parameter references in template text get their values and pages their words; nil
    /// leaves references as written and takes the words from the stored checklist.
    let pinned: PinnedTemplates?

    public init(store: Store) {
        self.store = store
        pinned = nil
    }

    /// An adapter that fills `${name}` in item and section text from the customer's parameters
    /// and the defaults of their pinned template in `library`.
    public init(store: Store, templates library: TemplateLibrary) {
        self.store = store
        pinned = PinnedTemplates(library: library)
    }

    /// One customer as the packet, the site and the publishers see it.
    public func report(slug: String, activityLimit: Int = 100) throws -> CustomerReportView {
        try view(of: try store.customerPage(slug: slug, activityLimit: activityLimit))
    }

    /// Several customers as the site sees them, read in one batch (a few statements in all).
    public func reports(slugs: [String], activityLimit: Int = 100) throws -> [CustomerReportView] {
        try store.customerPages(slugs: slugs, activityLimit: activityLimit).map(view(of:))
    }

    func view(of page: CustomerPage) throws -> CustomerReportView {
        var stored = page.report
        if let pinned { stored = stored.filled(pinned, escape: MarkdownEscaper.inline).aged(pinned) }
        var view = try Self.convert(stored, log: page.log, forced: page.forced)
        if let words = pinned?.header(for: stored.customer)?.subject {
            let readsRegions = stored.items.contains { item in
                item.when.flatMap { try? Condition.parse($0) }?.attributes.contains("regions") == true
            }
            let provider = words.provider(hasChecks: view.template.verifies, readsRegions: readsRegions)
            view.template.subject = words.subject(provider: provider)
            view.template.subjects = words.subjects(provider: provider)
        }
        view.baselineRun = stored.baselineRun
        if let accepted = stored.baselineRun,
            let baseline = stored.verificationHistory.first(where: { $0.id == accepted }),
            let latest = stored.verificationHistory.first, latest.id != accepted
        {
            let results = latest.run.results.map {
                VerifyReport.Result(record: $0, waivers: stored.waivers ?? [], today: stored.today)
            }
            view.regressions = RegressionGate(baseline: baseline, now: results).regressions.map {
                RegressionView(key: $0.key, change: "\($0.before ?? "none") → \($0.now ?? "none")", details: $0.details)
            }
        }
        return view
    }

    /// Every customer's portfolio row, in the store's urgency order.
    public func portfolio() throws -> [PortfolioRowView] {
        try store.portfolio().map { row in
            PortfolioRowView(
                slug: row.slug, name: row.name, template: "\(row.template.id)@\(row.template.version)",
                progress: SOPRender.Progress(total: row.total, done: row.done, blocked: row.blocked),
                overdue: row.overdue, failing: row.failing,
                lastActivity: try Self.instant(row.lastActivity, "customer \(row.slug) last activity"))
        }
    }

    /// The most recent events across all customers, newest first.
    public func activity(limit: Int = 200) throws -> [ActivityEntry] {
        try store.activity(limit: limit).map { try Self.activity($0) }
    }

    /// Evidence bytes of one customer straight from the tracker (which re-checks their hash too).
    public func evidenceFiles(slug: String) -> EvidenceFileSource { CustomerEvidenceFiles(store: store, slug: slug) }

    // MARK: Conversion

    /// `log` is the recent activity to show (oldest first); `forced` the items forced done.
    static func convert(_ stored: SOPStore.CustomerReport, log: [AuditEvent], forced: Set<String>) throws
        -> CustomerReportView
    {
        var itemsBySection: [String: [ReportItem]] = [:]
        for item in stored.items {
            itemsBySection[item.section, default: []].append(try reportItem(item, forced: forced.contains(item.id)))
        }
        let sections = stored.sections.map { s in
            ReportSection(number: s.number, title: s.title, level: s.level, items: itemsBySection[s.number] ?? [])
        }
        // Items whose section the store did not list still appear, after the listed ones.
        let listed = Set(stored.sections.map(\.number))
        let orphans = stored.items.filter { !listed.contains($0.section) }
        var allSections = sections
        if !orphans.isEmpty {
            allSections.append(
                ReportSection(
                    number: "—", title: "Other items", level: 2,
                    items: try orphans.map { try reportItem($0, forced: forced.contains($0.id)) }))
        }

        let titles = Dictionary(stored.items.map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
            .merging(stored.sections.map { ($0.number, $0.title) }, uniquingKeysWith: { a, _ in a })
        var signoffs: [SignoffEntry] = []
        for item in stored.items {
            for s in item.signoffs where s.state != .revoked || item.signoffs.filter({ $0.role == s.role }).count == 1 {
                signoffs.append(try signoff(s, title: titles[s.target] ?? ""))
            }
        }
        for s in stored.signoffs
        where s.state != .revoked || stored.signoffs.filter({ $0.role == s.role && $0.target == s.target }).count == 1 {
            signoffs.append(try signoff(s, title: titles[s.target] ?? ""))
        }

        let latest = try latestResults(stored.verificationHistory)
        let history = try stored.verificationHistory.map { run in
            VerificationRunView(
                at: try instant(run.recordedAt, "verification \(run.id)"), by: run.recordedBy,
                passed: run.passed, failed: run.failed, errors: run.errors)
        }
        let account = stored.verificationHistory.lazy.compactMap(\.run.account).first
        let c = stored.customer
        let customer = CustomerView(
            slug: c.slug, name: c.name, accountID: account, email: c.email, owner: c.owner,
            due: try c.due.map { try day($0, "customer \(c.slug) due date") },
            compliance: c.compliance, regions: c.regions)
        // Without the template file, the stored checklist says whether anything is verified.
        let verifies = stored.items.contains { !$0.checks.isEmpty }
        let credentialItems = stored.items.filter { $0.id.hasPrefix("handover.") && $0.id.contains("credential") }
        let credentialProcess = credentialItems.flatMap(\.steps)
        var view = CustomerReportView(
            customer: customer,
            template: TemplateInfo(
                id: stored.template.id, version: stored.template.version, sha256: stored.template.sha256,
                subject: verifies ? "AWS account" : nil, verifies: verifies),
            sections: allSections,
            verification: latest,
            verificationHistory: history,
            signoffs: signoffs,
            credentialProcess: credentialProcess,
            activity: try log.reversed().map { try activity($0) },
            auditHead: stored.auditHead.line)
        view.waivers = (stored.waivers ?? []).map { waiver in
            WaiverView(
                id: waiver.id, scope: waiver.scope, state: waiver.state(today: stored.today).rawValue,
                reason: waiver.reason, expires: waiver.expires, requestedBy: waiver.requestedBy,
                decidedBy: waiver.decidedBy, decidedRole: waiver.decidedRole, resources: waiver.resources)
        }
        return view
    }

    static func reportItem(_ item: ItemReport, forced: Bool) throws -> ReportItem {
        let evidence = try item.evidence.filter { !$0.isRetracted }.map { e in
            guard let kind = EvidenceKind(rawValue: e.kind) else {
                throw AppError.notOK("evidence \(e.id) has an unknown kind '\(e.kind)' (run sop audit verify)")
            }
            return EvidenceRef(
                id: e.id, kind: kind, sha256: e.sha256, addedAt: try instant(e.addedAt, "evidence \(e.id)"),
                by: e.by, isInternal: e.internal, text: kind == .check ? checkText(e) : e.text,
                fileName: e.fileName, mediaType: e.mediaType, size: e.size)
        }
        var view = ReportItem(
            id: item.id, section: item.section, title: item.title, status: item.status,
            reason: item.reason, forced: forced && item.status == .done, assignee: item.assignee,
            due: try item.due.map { try day($0, "item \(item.id) due date") }, evidence: evidence)
        view.ownerRole = item.ownerRole
        view.needsRenewal = item.needsRenewal == true
        return view
    }

    /// A check result as one readable line, instead of its canonical JSON.
    static func checkText(_ e: EvidenceInfo) -> String {
        let parts = [e.checkId, e.checkRegion.map { "in \($0)" }, e.checkOutcome.map { "(\($0))" }].compactMap { $0 }
        return parts.isEmpty ? (e.text ?? "") : parts.joined(separator: " ")
    }

    static func signoff(_ s: SignoffInfo, title: String) throws -> SignoffEntry {
        SignoffEntry(
            scope: s.target, scopeTitle: title, role: s.role, by: s.state == .missing ? nil : s.by,
            at: try s.at.map { try instant($0, "sign-off \(s.id ?? s.target)") }, state: s.state, note: s.note)
    }

    /// The newest result of each check in each region across the history (a partial run
    /// with `--checks` does not hide the other checks' latest results).
    static func latestResults(_ history: [StoredVerificationRun]) throws -> [VerificationResult] {
        var seen: Set<String> = []
        var results: [VerificationResult] = []
        for run in history {
            let at = try instant(run.recordedAt, "verification \(run.id)")
            for r in run.run.results where !seen.contains(r.key) {
                seen.insert(r.key)
                results.append(
                    VerificationResult(
                        check: r.checkId, title: r.title, region: r.region ?? "global",
                        outcome: r.outcome, offending: r.outcome == .fail ? r.resources : [],
                        message: r.summary, items: r.itemIds, at: at))
            }
        }
        return results
    }

    static func activity(_ event: AuditEvent) throws -> ActivityEntry {
        ActivityEntry(
            at: try instant(event.at, "event \(event.seq)"), customer: event.customer ?? "",
            actor: event.actor, action: event.action, detail: event.target)
    }

    /// A stored instant; one that does not parse is damage, reported with the row it is in.
    static func instant(_ text: String, _ row: String) throws -> Date {
        guard let date = Timestamps.parseInstant(text) else {
            throw AppError.notOK("\(row): stored time '\(text.prefix(40))' is not a timestamp (run sop audit verify)")
        }
        return date
    }

    /// A stored calendar day, likewise.
    static func day(_ text: String, _ row: String) throws -> Date {
        guard let date = Timestamps.parseDay(text) else {
            throw AppError.notOK("\(row): stored day '\(text.prefix(40))' is not a date (run sop audit verify)")
        }
        return date
    }
}

/// Evidence bytes of one customer, read from the tracker.
public struct CustomerEvidenceFiles: EvidenceFileSource {
    public var store: Store
    public var slug: String

    public init(store: Store, slug: String) {
        self.store = store
        self.slug = slug
    }

    public func data(for evidence: EvidenceRef) throws -> Data {
        try store.evidenceContent(customer: slug, evidence: evidence.id).1
    }
}
