import Foundation
import GRDB
import SOPCore

extension Store {
    /// Moves a customer to a newer version of its template, in one transaction and one audit event.
    ///
    /// Items are matched by id: state, evidence and sign-offs stay with them. Items the new
    /// version retired are archived with their history (never deleted). Items naming old ids
    /// in `replaces` inherit those items' status and get copies of their evidence (the
    /// originals stay on the archived item). New items start as todo, or not applicable by
    /// their condition. Items whose requirements changed (evidence kinds, sign-off roles,
    /// checks, condition) have their sign-offs go stale, and a done item that now lacks
    /// required evidence is reopened. With `dryRun` the plan is computed and nothing is written.
    ///
    /// `intermediates` are the versions between the customer's and `template` (any order):
    /// their `replaces` links are followed, so a chain a → b → c carries a's history to c
    /// even when the customer jumps straight from the version with a to the one with c.
    ///
    /// The decisions are `UpgradePlanner`'s; this reads the customer's rows, and for a real
    /// upgrade applies the planner's writes in the same transaction the rows were read in.
    @discardableResult
    public func upgrade(
        customer slug: String, to template: Template, through intermediates: [Template] = [],
        by actor: String, dryRun: Bool = false
    ) throws -> UpgradePlan {
        let now = nowString
        if dryRun {
            return try read { db in
                try UpgradePlanner.plan(
                    try upgradeInput(db, slug), to: template, through: intermediates, actor: actor,
                    now: now
                ).plan
            }
        }
        return try write { db in
            let planned = try UpgradePlanner.plan(
                try upgradeInput(db, slug), to: template, through: intermediates,
                actor: actor, now: now)
            try apply(planned, db, actor: actor)
            return planned.plan
        }
    }

    /// The customer's current rows, as the planner takes them.
    func upgradeInput(_ db: StoreSession, _ slug: String) throws -> UpgradePlanner.Input {
        let customer = try customerRecord(db, slug)
        guard let customerID = customer.id else { throw StoreError(.integrity, "customer row has no id") }
        let id: [SQLValue] = [.integer(customerID)]
        return UpgradePlanner.Input(
            customer: customer,
            items: try db.records(
                ItemRecord.self, "SELECT * FROM item WHERE customer_id = ? AND archived_at IS NULL ORDER BY ordinal", id
            ),
            evidence: try db.records(
                EvidenceRecord.self,
                "SELECT * FROM evidence WHERE customer_id = ? AND retracted_at IS NULL ORDER BY id",
                id),
            signoffs: try db.records(
                SignoffRecord.self, "SELECT * FROM signoff WHERE customer_id = ? AND revoked_at IS NULL ORDER BY id", id
            ),
            sections: try db.records(
                SectionRecord.self, "SELECT * FROM section WHERE customer_id = ? ORDER BY number", id),
            archivedItems: try db.records(
                ItemRecord.self,
                "SELECT * FROM item WHERE customer_id = ? AND archived_at IS NOT NULL ORDER BY ordinal",
                id))
    }

    /// Executes a plan: its writes in order, then the customer's new pin and one audit event.
    ///
    /// Runs inside the caller's transaction, so a failure at any write leaves nothing of the
    /// upgrade behind. The event states every new status and every evidence copy (with the
    /// id it got), so `sop audit verify` can replay it like any other change.
    func apply(_ planned: UpgradePlanner.Planned, _ db: StoreSession, actor: String) throws {
        for write in planned.itemWrites { try write.perform(db) }
        var copiedEvidence: [String] = []
        for var copy in planned.evidenceCopies {
            try db.insert(&copy)
            copiedEvidence.append("E\(copy.id ?? 0):\(copy.sha256)")
        }
        for write in planned.sectionWrites { try write.perform(db) }
        try db.update(planned.customer)
        let plan = planned.plan
        var transitions: [String: String] = [:]
        for change in plan.changed + plan.inherited + plan.added { transitions[change.id] = change.statusAfter }
        try audit(
            db, customer: plan.customer, actor: actor, action: "customer.upgrade", target: plan.customer,
            before: CanonicalJSON.encode(["template": plan.from, "template_sha256": plan.fromSha256]),
            after: CanonicalJSON.encode(UpgradeEvent(plan: plan, transitions: transitions, evidence: copiedEvidence)))
    }
}

extension UpgradePlanner.RowWrite where Row: PersistableRecord {
    func perform(_ db: StoreSession) throws {
        switch self {
        case .insert(let row): try db.insert(row)
        case .update(let row): try db.update(row)
        }
    }
}

/// The `after` of a `customer.upgrade` audit event.
private struct UpgradeEvent: Encodable {
    var plan: UpgradePlan
    var transitions: [String: String]
    var evidence: [String]
}
