import Foundation
import GRDB
import SOPCore
import TestSupport
import Testing

@testable import SOPStore

@Suite struct AuditTrailTests {
    /// A store with a few events of each kind.
    func populated() throws -> TestStore {
        let test = try TestStore.withAcme()
        try test.store.addEvidence(customer: "acme", item: "root-email", content: .note("root@acme"), by: "dana")
        try test.store.addEvidence(
            customer: "acme", item: "order-form", content: .file(name: "o.pdf", data: Data([1, 2, 3])), by: "dana")
        try test.store.mark(customer: "acme", item: "root-email", status: .done, by: "dana")
        try test.store.mark(customer: "acme", item: "order-form", status: .inProgress, by: "dana")
        try test.store.signoff(customer: "acme", target: "order-form", role: "Project Manager", by: "pat")
        return test
    }

    /// Changes the tracker through a connection of its own, as the `sqlite3` shell or `psql`
    /// would; on PostgreSQL as the database's owner with triggers off (the append-only trigger
    /// stops sop's own role, not an administrator bent on rewriting history).
    func tamper(_ test: TestStore, _ sql: String) throws {
        if TestEngine.isPostgreSQL {
            _ = try TestEngine.psql("SET session_replication_role = replica;\n\(sql)", tracker: test.trackerLocation)
        } else {
            try DatabaseQueue(path: test.store.path).writeWithoutTransaction { try $0.execute(sql: sql) }
        }
    }

    @Test func intactTrailVerifies() throws {
        let test = try populated()
        let report = try test.store.verifyAudit()
        #expect(report.problems == [])
        #expect(report.events == 6 && report.blobs == 1 && report.evidence == 2)
    }

    @Test func changedEventIsNamed() throws {
        let test = try populated()
        try tamper(test, "UPDATE audit_event SET actor = 'mallory' WHERE seq = 3")
        #expect(try test.store.verifyAudit().problems == ["event 3: content changed"])
    }

    @Test func deletedMiddleEventIsNamed() throws {
        let test = try populated()
        try tamper(test, "DELETE FROM audit_event WHERE seq = 2")
        #expect(try test.store.verifyAudit().problems.contains("event 2: deleted"))
    }

    @Test func deletedLastEventIsNamed() throws {
        let test = try populated()
        try tamper(test, "DELETE FROM audit_event WHERE seq = 6")
        #expect(try test.store.verifyAudit().problems.contains { $0.hasPrefix("event 6: deleted") })
    }

    @Test func insertedEventIsNamed() throws {
        let test = try populated()
        try tamper(
            test,
            """
            INSERT INTO audit_event (seq, customer, actor, at, action, target, before, after, prev_hash, hash)
            SELECT 7, customer, 'mallory', at, 'item.mark', 'root-mfa', '{}', '{}', hash, hash FROM audit_event WHERE seq = 6
            """)
        #expect(try test.store.verifyAudit().problems.contains { $0.hasPrefix("event 7: inserted") })
    }

    @Test func statusChangedBehindTheToolsBackIsNamed() throws {
        let test = try populated()
        try test.store.recordCheckResults(
            customer: "acme",
            run: VerificationRun(
                account: nil, regions: [], startedAt: Date(), finishedAt: Date(), callsMade: 1,
                results: [
                    CheckResultRecord(
                        checkId: "iam_root_mfa_enabled", itemIds: ["root-mfa"], outcome: .fail, summary: "no")
                ]),
            by: "sam")
        #expect(try test.store.verifyAudit().problems == [])
        try tamper(test, "UPDATE item SET status = 'done' WHERE item_id IN ('root-mfa', 'hipaa-baa', 'order-form')")
        let problems = try test.store.verifyAudit().problems
        #expect(
            problems == [
                #"item acme/hipaa-baa: status is "done", the audit trail says "n/a""#,
                #"item acme/order-form: status is "done", the audit trail says "in-progress""#,
                #"item acme/root-mfa: status is "done", the audit trail says "failed""#,
            ])
    }

    @Test func changedBlobAndEvidenceAreNamed() throws {
        let test = try populated()
        try tamper(
            test, TestEngine.isPostgreSQL ? "UPDATE blob SET bytes = '\\x010204'" : "UPDATE blob SET bytes = X'010204'")
        try tamper(test, "UPDATE evidence SET text = 'other' WHERE id = 1")
        let problems = try test.store.verifyAudit().problems
        #expect(problems.contains { $0.hasPrefix("blob ") && $0.hasSuffix("content changed") })
        #expect(problems.contains("evidence E1: content changed"))
        #expect(throws: StoreError.self) { try test.store.evidenceContent(customer: "acme", evidence: "E2") }
    }

    @Test func evidenceAndSignoffsOutsideTheTrailAreNamed() throws {
        let test = try populated()
        try tamper(
            test,
            """
            INSERT INTO evidence (id, customer_id, item_id, kind, text, sha256, size, added_by, added_at, internal)
            SELECT 3, customer_id, item_id, kind, text, sha256, size, 'mallory', added_at, internal FROM evidence WHERE id = 1
            """)
        try tamper(test, "DELETE FROM signoff")
        let problems = try test.store.verifyAudit().problems
        #expect(problems.contains("evidence E3: not in the audit trail (inserted)"))
        #expect(problems.contains("sign-off S1: deleted"))
    }
}

@Suite struct BackupTests {
    @Test func backupAndRestoreRoundTrip() throws {
        let test = try TestStore.withAcme()
        try test.store.addEvidence(customer: "acme", item: "root-email", content: .note("root@acme"), by: "dana")
        let backup = test.directory.path("backup.sqlite").path
        try test.store.backup(to: backup)
        #expect(throws: StoreError.self) { try test.store.backup(to: backup) }
        #expect(Store.isSOPDatabase(path: backup))

        let other = test.directory.path("other.sqlite").path
        try Data("not sqlite".utf8).write(to: URL(fileURLWithPath: other))
        #expect(!Store.isSOPDatabase(path: other))
        #expect(throws: StoreError.self) {
            try Store.restore(from: other, to: test.directory.path("x.sqlite").path, force: true)
        }

        let target = test.directory.path("restored.sqlite").path
        try Store.restore(from: backup, to: target, force: false)
        #expect(throws: StoreError.self) { try Store.restore(from: backup, to: target, force: false) }
        try Store.restore(from: backup, to: target, force: true)
        let restored = try Store.open(path: target)
        #expect(try restored.evidence(customer: "acme").count == 1)
        #expect(try restored.verifyAudit().isIntact)
        restored.close()
    }
}

@Suite struct PortfolioTests {
    @Test func urgentCustomersComeFirst() throws {
        let test = try TestStore()
        for slug in ["calm", "stuck", "late"] {
            try test.store.createCustomer(
                NewCustomer(slug: slug, name: slug, email: "\(slug)@x.example"),
                template: sampleTemplate(), by: "dana")
        }
        try test.store.mark(customer: "stuck", item: "root-email", status: .blocked, reason: "no reply", by: "dana")
        try test.store.assign(customer: "late", item: "root-email", to: "sam", due: "2026-01-01", by: "dana")
        let rows = try test.store.portfolio()
        #expect(rows.map(\.slug) == ["late", "stuck", "calm"] || rows.map(\.slug) == ["stuck", "late", "calm"])
        let calm = try #require(rows.last)
        #expect(calm.total == 5 && calm.done == 0 && calm.progress == 0 && calm.template.version == "1.0.0")
    }
}
