import Foundation
import SOPCore
import SOPRender
import SOPStore
import Synchronization

/// One customer's line on `sop serve`'s portfolio: everything a PM sorts and filters by.
public struct DashboardRow: Sendable, Equatable {
    public var slug: String
    public var name: String
    public var owner: String?
    public var due: String?
    /// Days from today to the due date (negative when past), nil without a due date.
    public var daysLeft: Int?
    public var percent: Int
    public var done: Int
    public var total: Int
    public var blocked: Int
    public var overdue: Int
    public var failing: Int
    public var staleSignoffs: Int
    public var template: String
    public var lastActivity: String
    /// `attention` (blocked, overdue, failing or stale), `done` (every item closed) or `active`.
    public var status: String
}

extension SOPApplication {
    /// The portfolio as `sop serve` shows it: the store's rows with each customer's stale
    /// sign-offs. Counting those needs each customer's full report (a sign-off is stale when the
    /// hash of its evidence and requirements moved), so a long-running front end passes
    /// `staleCounts`: it keeps the counts with the change counter they were made at, and later
    /// builds recount only the customers with audit events since (one indexed statement names
    /// them). Without it every customer is counted, in batches of eight.
    public func dashboard(staleCounts: StaleSignoffCounts? = nil) throws -> [DashboardRow] {
        let today = try context.now()
        return try Tracker.with(context) { store in
            // The counter first: a write after it is recounted next time, never missed.
            let counter = try store.changeCounter()
            let rows = try store.portfolio()
            let known = staleCounts?.counts()
            var stale = known?.counts ?? [:]
            let changed = try known.map { try store.customersChanged(since: $0.counter) } ?? []
            let recount = rows.map(\.slug).filter { known == nil || changed.contains($0) || stale[$0] == nil }
            let adapter = StoreAdapter(store: store)
            var index = 0
            while index < recount.count {
                let slugs = Array(recount[index..<min(index + 8, recount.count)])
                for report in try adapter.reports(slugs: slugs, activityLimit: 0) {
                    stale[report.customer.slug] = report.signoffs.filter { $0.state == .stale }.count
                }
                index += 8
            }
            let current = Set(rows.map(\.slug))
            staleCounts?.keep(counter: counter, counts: stale.filter { current.contains($0.key) })
            return rows.map { row in
                let staleCount = stale[row.slug] ?? 0
                let daysLeft = row.due.flatMap(Timestamps.parseDay).map {
                    Int(($0.timeIntervalSince(Timestamps.parseDay(Timestamps.day(today)) ?? today) / 86_400).rounded())
                }
                let attention = row.needsAttention || staleCount > 0
                return DashboardRow(
                    slug: row.slug, name: row.name, owner: row.owner, due: row.due, daysLeft: daysLeft,
                    percent: row.progress, done: row.done, total: row.total, blocked: row.blocked,
                    overdue: row.overdue, failing: row.failing, staleSignoffs: staleCount,
                    template: "\(row.template.id)@\(row.template.version)", lastActivity: row.lastActivity,
                    status: attention ? "attention" : row.done == row.total ? "done" : "active")
            }
        }
    }

    /// One customer as an audience may see it (the customer audience loses internal evidence,
    /// notes and the audit log), with parameters filled from the pinned template.
    public func customerView(slug: String, audience: Audience, activityLimit: Int = 200) throws -> CustomerReportView {
        try Tracker.with(context) { store in
            try StoreAdapter(store: store, templates: context.templateLibrary).report(
                slug: slug, activityLimit: activityLimit
            ).visible(to: audience)
        }
    }

    /// The most recent events across the portfolio, newest first.
    public func activityView(limit: Int = 200) throws -> [ActivityEntry] {
        try Tracker.with(context) { try StoreAdapter(store: $0).activity(limit: limit) }
    }

    /// One piece of evidence and its bytes, hash re-checked by the store. The customer audience
    /// gets internal evidence as "unknown" (the same answer as evidence that does not exist).
    public func evidenceDownload(slug: String, evidence: String, audience: Audience) throws -> (EvidenceInfo, Data) {
        let (info, data) = try Tracker.with(context) { try $0.evidenceContent(customer: slug, evidence: evidence) }
        if audience == .customer && info.internal {
            throw AppError.badInput("unknown evidence '\(evidence)' for customer '\(slug)'")
        }
        return (info, data)
    }

    /// The handover packet for an audience as one ZIP file, built in a temporary folder that is
    /// removed afterwards.
    public func handoverArchive(slug: String, audience: Audience, preparedBy: String) throws -> Data {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sop-packet-\(Self.randomSecret().prefix(16))")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let folder = scratch.appendingPathComponent("packet")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        _ = try handover(slug: slug, to: folder.path, audience: audience, preparedBy: preparedBy, force: false)
        return try rendering { try PacketArchive.zip(folder: folder, root: "\(slug)-handover") }
    }
}

/// Stale sign-off counts per customer and the change counter they were made at (see
/// ``SOPApplication/dashboard(staleCounts:)``); shared by the requests of one server.
public final class StaleSignoffCounts: Sendable {
    private let state = Mutex<(counter: Int, counts: [String: Int])?>(nil)

    public init() {}

    func counts() -> (counter: Int, counts: [String: Int])? { state.withLock { $0 } }

    func keep(counter: Int, counts: [String: Int]) {
        state.withLock { current in
            // Never go back to an older state when two builds overlap.
            if let current, current.counter > counter { return }
            current = (counter, counts)
        }
    }
}
