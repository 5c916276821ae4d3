import Foundation
import SOPPostgres
import Synchronization
import TestSupport
import Testing

@testable import SOPStore

/// The tracker's schema on a real PostgreSQL server (a throwaway cluster the test starts):
/// migrations under an advisory lock, the schema check, the append-only audit table, and
/// failures as one line without the password.
@Suite(.serialized) struct PostgresTrackerTests {
    static let server = Result { try PostgresServer.start() }

    func fresh() throws -> (server: PostgresServer, connection: ConnectionString) {
        let server = try Self.server.get()
        let database = try server.createDatabase()
        return (server, ConnectionString(server.uri(database: database)))
    }

    @Test func migrateAppliesTheSameMigrationsOnceAndStatusShowsThem() throws {
        let (server, connection) = try fresh()
        #expect(try PostgresTracker.migrate(connection) == Migrations.identifiers)
        #expect(try PostgresTracker.migrate(connection).isEmpty)
        let status = try PostgresTracker.status(connection)
        #expect(status.engine == "postgresql")
        #expect(status.schema == "v6" && status.isCurrent)
        #expect(status.serverVersion.hasPrefix("1"))
        #expect(status.tables.map(\.table) == TrackerStatus.countedTables)
        #expect(status.tables.allSatisfy { $0.rows == 0 })
        #expect(!status.location.contains(server.adminPassword))
        #expect(status.location.hasPrefix("postgresql://\(server.adminUser)@127.0.0.1:\(server.port)/"))
        #expect(try server.psql("SELECT count(*) FROM chain_head", database: database(of: connection)) == "1")
    }

    @Test func concurrentMigrationsWaitForEachOther() throws {
        let (_, connection) = try fresh()
        let results = Mutex<[[String]]>([])
        DispatchQueue.concurrentPerform(iterations: 6) { _ in
            let applied = (try? PostgresTracker.migrate(connection)) ?? ["failed"]
            results.withLock { $0.append(applied) }
        }
        let all = results.withLock { $0 }
        #expect(all.count == 6)
        #expect(all.filter { $0 == Migrations.identifiers }.count == 1, "\(all)")
        #expect(all.filter(\.isEmpty).count == 5, "\(all)")
    }

    @Test func anOlderSchemaIsShownWithWhatToRunAndANewerOneIsRefused() throws {
        let (server, connection) = try fresh()
        let name = database(of: connection)
        _ = try server.psql(PostgresSchema.ledger, database: name)
        _ = try server.psql(PostgresSchema.migrations[0].sql, database: name)
        _ = try server.psql("INSERT INTO grdb_migrations VALUES ('v1')", database: name)
        let older = try PostgresTracker.status(connection)
        #expect(older.schema == "v1" && !older.isCurrent)
        #expect(throws: StoreError.self) { try PostgresTracker.requireCurrentSchema(older) }
        do {
            try PostgresTracker.requireCurrentSchema(older)
        } catch {
            #expect(
                error.message.hasSuffix("the schema is at v1, this sop needs v6; run `sop db migrate` with this --db"))
        }
        #expect(try PostgresTracker.migrate(connection) == ["v2", "v3", "v4", "v5", "v6"])
        _ = try server.psql("INSERT INTO grdb_migrations VALUES ('v9')", database: name)
        do {
            _ = try PostgresTracker.migrate(connection)
            Issue.record("a newer schema was migrated")
        } catch {
            #expect(error.message.hasSuffix("the schema has migrations this sop does not know (v9); use a newer sop"))
        }
    }

    @Test func theAuditTrailRefusesUpdateDeleteAndTruncateEvenForItsOwner() throws {
        let (server, connection) = try fresh()
        let name = database(of: connection)
        _ = try PostgresTracker.migrate(connection)
        _ = try server.psql(
            "INSERT INTO audit_event (seq, actor, at, action, target, before, after, prev_hash, hash) "
                + "VALUES (1, 'dana', 't', 'a', 't', '{}', '{}', 'p', 'h')", database: name)
        for statement in [
            "UPDATE audit_event SET actor = 'mallory'", "DELETE FROM audit_event", "TRUNCATE audit_event",
        ] {
            #expect(throws: (any Error).self, "\(statement) was allowed") {
                try server.psql(statement, database: name)
            }
        }
        #expect(try server.psql("SELECT actor FROM audit_event", database: name) == "dana")
    }

    /// A fresh migrated tracker and the connection string of a role holding exactly the grants
    /// `Documentation/team-mode-grants.sql` gives, applied as written.
    private func grantedRole() throws -> (server: PostgresServer, app: String) {
        let (server, connection) = try fresh()
        let name = database(of: connection)
        _ = try PostgresTracker.migrate(connection)
        let role = "sop_app_\(name.suffix(6))"
        try server.createRole(role, password: "app-password")
        let grants = try String(
            contentsOf: Paths.repositoryRoot.appendingPathComponent("Documentation/team-mode-grants.sql"),
            encoding: .utf8)
        _ = try server.psql(grants.replacingOccurrences(of: ":\"app\"", with: "\"\(role)\""), database: name)
        let app = server.uri(database: name, user: role, password: "app-password")
        return (server, app)
    }

    /// The grants `Documentation/TeamMode.md` gives the day-to-day role, run as written.
    @Test func theDayToDayRoleCannotRewriteHistoryOrTheSchema() throws {
        let (server, app) = try grantedRole()
        func asApp(_ sql: String) throws -> String { try server.psql(sql, conninfo: app, password: "app-password") }
        _ = try asApp(
            "INSERT INTO audit_event (seq, actor, at, action, target, before, after, prev_hash, hash) "
                + "VALUES (1, 'dana', 't', 'a', 't', '{}', '{}', 'p', 'h')")
        #expect(try asApp("SELECT count(*) FROM audit_event") == "1")
        _ = try asApp("UPDATE chain_head SET count = 1")
        for refused in [
            "UPDATE audit_event SET actor = 'mallory'", "DELETE FROM audit_event", "DELETE FROM customer",
            "ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only", "DROP TABLE signoff",
            "UPDATE grdb_migrations SET identifier = 'v9'",
        ] {
            #expect(throws: (any Error).self, "\(refused) was allowed") { try asApp(refused) }
        }
    }

    /// Everything sop does day to day works with those grants, through the real binary.
    @Test func theDayToDayRoleRunsEveryWrite() throws {
        let (server, app) = try grantedRole()
        // Everything sop does day to day works with these grants, through the real binary.
        let folder = TemporaryDirectory("sop-grants")
        let file = try folder.write("order.pdf", "%PDF-1.4 order form\n")
        for arguments in [
            ["new", "acme", "--name", "Acme", "--email", "root@acme.example", "--template", "aws-account@1.0.0"],
            ["evidence", "add", "acme", "prep.company-details", "--file", file.path],
            ["evidence", "add", "acme", "prep.root-email", "--note", "root@acme"],
            ["mark", "acme", "prep.root-email", "done"], ["assign", "acme", "prep.billing-info", "--to", "sam"],
            ["evidence", "retract", "acme", "E2", "--reason", "superseded"],
            ["audit", "verify"], ["backup", folder.path("backup.sqlite").path],
        ] {
            let result = try runSOP(arguments, environment: ["SOP_DB": app, "SOP_USER": "dana"])
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
        #expect(throws: (any Error).self) {
            try server.psql("DELETE FROM audit_event", conninfo: app, password: "app-password")
        }
    }

    @Test func failuresAreOneLineAndNeverHoldThePassword() throws {
        let server = try Self.server.get()
        let cases = [
            server.uri(database: "postgres", password: "wrong-password-123"),
            server.uri(database: "no_such_database"),
            "postgresql://sop:secret-pw-456@127.0.0.1:\(try MotoServer.freePort())/x",
        ]
        for text in cases {
            do {
                _ = try PostgresTracker.status(ConnectionString(text))
                Issue.record("\(text) connected")
            } catch {
                #expect(!error.message.contains("\n"))
                #expect(!error.message.contains("wrong-password-123") && !error.message.contains("secret-pw-456"))
                #expect(!error.message.contains(server.adminPassword))
                #expect(error.message.hasPrefix("--db postgresql://"), "\(error.message)")
            }
        }
    }

    func database(of connection: ConnectionString) -> String {
        String(connection.text.split(separator: "/").last ?? "")
    }
}
