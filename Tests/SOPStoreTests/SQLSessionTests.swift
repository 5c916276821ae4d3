import Foundation
import GRDB
import Testing

@testable import SOPStore

/// The one statement interface both engines implement (its PostgreSQL side is exercised on a
/// real server by the copy and conformance tests).
@Suite struct SQLSessionTests {
    @Test(arguments: [
        ("SELECT ? , ?", "SELECT $1 , $2"),
        ("INSERT INTO t VALUES (?, 'a?b', \"c?\", ?)", "INSERT INTO t VALUES ($1, 'a?b', \"c?\", $2)"),
        ("SELECT 'it''s ?' , ?", "SELECT 'it''s ?' , $1"),
        ("SELECT 1", "SELECT 1"),
    ])
    func placeholdersAreNumberedOutsideQuotes(sql: String, numbered: String) {
        #expect(PostgresSession.numbered(sql) == numbered)
    }

    @Test func valuesReadBackAsTheyAreStoredOnSQLite() throws {
        let queue = try DatabaseQueue()
        let bytes = Data([0, 1, 0xfe, 0xff])
        let rows = try queue.write { db -> [SQLRow] in
            try db.execute("CREATE TABLE t (i INTEGER, s TEXT, b BLOB, n TEXT, f BOOLEAN)", [])
            try db.execute(
                "INSERT INTO t VALUES (?, ?, ?, ?, ?)", [.integer(-7), .text("é?"), .bytes(bytes), .null, .integer(1)])
            return try db.rows("SELECT i, s, b, n, f FROM t", [])
        }
        #expect(
            rows == [
                SQLRow(
                    columns: ["i", "s", "b", "n", "f"],
                    values: [.integer(-7), .text("é?"), .bytes(bytes), .null, .integer(1)])
            ])
    }

    @Test func postgresTextIsReadByItsType() throws {
        #expect(try PostgresSession.value("t", type: 16, column: "c") == .integer(1))
        #expect(try PostgresSession.value("f", type: 16, column: "c") == .integer(0))
        #expect(try PostgresSession.value("\\x00fe", type: 17, column: "c") == .bytes(Data([0, 0xfe])))
        #expect(try PostgresSession.value("-42", type: 20, column: "c") == .integer(-42))
        #expect(try PostgresSession.value("42", type: 25, column: "c") == .text("42"))
        #expect(try PostgresSession.value(nil, type: 25, column: "c") == .null)
        #expect(throws: SQLValueProblem.self) { try PostgresSession.value("\\x0", type: 17, column: "c") }
        #expect(PostgresSession.text(.bytes(Data([0xab, 0x01]))) == "\\xab01")
    }
}
