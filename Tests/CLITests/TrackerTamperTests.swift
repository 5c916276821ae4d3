import Foundation
import TestSupport
import Testing

/// Rows changed behind sop's back with the `sqlite3` shell are found by `sop audit verify`.
@Suite struct TrackerTamperTests {
    func populated() throws -> TrackerFixture {
        let t = TrackerFixture()
        #expect(try t.createAcme().status == 0)
        let file = try t.directory.write("policy.md", "# Policy\n")
        for args in [
            ["evidence", "add", "acme", "prep.root-email", "--note", "root@acme"],
            ["evidence", "add", "acme", "prep.company-details", "--file", file.path],
            ["mark", "acme", "prep.root-email", "done"],
            ["evidence", "add", "acme", "prep.compliance", "--note", "hipaa"],
        ] {
            let r = try t.sop(args)
            #expect(r.status == 0, "\(args): \(r.stderr)")
        }
        #expect(try t.sop(["audit", "verify"]).status == 0)
        return t
    }

    func expectBroken(_ t: TrackerFixture, _ sql: String, naming expected: String) throws {
        let shell = try t.sqlite(sql)
        #expect(shell.status == 0, "\(shell.stderr)")
        let r = try t.sop(["audit", "verify"])
        #expect(r.status == 1, "tampering not detected: \(sql)")
        #expect(r.stdout.contains(expected), "expected '\(expected)' in \(r.stdout)")
    }

    @Test func alteredEvent() throws {
        try expectBroken(
            populated(), "UPDATE audit_event SET actor = 'mallory' WHERE seq = 2", naming: "event 2: content changed")
    }

    @Test func alteredEvidenceNote() throws {
        try expectBroken(
            populated(), "UPDATE evidence SET text = 'other' WHERE id = 1", naming: "evidence E1: content changed")
    }

    @Test func alteredBlob() throws {
        try expectBroken(populated(), "UPDATE blob SET bytes = CAST('# Evil' AS BLOB)", naming: "content changed")
    }

    @Test func insertedEvent() throws {
        try expectBroken(
            populated(),
            """
            INSERT INTO audit_event (seq, customer, actor, at, action, target, before, after, prev_hash, hash)
            SELECT seq + 1, customer, 'mallory', at, 'item.mark', 'root.mfa', '{}', '{"status":"done"}', hash, hash
            FROM audit_event ORDER BY seq DESC LIMIT 1
            """, naming: "event 6: inserted")
    }

    @Test func insertedEvidence() throws {
        try expectBroken(
            populated(),
            """
            INSERT INTO evidence (customer_id, item_id, kind, text, sha256, size, added_by, added_at, internal)
            SELECT customer_id, item_id, kind, text, sha256, size, 'mallory', added_at, 0 FROM evidence WHERE id = 1
            """, naming: "evidence E4: not in the audit trail")
    }

    @Test func alteredItemStatus() throws {
        try expectBroken(
            populated(), "UPDATE item SET status = 'done' WHERE item_id = 'root.mfa'",
            naming: #"item acme/root.mfa: status is "done", the audit trail says "todo""#)
    }

    @Test func deletedMiddleEvent() throws {
        try expectBroken(populated(), "DELETE FROM audit_event WHERE seq = 3", naming: "event 3: deleted")
    }

    @Test func deletedLastEvent() throws {
        try expectBroken(
            populated(), "DELETE FROM audit_event WHERE seq = (SELECT MAX(seq) FROM audit_event)",
            naming: "event 5: deleted")
    }

    @Test func deletedEvidence() throws {
        try expectBroken(
            populated(), "PRAGMA foreign_keys = OFF; DELETE FROM evidence WHERE id = 3", naming: "evidence E3: deleted")
    }
}
