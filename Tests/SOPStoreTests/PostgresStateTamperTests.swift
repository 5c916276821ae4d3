import Foundation
import SOPCore
import TestSupport
import Testing

@testable import SOPStore

/// ``StateTamperTests`` on PostgreSQL: every column of every tracked table changed, and every
/// table's rows inserted and deleted, with `psql` as the database's owner (triggers off, so
/// neither the append-only trigger nor a foreign key stands in the way): `sop audit verify`
/// names each one, table, row, column and both values, as on SQLite.
@Suite struct PostgresStateTamperTests {
    /// The same rows as the SQLite fixture, written by the store on the server; its connection
    /// is closed, so each attack works on a copy (`CREATE DATABASE … TEMPLATE`).
    static let fixture: Result<String, any Error> = Result {
        let test = try StateTamperTests.makeFixture(postgreSQL: true)
        test.store.close()
        return test.trackerLocation
    }

    /// The report after running `sql` through psql on a copy of the fixture, then `after`.
    func tampered(_ sql: String, then after: (Store) throws -> Void = { _ in }) throws -> AuditReport {
        let copy = try TestEngine.copy(of: try Self.fixture.get())
        try TestEngine.psql("SET session_replication_role = replica;\n\(sql)", tracker: copy)
        guard case .server(let connection) = TrackerLocation(copy) else { throw StoreError.badInput(copy) }
        let store = try Store.open(server: connection)
        defer { store.close() }
        try after(store)
        return try store.verifyAudit()
    }

    /// Each tracked table's columns and types, from the server's catalog.
    static func columns(_ table: String) throws -> [(name: String, type: String, key: Bool)] {
        let tracker = try fixture.get()
        let key = Set(
            try TestEngine.psql(
                """
                SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid
                AND a.attnum = ANY(i.indkey) WHERE i.indrelid = '\(table)'::regclass AND i.indisprimary
                """, tracker: tracker
            ).split(separator: "\n").map(String.init))
        return try TestEngine.psql(
            """
            SELECT column_name || '|' || data_type FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name = '\(table)' ORDER BY ordinal_position
            """, tracker: tracker
        ).split(separator: "\n").map { line in
            let parts = line.split(separator: "|").map(String.init)
            return (parts[0], parts[1], key.contains(parts[0]))
        }
    }

    /// A change of one column of the first row that has a value there (any row when none has):
    /// numbers go up by 1,000, booleans flip, text gets a suffix, NULL becomes a value.
    static func change(_ table: String, _ column: String, type: String) -> String {
        let changed: String
        let filled: String
        switch type {
        case "bigint", "integer":
            changed = "\"\(column)\" + 1000"
            filled = "1000"
        case "boolean":
            changed = "NOT \"\(column)\""
            filled = "TRUE"
        case "bytea":
            changed = "'tampered'::bytea"
            filled = changed
        default:
            changed = "\"\(column)\" || '-tampered'"
            filled = "'tampered'"
        }
        return """
            UPDATE "\(table)" SET "\(column)" = CASE WHEN "\(column)" IS NULL THEN \(filled) ELSE \(changed) END
            WHERE ctid = coalesce(
                (SELECT ctid FROM "\(table)" WHERE "\(column)" IS NOT NULL ORDER BY ctid LIMIT 1),
                (SELECT ctid FROM "\(table)" ORDER BY ctid LIMIT 1));
            """
    }

    @Test(arguments: TrackedTable.all.map(\.name))
    func everyChangedColumnIsNamed(table: String) throws {
        let tracked = try #require(TrackedTable.byName[table])
        let columns = try Self.columns(table)
        #expect(!columns.isEmpty)
        for (column, type, isKey) in columns {
            let report = try tampered(Self.change(table, column, type: type))
            #expect(!report.isIntact, "\(table).\(column) changed, not detected")
            if tracked.derived[column] != nil {
                #expect(
                    report.problems.contains { $0.contains("content changed") }
                        || report.differences.contains { $0.table == table && $0.column == column },
                    "\(table).\(column): \(report.problems)")
            } else if isKey {
                #expect(report.differences.contains { $0.table == table && $0.found == nil }, "\(table).\(column)")
                #expect(report.differences.contains { $0.table == table && $0.expected == nil }, "\(table).\(column)")
            } else {
                let named = report.differences.filter { $0.table == table && $0.column == column }
                #expect(named.count == 1, "\(table).\(column): \(report.problems)")
                if let difference = named.first {
                    #expect(difference.expected != difference.found)
                    #expect(report.problems.contains(difference.line))
                }
            }
        }
    }

    @Test(arguments: TrackedTable.all.map(\.name))
    func anInsertedRowIsNamed(table: String) throws {
        let columns = try Self.columns(table)
        let keyed = columns.filter(\.key).map(\.name)
        let values = columns.map { column -> String in
            if ["slug", "token_sha256"].contains(column.name) { return "\"\(column.name)\" || '-copy'" }
            guard column.key, column.name == keyed.last else { return "\"\(column.name)\"" }
            if table == "baseline" { return "\"\(column.name)\" + 1000" }
            return keyed == ["id"] && !["api_token", "invite"].contains(table)
                ? "(SELECT max(id) + 1 FROM \"\(table)\")" : "\"\(column.name)\" || '-copy'"
        }
        let list = columns.map { "\"\($0.name)\"" }.joined(separator: ", ")
        let report = try tampered(
            """
            INSERT INTO "\(table)" (\(list)) SELECT \(values.joined(separator: ", ")) FROM "\(table)"
            WHERE ctid = (SELECT ctid FROM "\(table)" ORDER BY ctid LIMIT 1);
            """)
        let inserted = report.differences.filter { $0.table == table && $0.expected == nil }
        #expect(inserted.count == 1, "\(table): \(report.problems)")
        #expect(inserted.first.map { report.problems.contains($0.line) } == true)
    }

    @Test(arguments: TrackedTable.all.map(\.name))
    func aDeletedRowIsNamed(table: String) throws {
        let report = try tampered(
            #"DELETE FROM "\#(table)" WHERE ctid = (SELECT ctid FROM "\#(table)" ORDER BY ctid DESC LIMIT 1);"#)
        let deleted = report.differences.filter { $0.table == table && $0.found == nil }
        #expect(deleted.count == 1, "\(table): \(report.problems)")
        #expect(deleted.first.map { report.problems.contains("\($0.key): deleted") } == true)
    }

    /// The issue's reproductions, on the server.
    @Test func theReportedTamperingIsNamed() throws {
        let signer = try tampered("UPDATE signoff SET signed_by = 'mallory' WHERE id = 2;")
        #expect(signer.problems.contains(#"sign-off S2: signed_by is "mallory", the audit trail says "pat""#))
        let internalNote = try tampered("UPDATE evidence SET internal = FALSE WHERE id = 2;")
        #expect(internalNote.problems.contains("evidence E2: internal is 0, the audit trail says 1"))
        let customer = try tampered("UPDATE customer SET email = 'mallory@evil.example';")
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
        #expect(report.problems.contains("verification run V2: not in the audit trail (inserted)"))
    }

    /// An edit behind sop's back is not laundered by sop rewriting the row on the server either:
    /// the trigger's earlier image goes into the event.
    @Test func anEditCarriedForwardBySopIsNamed() throws {
        let next = (try StateTamperTests.fixture.store.activity(limit: 1).first?.seq ?? 0) + 1
        let report = try tampered("UPDATE item SET assignee = 'mallory' WHERE item_id = 'root-vault';") { store in
            try store.mark(customer: "acme", item: "root-vault", status: .inProgress, by: "dana")
        }
        #expect(
            report.problems == [
                #"item acme/root-vault: assignee was "mallory" before event \#(next) rewrote the row, the audit trail says "sam" (changed behind sop's back)"#
            ])
    }

    /// Even sop's own connection cannot rewrite history: the audit table refuses it.
    @Test func theAuditTrailRefusesUpdateAndDelete() throws {
        let copy = try TestEngine.copy(of: try Self.fixture.get())
        for sql in ["UPDATE audit_event SET actor = 'mallory' WHERE seq = 2", "DELETE FROM audit_event WHERE seq = 2"] {
            #expect(throws: (any Error).self) { try TestEngine.psql(sql, tracker: copy) }
        }
    }
}
