import Foundation
import GRDB
import SOPCore

extension Store {
    /// The full state of one customer: the read API behind `sop status SLUG` and the renderer.
    public func customerReport(slug: String) throws -> CustomerReport {
        let today = self.today
        return try read { db in try Self.customerReport(db, slug: slug, today: today) }
    }

    /// The report over either engine: the batch read of one customer.
    static func customerReport(_ db: StoreSession, slug: String, today: String) throws -> CustomerReport {
        guard let rows = try reportRows(db, slugs: [slug]).first else {
            throw StoreError.badInput("unknown customer '\(slug)' (see 'sop customers')")
        }
        return try customerReport(rows, today: today, auditHead: try auditHead(db))
    }

    /// The report from a customer's rows, however they were read (one customer's statements,
    /// or a batch's, see ``customerPages(slugs:activityLimit:)``).
    static func customerReport(_ rows: CustomerRows, today: String, auditHead: AuditHead) throws -> CustomerReport {
        let (customer, sections, items) = (rows.customer, rows.sections, rows.items)
        let (evidence, checks, signoffs) = (rows.evidence, rows.checks, rows.signoffs)
        let evidenceByItem = Dictionary(grouping: evidence, by: \.itemId)
        let checksByItem = Dictionary(grouping: checks, by: \.itemId)
        let signoffsByTarget = Dictionary(grouping: signoffs, by: { "\($0.targetKind) \($0.target)" })
        let statusByItem = Dictionary(
            try items.map { item in
                // A status the store never writes is damage, not "todo".
                guard let status = ItemStatus(rawValue: item.status) else {
                    throw StoreError(
                        .integrity,
                        "item \(item.itemId) has an unknown status '\(item.status.prefix(40))' (run sop audit verify)"
                    )
                }
                return (item.itemId, status)
            },
            uniquingKeysWith: { first, _ in first })

        let itemByID = Dictionary(items.map { ($0.itemId, $0) }, uniquingKeysWith: { first, _ in first })
        func setHash(_ itemIDs: [String]) -> String {
            Self.evidenceSetHash(
                evidence: itemIDs.flatMap { evidenceByItem[$0] ?? [] },
                checks: itemIDs.flatMap { checksByItem[$0] ?? [] },
                items: itemIDs.compactMap { itemByID[$0] })
        }

        var summary = StatusSummary()
        var itemReports: [ItemReport] = []
        for item in items {
            let status = statusByItem[item.itemId] ?? .todo
            summary.add(status)
            let overdue = !status.isSettled && (item.due.map { $0 < today } ?? false)
            if overdue { summary.overdue += 1 }
            let rows = evidenceByItem[item.itemId] ?? []
            let itemChecks = checksByItem[item.itemId] ?? []
            let missing =
                status == .notApplicable
                ? []
                : EvidenceRules.missingKinds(
                    required: item.evidenceKinds, evidence: rows, checks: itemChecks, today: today)
            let given = signoffsByTarget["item \(item.itemId)"] ?? []
            // A not-applicable item needs no sign-off: none is pending or "missing"; one given
            // before the item was set n/a is still shown.
            let required =
                status == .notApplicable
                ? item.signoffRoles.filter { role in given.contains { $0.role == role } } : item.signoffRoles
            let states = Self.signoffStates(
                required: required, target: item.itemId, kind: "item",
                rows: given,
                currentHash: item.signoffRoles.isEmpty ? "" : setHash([item.itemId]),
                standing: status == .notApplicable || SignoffStaleness.canBeSignedOff(item: status))
            itemReports.append(
                ItemReport(
                    id: item.itemId, section: item.section, title: item.title, status: status,
                    reason: item.statusReason,
                    assignee: item.assignee, due: item.due, overdue: overdue, steps: item.steps,
                    requiredEvidence: item.evidenceKinds, requiredSignoffs: item.signoffRoles, checks: item.checks,
                    depends: item.depends, when: item.whenCondition, ownerRole: item.ownerRole,
                    updatedAt: item.updatedAt, updatedBy: item.updatedBy, missingEvidence: missing,
                    evidence: rows.map(EvidenceInfo.init), signoffs: states,
                    checkOutcomes: try itemChecks.map(CheckOutcomeInfo.init)))
        }

        var sectionReports: [SectionReport] = []
        var sectionSignoffs: [SignoffInfo] = []
        for section in sections {
            let prefix = section.number + "."
            var sectionSummary = StatusSummary()
            var memberIDs: [String] = []
            var settled = true
            // Indices, not a filtered copy of the item records (this loop runs per section).
            for index in items.indices
            where items[index].section == section.number
                || items[index].section.hasPrefix(prefix)
            {
                let status = statusByItem[items[index].itemId] ?? .todo
                sectionSummary.add(status)
                settled = settled && status.isSettled
                if !status.isSettled, let due = items[index].due, due < today { sectionSummary.overdue += 1 }
                memberIDs.append(items[index].itemId)
            }
            sectionReports.append(
                SectionReport(
                    number: section.number, title: section.title, level: section.level,
                    requiredSignoffs: section.signoffRoles, summary: sectionSummary))
            if !section.signoffRoles.isEmpty {
                sectionSignoffs += Self.signoffStates(
                    required: section.signoffRoles, target: section.number, kind: "section",
                    rows: signoffsByTarget["section \(section.number)"] ?? [],
                    currentHash: setHash(memberIDs), standing: settled)
            }
        }

        let nextActions = items.filter { item in
            guard let status = statusByItem[item.itemId], status == .todo || status == .inProgress else {
                return false
            }
            return item.depends.allSatisfy { statusByItem[$0]?.isSettled ?? true }
        }
        .sorted { lhs, rhs in
            // Work already started first, then checklist order.
            let l = statusByItem[lhs.itemId] == .inProgress ? 0 : 1
            let r = statusByItem[rhs.itemId] == .inProgress ? 0 : 1
            return (l, lhs.ordinal) < (r, rhs.ordinal)
        }
        .prefix(5).map(\.itemId)

        let info = CustomerInfo(customer)
        return CustomerReport(
            customer: info, template: info.template, sections: sectionReports, items: itemReports,
            summary: summary, signoffs: sectionSignoffs,
            verificationHistory: Self.storedRuns(rows.runs),
            nextActions: Array(nextActions), today: today, auditHead: auditHead,
            waivers: rows.waivers.isEmpty
                ? nil
                : rows.waivers.map { waiver in
                    var waiver = waiver
                    waiver.currentState = waiver.state(today: today)
                    return waiver
                },
            baselineRun: rows.baselineRun.map { "V\($0)" })
    }

    /// The chain head as `chain_head` states it (``verifyAudit()`` checks it against the events).
    static func auditHead(_ source: some RecordReading) throws -> AuditHead {
        guard let head = try source.records(ChainHeadRecord.self, "SELECT * FROM chain_head WHERE id = 1", []).first
        else {
            throw StoreError(.integrity, "audit trail head is missing (run sop audit verify)")
        }
        return AuditHead(events: head.count, hash: head.lastHash)
    }

    /// Current state of each required role (its latest sign-off decides), plus earlier revoked sign-offs.
    static func signoffStates(
        required: [String], target: String, kind: String, rows: [SignoffRecord],
        currentHash: String, standing: Bool
    ) -> [SignoffInfo] {
        var result: [SignoffInfo] = []
        for role in required {
            let forRole = rows.filter { $0.role == role }
            guard let latest = forRole.last else {
                result.append(
                    SignoffInfo(
                        id: nil, target: target, targetKind: kind, role: role, by: nil, at: nil,
                        note: nil, evidenceHash: nil, state: .missing, revokedAt: nil, revokedBy: nil,
                        revokedReason: nil))
                continue
            }
            let state = SignoffStaleness.state(
                latest: .init(evidenceHash: latest.evidenceHash, revoked: latest.revokedAt != nil),
                currentHash: currentHash, standing: standing)
            result.append(SignoffInfo(latest, state: state))
            for earlier in forRole where earlier.id != latest.id && earlier.revokedAt != nil {
                result.append(SignoffInfo(earlier, state: .revoked))
            }
        }
        return result
    }
}

extension SignoffInfo {
    init(_ r: SignoffRecord, state: SignoffState) {
        self.init(
            id: "S\(r.id ?? 0)", target: r.target, targetKind: r.targetKind, role: r.role, by: r.signedBy,
            at: r.signedAt, note: r.note, evidenceHash: r.evidenceHash, state: state, revokedAt: r.revokedAt,
            revokedBy: r.revokedBy, revokedReason: r.revokedReason)
    }
}

extension CheckOutcomeInfo {
    init(_ r: CheckStateRecord) throws {
        guard let outcome = CheckOutcome(rawValue: r.outcome) else {
            throw StoreError(
                .integrity,
                "check \(r.checkId) on item \(r.itemId) has an unknown outcome '\(r.outcome.prefix(40))' (run sop audit verify)"
            )
        }
        self.init(
            item: r.itemId, checkId: r.checkId, region: r.region.isEmpty ? nil : r.region,
            outcome: outcome, summary: r.summary, since: r.since,
            updatedAt: r.updatedAt, evidence: "E\(r.evidenceId)")
    }
}
