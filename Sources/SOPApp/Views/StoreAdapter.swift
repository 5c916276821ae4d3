import Foundation
import SOPCore
import SOPRender
import SOPStore

/// Reads the tracker into the renderers' value types.
///
/// The only file in SOPRender that knows the store's shapes; everything else renders
/// plain values, so it can be golden-tested without a database.
public struct StoreAdapter: Sendable {
    public var store: Store

    public init(store: Store) { self.store = store }

    /// One customer as the packet, the site and the publishers see it.
    public func report(slug: String, activityLimit: Int = 100) throws -> SOPRender.CustomerReport {
        let stored = try store.customerReport(slug: slug)
        return Self.convert(stored, log: try store.log(customer: slug, limit: activityLimit),
                            forced: try store.forcedItems(customer: slug))
    }

    /// Every customer's portfolio row, in the store's urgency order.
    public func portfolio() throws -> [SOPRender.PortfolioRow] {
        try store.portfolio().map { row in
            SOPRender.PortfolioRow(slug: row.slug, name: row.name, template: "\(row.template.id)@\(row.template.version)",
                         progress: SOPRender.Progress(total: row.total, done: row.done, blocked: row.blocked),
                         overdue: row.overdue, failing: row.failing,
                         lastActivity: Timestamps.parseInstant(row.lastActivity))
        }
    }

    /// The most recent events across all customers, newest first.
    public func activity(limit: Int = 200) throws -> [SOPRender.ActivityEntry] {
        try store.activity(limit: limit).map(Self.activity)
    }

    /// Evidence bytes of one customer straight from the tracker (which re-checks their hash too).
    public func evidenceFiles(slug: String) -> EvidenceFileSource { CustomerEvidenceFiles(store: store, slug: slug) }

    // MARK: Conversion

    /// `log` is the recent activity to show (oldest first); `forced` the items forced done.
    static func convert(_ stored: SOPStore.CustomerReport, log: [AuditEvent], forced: Set<String>) -> SOPRender.CustomerReport {
        var itemsBySection: [String: [SOPRender.ReportItem]] = [:]
        for item in stored.items {
            itemsBySection[item.section, default: []].append(reportItem(item, forced: forced.contains(item.id)))
        }
        let sections = stored.sections.map { s in
            SOPRender.ReportSection(number: s.number, title: s.title, level: s.level, items: itemsBySection[s.number] ?? [])
        }
        // Items whose section the store did not list still appear, after the listed ones.
        let listed = Set(stored.sections.map(\.number))
        let orphans = stored.items.filter { !listed.contains($0.section) }
        var allSections = sections
        if !orphans.isEmpty {
            allSections.append(SOPRender.ReportSection(number: "—", title: "Other items", level: 2,
                                             items: orphans.map { reportItem($0, forced: forced.contains($0.id)) }))
        }

        let titles = Dictionary(stored.items.map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
            .merging(stored.sections.map { ($0.number, $0.title) }, uniquingKeysWith: { a, _ in a })
        var signoffs: [SOPRender.SignoffEntry] = []
        for item in stored.items {
            for s in item.signoffs where s.state != .revoked || item.signoffs.filter({ $0.role == s.role }).count == 1 {
                signoffs.append(signoff(s, title: titles[s.target] ?? ""))
            }
        }
        for s in stored.signoffs where s.state != .revoked || stored.signoffs.filter({ $0.role == s.role && $0.target == s.target }).count == 1 {
            signoffs.append(signoff(s, title: titles[s.target] ?? ""))
        }

        let latest = latestResults(stored.verificationHistory)
        let history = stored.verificationHistory.map { run in
            SOPRender.VerificationRun(at: Timestamps.parseInstant(run.recordedAt) ?? run.run.finishedAt, by: run.recordedBy,
                            passed: run.passed, failed: run.failed, errors: run.errors)
        }
        let account = stored.verificationHistory.lazy.compactMap(\.run.account).first
        let c = stored.customer
        let customer = SOPRender.CustomerInfo(slug: c.slug, name: c.name, accountID: account, email: c.email, owner: c.owner,
                                    due: c.due.flatMap(Timestamps.parseDay), compliance: c.compliance, regions: c.regions)
        let credentialItems = stored.items.filter { $0.id.hasPrefix("handover.") && $0.id.contains("credential") }
        let credentialProcess = credentialItems.flatMap(\.steps)
        return SOPRender.CustomerReport(
            customer: customer,
            template: SOPRender.TemplateInfo(id: stored.template.id, version: stored.template.version, sha256: stored.template.sha256),
            sections: allSections,
            verification: latest,
            verificationHistory: history,
            signoffs: signoffs,
            credentialProcess: credentialProcess,
            activity: log.reversed().map(activity))
    }

    static func reportItem(_ item: ItemReport, forced: Bool) -> SOPRender.ReportItem {
        let status = SOPRender.ItemStatus(rawValue: item.status.rawValue) ?? .todo
        let evidence = item.evidence.filter { !$0.isRetracted }.map { e in
            SOPRender.EvidenceRef(id: e.id, kind: SOPRender.EvidenceKindValue(rawValue: e.kind) ?? .note, sha256: e.sha256,
                        addedAt: Timestamps.parseInstant(e.addedAt) ?? Date(timeIntervalSince1970: 0), by: e.by,
                        isInternal: e.internal, text: e.kind == "check" ? checkText(e) : e.text,
                        fileName: e.fileName, mediaType: e.mediaType, size: e.size)
        }
        return SOPRender.ReportItem(id: item.id, section: item.section, title: item.title, status: status,
                          reason: item.reason, forced: forced && status == .done, assignee: item.assignee,
                          due: item.due.flatMap(Timestamps.parseDay), evidence: evidence)
    }

    /// A check result as one readable line, instead of its canonical JSON.
    static func checkText(_ e: EvidenceInfo) -> String {
        let parts = [e.checkId, e.checkRegion.map { "in \($0)" }, e.checkOutcome.map { "(\($0))" }].compactMap { $0 }
        return parts.isEmpty ? (e.text ?? "") : parts.joined(separator: " ")
    }

    static func signoff(_ s: SignoffInfo, title: String) -> SOPRender.SignoffEntry {
        let state: SOPRender.SignoffEntry.State
        switch s.state {
        case .valid: state = .valid
        case .stale: state = .stale
        case .missing: state = .missing
        case .revoked: state = .revoked
        }
        return SOPRender.SignoffEntry(scope: s.target, scopeTitle: title, role: s.role, by: s.state == .missing ? nil : s.by,
                            at: s.at.flatMap(Timestamps.parseInstant), state: state, note: s.note)
    }

    /// The newest result of each check in each region across the history (a partial run
    /// with `--checks` does not hide the other checks' latest results).
    static func latestResults(_ history: [StoredVerificationRun]) -> [SOPRender.VerificationResult] {
        var seen: Set<String> = []
        var results: [SOPRender.VerificationResult] = []
        for run in history {
            let at = Timestamps.parseInstant(run.recordedAt) ?? run.run.finishedAt
            for r in run.run.results where !seen.contains(r.key) {
                seen.insert(r.key)
                let outcome = SOPRender.CheckOutcome(rawValue: r.outcome.rawValue) ?? .error
                results.append(SOPRender.VerificationResult(check: r.checkId, title: r.title, region: r.region ?? "global",
                                                  outcome: outcome, offending: outcome == .fail ? r.resources : [],
                                                  message: r.summary, items: r.itemIds, at: at))
            }
        }
        return results
    }

    static func activity(_ event: AuditEvent) -> SOPRender.ActivityEntry {
        SOPRender.ActivityEntry(at: Timestamps.parseInstant(event.at) ?? Date(timeIntervalSince1970: 0),
                      customer: event.customer ?? "", actor: event.actor, action: event.action, detail: event.target)
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

    public func data(for evidence: SOPRender.EvidenceRef) throws -> Data {
        try store.evidenceContent(customer: slug, evidence: evidence.id).1
    }
}
