import Foundation
import SOPCore
import SOPStore

/// What `sop agenda` and `sop digest` ask for.
public struct AgendaRequest: Sendable {
    /// Only customers this person owns, and items assigned to them.
    public var owner: String?
    /// The window's length in days, today included (1…366).
    public var days: Int

    public init(owner: String? = nil, days: Int = 7) {
        self.owner = owner
        self.days = days
    }
}

extension SOPApplication {
    /// `sop agenda` / `sop digest`: across every customer, what is overdue, due in the window,
    /// expiring in it, stale, blocked or failing, most urgent first. Read-only; today is the
    /// context's clock (`SOP_NOW`).
    public func agenda(_ request: AgendaRequest) throws -> Agenda {
        guard (1...366).contains(request.days) else {
            throw AppError.badInput("--days: \(request.days) is not a number of days from 1 to 366")
        }
        let owner = request.owner?.trimmingCharacters(in: .whitespaces)
        if let owner, owner.isEmpty { throw AppError.badInput("--owner must name someone") }
        let now = try context.now()
        let today = Timestamps.day(now)
        let lastDay = Agenda.day(today, plus: request.days - 1)
        let pinned = PinnedTemplates(library: context.templateLibrary)
        let facts = try Tracker.with(context) { store in
            try store.agendaFacts(until: lastDay) { $0.filled(pinned) }
        }
        let governance = try Tracker.with(context) { store in
            try GovernanceFacts.read(store, customers: Set(facts.owners.keys), today: facts.today)
        }
        var entries =
            AgendaEntries.entries(facts, lastDay: lastDay, waived: governance.waivedChecks)
            + governance.entries(until: lastDay)
        if let owner {
            entries = entries.filter { entry in
                facts.owners[entry.entry.customer].flatMap { $0 } == owner || entry.assignee == owner
            }
        }
        return Agenda(
            today: facts.today, days: request.days, owner: owner,
            entries: entries.map(\.entry).sorted(by: Agenda.Entry.moreUrgent),
            generatedAt: Timestamps.string(now))
    }

}

/// What the agenda reads about waivers and baselines: approved waivers (the failing checks they
/// cover are not listed; those expiring in the window are) and each customer's latest run held
/// against its baseline (the latest night's regressions).
struct GovernanceFacts {
    var today: String
    var waivers: [WaiverInfo]
    /// `customer item check@region` of every failing check an approved waiver covers.
    var waivedChecks: Set<String>
    var regressions: [(customer: String, change: RegressionGate.Change, item: String?, title: String)]

    static func read(_ store: Store, customers: Set<String>, today: String) throws -> GovernanceFacts {
        let waivers = try store.waivers().filter { customers.contains($0.customer) }
        var waived: Set<String> = []
        var regressions: [(customer: String, change: RegressionGate.Change, item: String?, title: String)] = []
        let runs = try store.latestAndAcceptedRuns()
        for slug in customers.sorted() {
            guard let (latest, accepted) = runs[slug] else { continue }
            let mine = waivers.filter { $0.customer == slug }
            let results = latest.run.results.map { VerifyReport.Result(record: $0, waivers: mine, today: today) }
            for result in results where result.waiver != nil {
                for item in result.items { waived.insert("\(slug) \(item) \(result.key)") }
            }
            guard let baseline = accepted, baseline.id != latest.id else { continue }
            let gate = RegressionGate(baseline: baseline, now: results)
            let byKey = Dictionary(results.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
            let before = Dictionary(baseline.run.results.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
            for change in gate.regressions {
                let title = byKey[change.key]?.title ?? before[change.key]?.title ?? ""
                let item = byKey[change.key]?.items.first ?? before[change.key]?.itemIds.first
                regressions.append((slug, change, item, title.isEmpty ? change.check : title))
            }
        }
        return GovernanceFacts(today: today, waivers: waivers, waivedChecks: waived, regressions: regressions)
    }

    func entries(until lastDay: String) -> [AgendaEntries.Candidate] {
        var out: [AgendaEntries.Candidate] = []
        for waiver in waivers where waiver.state(today: today) == .approved && waiver.expires <= lastDay {
            out.append(
                AgendaEntries.Candidate(
                    entry: Agenda.Entry(
                        date: waiver.expires, kind: .waiverExpiring, customer: waiver.customer,
                        item: waiver.targetKind == "item" ? waiver.target : nil,
                        title: "\(waiver.id): \(waiver.reason)",
                        detail: "\(waiver.id) of \(waiver.scope) (approved by \(waiver.decidedBy ?? "?")) ends after "
                            + "\(waiver.expires)",
                        subject: waiver.id),
                    assignee: nil))
        }
        for (customer, change, item, title) in regressions {
            out.append(
                AgendaEntries.Candidate(
                    entry: Agenda.Entry(
                        date: today, kind: .regression, customer: customer, item: item, title: title,
                        detail: "\(change.key) \(change.before ?? "none") → \(change.now ?? "none") against the "
                            + "baseline: " + change.details.joined(separator: "; "),
                        subject: change.key),
                    assignee: nil))
        }
        return out
    }
}

/// Agenda entries from the store's facts, each with the assignee the owner filter reads.
enum AgendaEntries {
    struct Candidate {
        var entry: Agenda.Entry
        var assignee: String?
    }

    static func entries(_ facts: AgendaFacts, lastDay: String, waived: Set<String> = []) -> [Candidate] {
        let today = facts.today
        var out: [Candidate] = []
        func add(
            _ date: String, _ kind: Agenda.Kind, _ customer: String, _ item: String?, _ title: String,
            _ detail: String, _ assignee: String?, subject: String = ""
        ) {
            out.append(
                Candidate(
                    entry: Agenda.Entry(
                        date: date, kind: kind, customer: customer, item: item, title: title, detail: detail,
                        subject: subject),
                    assignee: assignee))
        }
        func assigned(_ assignee: String?) -> String { assignee.map { ", assigned to \($0)" } ?? "" }
        for item in facts.dueItems {
            if item.due < today {
                let late = days(from: item.due, to: today)
                add(
                    item.due, .overdue, item.customer, item.item, item.title,
                    "due \(item.due), \(late) day\(late == 1 ? "" : "s") overdue (\(item.status.rawValue))"
                        + assigned(item.assignee), item.assignee)
            } else if item.due <= lastDay {
                add(
                    item.due, .due, item.customer, item.item, item.title,
                    "due \(item.due) (\(item.status.rawValue))" + assigned(item.assignee), item.assignee)
            }
        }
        for item in facts.blocked {
            add(
                today, .blocked, item.customer, item.item, item.title,
                "blocked: \(item.reason ?? "no reason given")" + dueNote(item.due, today: today)
                    + assigned(item.assignee), item.assignee)
        }
        for evidence in facts.expiringEvidence {
            add(
                evidence.expires, .evidenceExpiring, evidence.customer, evidence.item, evidence.title,
                "\(evidence.evidence) (\(evidence.kind)) expires \(evidence.expires)" + assigned(evidence.assignee),
                evidence.assignee, subject: evidence.evidence)
        }
        for signoff in facts.staleSignoffs {
            let by = signoff.by.map { " by \($0)" } ?? ""
            let at = signoff.at.map { " on \($0.prefix(10))" } ?? ""
            add(
                today, .staleSignoff, signoff.customer, signoff.target, signoff.title,
                "\(signoff.targetKind) sign-off of \(signoff.role)\(by)\(at) is stale; sign again", signoff.assignee,
                subject: "\(signoff.targetKind) \(signoff.role)")
        }
        for check in facts.failingChecks
        where !waived.contains("\(check.customer) \(check.item) \(check.check)@\(check.region ?? "global")") {
            let region = check.region.map { "@\($0)" } ?? ""
            add(
                today, .failingCheck, check.customer, check.item, check.title,
                "\(check.check)\(region) fails since \(check.since.prefix(10)): \(check.summary)", check.assignee,
                subject: check.check + region)
        }
        return out
    }

    /// `; due 2026-05-08` or `; due 2026-04-30, 4 days overdue` for a blocked item with a date.
    static func dueNote(_ due: String?, today: String) -> String {
        guard let due else { return "" }
        let late = days(from: due, to: today)
        return late > 0 ? "; due \(due), \(late) day\(late == 1 ? "" : "s") overdue" : "; due \(due)"
    }

    static func days(from earlier: String, to later: String) -> Int {
        guard let a = WorkingDays.dayNumber(earlier), let b = WorkingDays.dayNumber(later) else { return 0 }
        return Int(b - a)
    }
}

extension SOPApplication {
    /// `sop agenda --ics FILE`: writes the agenda's calendar atomically (a temporary file in the
    /// same folder, renamed into place), so a calendar that subscribes to the file never reads
    /// half of it. An existing regular file is replaced (the file is regenerated every week); a
    /// directory, a link, a FIFO or a device is refused before anything is written.
    public func writeAgendaCalendar(_ agenda: Agenda, to path: String) throws {
        if let problem = OutputFile.problemWriting(path, force: true) {
            throw AppError.badInput("--ics \(path): \(problem)")
        }
        do {
            try Data(agenda.calendar().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw AppError.badInput("--ics \(path): cannot write the file (is its folder there and writable?)")
        }
    }
}
