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

    /// A trail cut short together with the rows it wrote is consistent in itself; the head the
    /// packet recorded is what shows it.
    @Test func aShortenedTrailShowsAgainstThePacketsHead() throws {
        let t = try populated()
        let older = t.directory.path("older.sqlite").path
        #expect(try t.sop(["backup", older]).status == 0)
        #expect(try t.sop(["assign", "acme", "root.mfa", "--to", "sam"]).status == 0)
        let packet = t.directory.path("packet").path
        #expect(try t.sop(["handover", "acme", "--out", packet]).status == 0)
        let markdown = try String(contentsOfFile: packet + "/handover.md", encoding: .utf8)
        let row = try #require(markdown.split(separator: "\n").first { $0.hasPrefix("| Audit trail |") })
        let head = String(try #require(row.split(separator: "`").dropFirst().first))
        let verified = try t.sop(["audit", "verify"])
        #expect(verified.stdout.hasSuffix("head \(head)\n"), "\(verified.stdout) vs \(head)")
        #expect(try t.sop(["audit", "verify", "--head", head]).status == 0)

        // Someone puts the older tracker back: intact on its own, but not the trail the packet saw.
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: t.db + suffix) }
        try FileManager.default.copyItem(atPath: older, toPath: t.db)
        #expect(try t.sop(["audit", "verify"]).status == 0)
        let shortened = try t.sop(["audit", "verify", "--head", head])
        #expect(shortened.status == 1)
        #expect(shortened.stdout.contains("head \(head): not in the audit trail (the trail was cut short"))

        let malformed = try t.sop(["audit", "verify", "--head", "12:xyz"])
        #expect(malformed.status != 0 && malformed.stderr.contains("'12:xyz' is not an audit head"))
    }
}
