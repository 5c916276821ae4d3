import Foundation
import SOPCore
import TestSupport
import Testing

@testable import SOPStore

/// Moving customers between template versions: the shipped 1.0.0 → 1.1.0 revision item by item,
/// dry runs, failures halfway, downgrades, `replaces` chains and conditions that change.
@Suite struct UpgradeTests {
    static func shipped(_ version: String) throws -> Template {
        try TemplateParser().parse(fileAt: Paths.templatesDirectory.appendingPathComponent("aws-account/\(version).md"))
    }

    /// acme on 1.0.0 with evidence on kept, split, renamed and retired items, a forced done, and sign-offs.
    static func acmeOnShipped100() throws -> TestStore {
        let test = try TestStore()
        let store = test.store
        try store.createCustomer(
            NewCustomer(slug: "acme", name: "Acme Corp", email: "root@acme.example"),
            template: try shipped("1.0.0"), by: "dana")
        try store.addEvidence(
            customer: "acme", item: "prep.root-email", content: .note("root mailbox confirmed"), by: "dana")
        try store.mark(customer: "acme", item: "prep.root-email", status: .done, by: "dana")
        try store.addEvidence(
            customer: "acme", item: "cloudtrail.configure", content: .note("trail settings reviewed"), by: "sam")
        try store.addEvidence(
            customer: "acme", item: "iam.users", content: .file(name: "users.csv", data: Data("alice,bob\n".utf8)),
            by: "sam")
        try store.mark(customer: "acme", item: "iam.users", status: .inProgress, by: "sam")
        try store.addEvidence(
            customer: "acme", item: "handover.credentials", content: .note("process agreed"), by: "dana")
        try store.addEvidence(
            customer: "acme", item: "network.security-groups", content: .note("rules reviewed"), by: "sam")
        try store.mark(
            customer: "acme", item: "network.security-groups", status: .done, reason: "reviewed by hand",
            force: true, by: "sam")
        try store.addEvidence(
            customer: "acme", item: "gov.security-policies", content: .note("policy v3 approved"), by: "dana")
        try store.mark(customer: "acme", item: "gov.security-policies", status: .inProgress, by: "dana")
        try store.signoff(customer: "acme", target: "gov.security-policies", role: "Security Lead", by: "priya")
        // Section 5 signed off when its items were settled (marked by hand here, with a reason).
        try settle(store, section: "5")
        try store.signoff(customer: "acme", target: "5", role: "Security Lead", by: "priya")
        try store.mark(
            customer: "acme", item: "root.login", status: .blocked, reason: "waiting for the customer", by: "dana")
        return test
    }

    /// 1.1.0 → 1.2.0 only adds due rules: the upgrade dates every applicable item that has no
    /// date yet, from the day the customer was created, and keeps a date already set.
    @Test func upgradeToThePlanningRevisionDatesItems() throws {
        let test = try TestStore()
        let store = test.store
        try store.createCustomer(
            NewCustomer(slug: "acme", name: "Acme Corp", email: "root@acme.example", due: "2026-06-26"),
            template: try Self.shipped("1.1.0"), by: "dana")
        #expect(try store.customerReport(slug: "acme").items.allSatisfy { $0.due == nil }, "1.1.0 has no rules")
        try store.assign(customer: "acme", item: "root.mfa", to: "sam", due: "2026-04-01", by: "dana")
        try store.upgrade(customer: "acme", to: try Self.shipped("1.2.0"), by: "dana")
        let report = try store.customerReport(slug: "acme")
        let created = String(report.customer.createdAt.prefix(10))
        let expected = DueSchedule.compute(try Self.shipped("1.2.0").items, start: created, customerDue: "2026-06-26")
        for item in report.items {
            if item.id == "root.mfa" {
                #expect(item.due == "2026-04-01", "a date set by hand is kept")
            } else if item.status == .notApplicable {
                #expect(item.due == nil)
            } else {
                #expect(item.due == expected[item.id], "\(item.id)")
            }
        }
        #expect(report.items.filter { $0.due != nil }.count >= 10)
        #expect(try store.verifyAudit().problems == [])
    }

    @Test func upgradeShippedRevisionItemByItem() throws {
        let test = try Self.acmeOnShipped100()
        let store = test.store
        let before = try store.customerReport(slug: "acme")
        let old = try Self.shipped("1.0.0")
        let new = try Self.shipped("1.1.0")
        let plan = try store.upgrade(customer: "acme", to: new, by: "dana")
        let after = try store.customerReport(slug: "acme")

        #expect(after.customer.template.version == "1.1.0")
        #expect(after.customer.template.sha256 == new.sha256)
        #expect(after.items.map(\.id) == new.items.map(\.id), "the checklist is exactly 1.1.0's, in its order")
        let beforeByID = Dictionary(uniqueKeysWithValues: before.items.map { ($0.id, $0) })
        for item in after.items {
            switch item.id {
            case "network.security-groups":
                // Requirements grew (file evidence, Security Lead sign-off): a done item without a file reopens.
                #expect(item.status == .inProgress)
                #expect(item.reason?.contains("needs file evidence") == true)
                #expect(item.evidence.count == 1)
            case "cloudtrail.all-regions", "cloudtrail.encrypted-bucket":
                #expect(item.evidence.map(\.kind) == ["note"], "split items inherit the note of cloudtrail.configure")
                #expect(item.status == .todo)
            case "iam.workforce-access":
                #expect(item.evidence.count == 1 && item.evidence.first?.fileName == "users.csv")
                #expect(item.status == .inProgress, "a rename keeps the status")
            case "iam.groups", "iam.group-permissions":
                // Settled over the gate for the section sign-off; their requirements changed, so
                // the override no longer covers them.
                #expect(beforeByID[item.id]?.status == .done)
                #expect(item.status == .inProgress, "\(item.id): \(item.reason ?? "")")
            case "account.alternate-contacts", "storage.s3-block-public-access", "storage.ebs-encryption-default":
                #expect(item.status == .todo && item.evidence.isEmpty)
            default:
                guard let previous = beforeByID[item.id] else {
                    Issue.record("\(item.id) is neither carried, inherited nor announced as new")
                    continue
                }
                #expect(item.status == previous.status, "\(item.id) kept its status")
                #expect(item.evidence.map(\.id) == previous.evidence.map(\.id), "\(item.id) kept its evidence")
                #expect(item.assignee == previous.assignee)
            }
        }
        // Retired and replaced items are archived, not deleted: their evidence is still there.
        let allEvidence = try store.evidence(customer: "acme")
        for retired in ["iam.users", "cloudtrail.configure", "handover.credentials"] {
            #expect(!after.items.contains { $0.id == retired })
            #expect(allEvidence.contains { $0.item == retired }, "\(retired) keeps its evidence")
        }
        #expect(Set(plan.archived.map(\.id)) == ["iam.users", "cloudtrail.configure", "handover.credentials"])
        #expect(
            Set(plan.added.map(\.id)) == [
                "account.alternate-contacts", "storage.s3-block-public-access", "storage.ebs-encryption-default",
            ])
        #expect(
            Set(plan.inherited.map(\.id)) == [
                "iam.workforce-access", "cloudtrail.all-regions", "cloudtrail.encrypted-bucket",
            ])
        #expect(plan.unchanged.count + plan.changed.count + plan.inherited.count + plan.added.count == new.items.count)
        #expect(plan.unchanged.count + plan.changed.count + plan.archived.count == old.items.count)

        // Sign-offs: the unchanged item's stays valid; section 5 changed underneath, so it is stale.
        let policy = after.items.first { $0.id == "gov.security-policies" }
        #expect(policy?.signoffs.first { $0.role == "Security Lead" }?.state == .valid)
        #expect(after.signoffs.first { $0.target == "5" && $0.role == "Security Lead" }?.state == .stale)
        #expect(plan.staleSectionSignoffs == ["5: Security Lead by priya"])
        #expect(try store.verifyAudit().problems.isEmpty)
        #expect(try store.log(customer: "acme").last?.action == "customer.upgrade")
    }

    @Test func dryRunWritesNothing() throws {
        let test = try Self.acmeOnShipped100()
        let before = try test.store.customerReport(slug: "acme")
        let events = try test.store.log(customer: "acme").count
        let plan = try test.store.upgrade(customer: "acme", to: try Self.shipped("1.1.0"), by: "dana", dryRun: true)
        #expect(!plan.added.isEmpty)
        #expect(try test.store.customerReport(slug: "acme") == before)
        #expect(try test.store.log(customer: "acme").count == events)
    }

    /// A write the upgrade makes, refused by a trigger: at the first item, midway through the
    /// items, at a new item, an archival, an evidence copy, the customer's pin and the audit event
    /// (this revision leaves every section row as it was).
    static let refusedWrites = [
        "BEFORE UPDATE ON item WHEN NEW.item_id = 'prep.root-email'",
        "BEFORE UPDATE ON item WHEN NEW.item_id = 'network.security-groups'",
        "BEFORE INSERT ON item WHEN NEW.item_id = 'storage.ebs-encryption-default'",
        "BEFORE UPDATE OF archived_at ON item WHEN NEW.archived_at IS NOT NULL",
        "BEFORE INSERT ON evidence",
        "BEFORE UPDATE ON customer",
        "BEFORE INSERT ON audit_event",
    ]

    /// Atomicity without a test-only switch: SQLite itself refuses one write midway, and the
    /// customer, its evidence and the audit chain are exactly as before. Once the trigger is
    /// gone the same upgrade goes through, so the trigger was the only obstacle.
    @Test(arguments: refusedWrites)
    func failureAtAnyWriteLeavesTheCustomerOnTheOldVersion(_ trigger: String) throws {
        let test = try Self.acmeOnShipped100()
        let before = try test.store.customerReport(slug: "acme")
        let evidence = try test.store.evidence(customer: "acme")
        let events = try test.store.log(customer: "acme")
        // The same trigger in each engine's dialect (PostgreSQL's WHEN takes parentheses).
        let table = trigger.split(separator: " ").drop { $0 != "ON" }.dropFirst().first.map(String.init) ?? ""
        try test.store.write { db in
            if db.isPostgres {
                let parts = trigger.components(separatedBy: " WHEN ")
                let when = parts.count > 1 ? " WHEN (\(parts[1]))" : ""
                try db.execute(
                    """
                    CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN RAISE EXCEPTION 'refused by the test'; END $$
                    """, [])
                try db.execute("CREATE TRIGGER refuse \(parts[0]) FOR EACH ROW\(when) EXECUTE FUNCTION refuse()", [])
            } else {
                try db.execute(
                    "CREATE TRIGGER refuse \(trigger) BEGIN SELECT RAISE(ABORT, 'refused by the test'); END", [])
            }
        }
        #expect(throws: StoreError.self) {
            try test.store.upgrade(customer: "acme", to: try Self.shipped("1.1.0"), by: "dana")
        }
        #expect(try test.store.customerReport(slug: "acme") == before)
        #expect(try test.store.evidence(customer: "acme") == evidence)
        #expect(try test.store.log(customer: "acme") == events)
        #expect(try test.store.verifyAudit().problems.isEmpty)

        try test.store.write { db in
            try db.execute(db.isPostgres ? "DROP TRIGGER refuse ON \(table)" : "DROP TRIGGER refuse", [])
        }
        try test.store.upgrade(customer: "acme", to: try Self.shipped("1.1.0"), by: "dana")
        #expect(try test.store.customer("acme").template.version == "1.1.0")
    }

    @Test func downgradeAndSameVersionAreRefused() throws {
        let test = try Self.acmeOnShipped100()
        try test.store.upgrade(customer: "acme", to: try Self.shipped("1.1.0"), by: "dana")
        #expect(throws: StoreError.self) {
            try test.store.upgrade(customer: "acme", to: try Self.shipped("1.0.0"), by: "dana")
        }
        #expect(throws: StoreError.self) {
            try test.store.upgrade(customer: "acme", to: try Self.shipped("1.1.0"), by: "dana")
        }
        #expect(try test.store.customer("acme").template.version == "1.1.0")
    }

    /// An item recorded n/a by its condition comes back when a later version drops the
    /// condition; an item a person marked n/a stays, whatever its reason says.
    @Test func itemsRuledOutByTheirConditionComeBackAndPeoplesChoicesStay() throws {
        let test = try TestStore.withAcme()
        try test.store.mark(
            customer: "acme", item: "order-form", status: .notApplicable,
            reason: "applies only when the customer asks", by: "dana")
        var next = sampleTemplate(version: "1.1.0", sha: String(repeating: "b", count: 64))
        for index in next.items.indices { next.items[index].when = nil }
        try test.store.upgrade(customer: "acme", to: next, by: "dana")
        let items = try test.store.customerReport(slug: "acme").items
        #expect(items.first { $0.id == "hipaa-baa" }?.status == .todo)
        #expect(items.first { $0.id == "order-form" }?.status == .notApplicable)
        #expect(try test.store.verifyAudit().problems.isEmpty)
    }

    /// a (1.0.0) → b (1.1.0, replaces a) → c (1.2.0, replaces b): history follows the chain,
    /// step by step and in one jump.
    @Test func replacesChains() throws {
        func version(_ v: String, _ items: [Item]) -> Template {
            Template(
                id: "chain", version: SemanticVersion(v) ?? SemanticVersion(0, 0, 0), title: "Chain", roles: [],
                releaseNotes: nil, parameters: [],
                sections: [Section(number: "1", title: "Only", level: 2, position: .start)],
                items: items + [Item(id: "keep", section: "1", title: "Kept", evidence: [.note])],
                path: "", sha256: v, body: "")
        }
        let v1 = version("1.0.0", [Item(id: "a", section: "1", title: "A", evidence: [.note])])
        let v2 = version("1.1.0", [Item(id: "b", section: "1", title: "B", evidence: [.note], replaces: ["a"])])
        let v3 = version("1.2.0", [Item(id: "c", section: "1", title: "C", evidence: [.note], replaces: ["b"])])
        for jump in [false, true] {
            let test = try TestStore()
            try test.store.createCustomer(
                NewCustomer(slug: "acme", name: "Acme", email: "a@acme.example"), template: v1, by: "dana")
            try test.store.addEvidence(customer: "acme", item: "a", content: .note("done on a"), by: "dana")
            try test.store.mark(customer: "acme", item: "a", status: .done, by: "dana")
            if jump {
                try test.store.upgrade(customer: "acme", to: v3, through: [v2], by: "dana")
            } else {
                try test.store.upgrade(customer: "acme", to: v2, by: "dana")
                try test.store.upgrade(customer: "acme", to: v3, by: "dana")
            }
            let c = try test.store.customerReport(slug: "acme").items.first { $0.id == "c" }
            #expect(c?.status == .done, "jump: \(jump)")
            #expect(c?.evidence.first?.kind == "note", "jump: \(jump)")
            #expect(try test.store.verifyAudit().problems.isEmpty)
        }
    }
}

/// Marks every open item of a section done over the gate, so the section can be signed off.
func settle(_ store: Store, section: String, slug: String = "acme") throws {
    for item in try store.customerReport(slug: slug).items
    where (item.section == section || item.section.hasPrefix(section + ".")) && !item.status.isSettled {
        try store.mark(
            customer: slug, item: item.id, status: .done, reason: "settled for the sign-off", force: true, by: "sam")
    }
}
