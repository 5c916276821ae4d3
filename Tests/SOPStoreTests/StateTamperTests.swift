import Foundation
import GRDB
import SOPCore
import TestSupport
import Testing

@testable import SOPStore

/// Every column of every tracked table, changed, and every table's rows inserted and deleted
/// through the `sqlite3` shell: `verifyAudit` names each one (table, row, column, both values).
@Suite struct StateTamperTests {
    /// A tracker with rows in every tracked table, some with NULLs filled in (assignee, due,
    /// expires, retraction, revocation), built once and copied for each attack.
    static let fixture: TestStore = {
        // swift-format-ignore: NeverUseForceTry
        let test = try! makeFixture()
        return test
    }()

    static func makeFixture(postgreSQL: Bool = false) throws -> TestStore {
        let test = try TestStore.withAcme(postgreSQL: postgreSQL)
        let store = test.store
        try store.addEvidence(customer: "acme", item: "root-email", content: .note("root@acme"), by: "dana")
        try store.addEvidence(
            customer: "acme", item: "order-form", content: .file(name: "o.pdf", data: Data([1, 2, 3])), by: "dana",
            expires: "2027-01-01", internal: true)
        try store.addEvidence(
            customer: "acme", item: "root-vault", content: .link("https://vault.example/acme"), by: "dana")
        let retracted = try store.addEvidence(customer: "acme", item: "root-vault", content: .note("old"), by: "dana")
        try store.retractEvidence(customer: "acme", evidence: retracted.id, reason: "superseded", by: "dana")
        try store.mark(customer: "acme", item: "order-form", status: .done, by: "dana")
        try store.assign(customer: "acme", item: "root-vault", to: "sam", due: "2026-04-01", by: "dana")
        try store.signoff(customer: "acme", target: "order-form", role: "Project Manager", by: "pat", note: "ok")
        try store.revokeSignoff(
            customer: "acme", target: "order-form", role: "Project Manager", reason: "redo", by: "pat")
        try store.signoff(customer: "acme", target: "order-form", role: "Project Manager", by: "pat")
        // Accounts, a token and a used invitation: who could sign in is a fact like any other.
        try store.addUser(name: "priya", roles: ["Security Lead"], passwordHash: "$2b$11$abc", by: "dana")
        try store.addUser(name: "sso-only", roles: ["Viewer"], passwordHash: nil, by: "dana")
        try store.disableUser(name: "sso-only", by: "dana")
        try store.addToken(
            user: "priya", tokenSHA256: String(repeating: "a", count: 64), expiresAt: "2027-01-01T00:00:00Z", by: "dana"
        )
        try store.addInvitation(
            customer: "acme", role: "Customer Stakeholder", email: "jo@acme.example",
            tokenSHA256: String(repeating: "b", count: 64), expiresAt: "2099-01-01T00:00:00Z", by: "dana")
        try store.useInvitation(sha256: String(repeating: "b", count: 64), by: "invitation")
        try store.recordCheckResults(
            customer: "acme",
            run: VerificationRun(
                account: "123456789012", regions: ["eu-west-1"], startedAt: Date(), finishedAt: Date(), callsMade: 2,
                results: [
                    CheckResultRecord(
                        checkId: "iam_root_mfa_enabled", itemIds: ["root-mfa"], outcome: .pass, summary: "on"),
                    CheckResultRecord(
                        checkId: "iam_password_policy_strong", itemIds: ["password-policy"], region: "eu-west-1",
                        outcome: .fail, summary: "too short"),
                ]),
            by: "sam")
        // Waivers with every column filled (a decided one, a revoked one) and a baseline.
        let waiver = try store.requestWaiver(
            WaiverRequest(
                customer: "acme", target: "iam_root_mfa_enabled@global", reason: "hardware key in the post",
                expires: "2026-06-30", resources: ["arn:aws:iam::123456789012:root"]),
            checks: ["iam_root_mfa_enabled"], by: "dana")
        try store.decideWaiver(
            customer: "acme", id: waiver.id, decision: .approve, role: "Security Lead", note: "until it arrives",
            by: "pat")
        let revoked = try store.requestWaiver(
            WaiverRequest(customer: "acme", target: "root-vault", reason: "vault migration", expires: "2026-04-30"),
            checks: [], by: "dana")
        try store.decideWaiver(
            customer: "acme", id: revoked.id, decision: .approve, role: "Security Lead", note: nil, by: "pat")
        try store.decideWaiver(
            customer: "acme", id: revoked.id, decision: .revoke, role: nil, note: "migrated", by: "pat")
        try store.setBaseline(customer: "acme", run: "V1", by: "pat")
        // The newest event is a run (V2): `aTruncatedTrailWithAForgedHeadIsNamed` cuts it.
        try store.recordCheckResults(
            customer: "acme",
            run: VerificationRun(
                account: "123456789012", regions: ["eu-west-1"], startedAt: Date(), finishedAt: Date(), callsMade: 1,
                results: [
                    CheckResultRecord(
                        checkId: "iam_password_policy_strong", itemIds: ["password-policy"], region: "us-east-1",
                        outcome: .fail, summary: "too short", observed: ["minimum length": "8"])
                ]),
            by: "sam")
        #expect(try store.verifyAudit().problems == [])
        return test
    }

    /// The report after running `sql` with the `sqlite3` shell on a copy of the fixture, and
    /// then `after` (sop's own writes) on it.
    func tampered(_ sql: String, then after: (Store) throws -> Void = { _ in }) throws -> AuditReport {
        let directory = TemporaryDirectory("sop-tamper")
        let copy = directory.path("copy.sqlite").path
        try Self.fixture.store.backup(to: copy)
        let shell = try runProcess(URL(fileURLWithPath: "/usr/bin/sqlite3"), [copy, sql])
        #expect(shell.status == 0, "\(sql): \(shell.stderr)")
        let store = try Store.open(path: copy, create: false)
        defer { store.close() }
        try after(store)
        return try store.verifyAudit()
    }

    /// Each tracked table's columns, from the live schema.
    static func columns(_ table: String) throws -> [(name: String, key: Bool)] {
        try fixture.store.readSQLite { db in
            let key = Set(try db.primaryKey(table).columns)
            return try db.columns(in: table).map { ($0.name, key.contains($0.name)) }
        }
    }

    /// A change of one column of the first row that has a value there (any row when none has):
    /// numbers go up by 1,000 (clear of other keys), text gets a suffix, NULL becomes text.
    static func change(_ table: String, _ column: String) -> String {
        """
        UPDATE "\(table)" SET "\(column)" = CASE
            WHEN "\(column)" IS NULL THEN 'tampered'
            WHEN typeof("\(column)") = 'integer' THEN "\(column)" + 1000
            WHEN typeof("\(column)") = 'blob' THEN CAST('tampered' AS BLOB)
            ELSE "\(column)" || '-tampered' END
        WHERE rowid = coalesce(
            (SELECT min(rowid) FROM "\(table)" WHERE "\(column)" IS NOT NULL),
            (SELECT min(rowid) FROM "\(table)"))
        """
    }

    @Test(arguments: TrackedTable.all.map(\.name))
    func everyChangedColumnIsNamed(table: String) throws {
        let tracked = try #require(TrackedTable.byName[table])
        for (column, isKey) in try Self.columns(table) {
            let report = try tampered(Self.change(table, column))
            #expect(!report.isIntact, "\(table).\(column) changed, not detected")
            if tracked.derived[column] != nil {
                // Covered by a content hash or derived from the trail.
                #expect(
                    report.problems.contains { $0.contains("content changed") }
                        || report.differences.contains { $0.table == table && $0.column == column },
                    "\(table).\(column): \(report.problems)")
            } else if isKey {
                // A new key: the row the trail wrote is gone and an unexplained one appeared.
                #expect(report.differences.contains { $0.table == table && $0.found == nil }, "\(table).\(column)")
                #expect(report.differences.contains { $0.table == table && $0.expected == nil }, "\(table).\(column)")
            } else {
                let named = report.differences.filter { $0.table == table && $0.column == column }
                #expect(named.count == 1, "\(table).\(column): \(report.problems)")
                if let difference = named.first {
                    #expect(difference.expected != difference.found)
                    #expect(difference.found?.contains("tampered") == true || difference.found?.first?.isNumber == true)
                    #expect(report.problems.contains(difference.line))
                }
            }
        }
    }

    @Test(arguments: TrackedTable.all.map(\.name))
    func anInsertedRowIsNamed(table: String) throws {
        let columns = try Self.columns(table)
        // A copy of the first row under a new key: a fresh id, or a text key column with a suffix.
        let keyed = columns.filter(\.key).map(\.name)
        let values = columns.map { column -> String in
            // Unique, like a key.
            if ["slug", "token_sha256"].contains(column.name) { return "\"\(column.name)\" || '-copy'" }
            guard column.key, column.name == keyed.last else { return "\"\(column.name)\"" }
            // An integer key that is SQLite's rowid takes no text: a number no row has.
            if table == "baseline" { return "\"\(column.name)\" + 1000" }
            return columns.count > 1 && table != "blob" && keyed == ["id"] && !["api_token", "invite"].contains(table)
                ? "NULL" : "\"\(column.name)\" || '-copy'"
        }
        let list = columns.map { "\"\($0.name)\"" }.joined(separator: ", ")
        let report = try tampered(
            """
            INSERT INTO "\(table)" (\(list)) SELECT \(values.joined(separator: ", ")) FROM "\(table)"
            WHERE rowid = (SELECT min(rowid) FROM "\(table)")
            """)
        let inserted = report.differences.filter { $0.table == table && $0.expected == nil }
        #expect(inserted.count == 1, "\(table): \(report.problems)")
        #expect(inserted.first.map { report.problems.contains($0.line) } == true)
    }

    @Test(arguments: TrackedTable.all.map(\.name))
    func aDeletedRowIsNamed(table: String) throws {
        let report = try tampered(#"DELETE FROM "\#(table)" WHERE rowid = (SELECT max(rowid) FROM "\#(table)")"#)
        let deleted = report.differences.filter { $0.table == table && $0.found == nil }
        #expect(deleted.count == 1, "\(table): \(report.problems)")
        #expect(deleted.first.map { report.problems.contains("\($0.key): deleted") } == true)
    }

    /// The reproductions of the issue, each named with what the packet would have shown.
    @Test func theReportedTamperingIsNamed() throws {
        let signer = try tampered("UPDATE signoff SET signed_by = 'mallory' WHERE id = 2")
        #expect(signer.problems.contains(#"sign-off S2: signed_by is "mallory", the audit trail says "pat""#))
        let internalNote = try tampered("UPDATE evidence SET internal = 0 WHERE id = 2")
        #expect(internalNote.problems.contains("evidence E2: internal is 0, the audit trail says 1"))
        let requirements = try tampered(
            "UPDATE item SET evidence_kinds = '[]', depends = '[]' WHERE item_id = 'root-mfa'")
        #expect(
            requirements.problems == [
                #"item acme/root-mfa: depends is "[]", the audit trail says "[\"root-email\"]""#,
                #"item acme/root-mfa: evidence_kinds is "[]", the audit trail says "[\"check\"]""#,
            ])
        let customer = try tampered("UPDATE customer SET email = 'mallory@evil.example'")
        #expect(
            customer.problems == [
                #"customer acme: email is "mallory@evil.example", the audit trail says "root@acme.example""#
            ])
    }

    /// Cutting the newest event and re-heading the chain leaves the rows it wrote unexplained.
    @Test func aTruncatedTrailWithAForgedHeadIsNamed() throws {
        let report = try tampered(
            """
            DELETE FROM audit_event WHERE seq = (SELECT max(seq) FROM audit_event);
            UPDATE chain_head SET count = count - 1,
                last_hash = (SELECT hash FROM audit_event WHERE seq = (SELECT max(seq) FROM audit_event));
            """)
        #expect(!report.isIntact)
        #expect(report.problems.contains("verification run V2: not in the audit trail (inserted)"))
        #expect(report.differences.contains { $0.table == "check_state" && $0.expected == nil })
    }

    /// An edit behind sop's back is not laundered by sop writing the same row afterwards: the
    /// event that rewrote it states what it changed, so the replay sees the row was not as the
    /// trail left it.
    @Test func anEditCarriedForwardBySopIsNamed() throws {
        let next = (try Self.fixture.store.activity(limit: 1).first?.seq ?? 0) + 1
        let report = try tampered("UPDATE item SET assignee = 'mallory' WHERE item_id = 'root-vault'") { store in
            try store.mark(customer: "acme", item: "root-vault", status: .inProgress, by: "dana")
        }
        #expect(
            report.problems == [
                #"item acme/root-vault: assignee was "mallory" before event \#(next) rewrote the row, the audit trail says "sam" (changed behind sop's back)"#
            ])
        // The same column rewritten by sop (the edit overwritten) is still named.
        let reassigned = try tampered("UPDATE item SET assignee = 'mallory' WHERE item_id = 'root-vault'") { store in
            try store.assign(customer: "acme", item: "root-vault", to: "kim", by: "dana")
        }
        #expect(reassigned.problems.count == 1)
        #expect(
            reassigned.problems.first?.hasPrefix(#"item acme/root-vault: assignee was "mallory" before event \#(next)"#)
                == true)
        // A row sop never wrote, then updated by sop.
        let planted = try tampered(
            """
            INSERT INTO signoff (customer_id, target, target_kind, role, signed_by, signed_at, evidence_hash)
            VALUES (1, 'root-vault', 'item', 'Project Manager', 'mallory', '2026-03-02T09:00:00Z', 'x')
            """)
        #expect(planted.problems.contains("sign-off S3: not in the audit trail (inserted)"))
        // Untouched, sop's own writes leave nothing to report.
        let clean = try tampered("SELECT 1") { store in
            try store.mark(customer: "acme", item: "root-vault", status: .inProgress, by: "dana")
            try store.assign(customer: "acme", item: "root-vault", to: "kim", by: "dana")
        }
        #expect(clean.problems == [])
    }
}
