import Foundation
import TestSupport
import Testing

/// The throwaway PostgreSQL server the store's PostgreSQL tests run against: it starts, its
/// password authentication is real, it survives a crash with its data, and its TLS certificate
/// verifies. Serialized: each test starts its own cluster, and a few at once only slow each other.
@Suite(.serialized) struct PostgresServerTests {
    @Test func startsAndAnswers() throws {
        let server = try PostgresServer.start()
        #expect(try server.psql("select 1") == "1")
        #expect(try server.psql("select current_user") == "sop_admin")
        #expect(server.caCertificate == nil)
    }

    @Test func databaseAndRoleAuthenticateByPassword() throws {
        let server = try PostgresServer.start()
        let database = try server.createDatabase()
        #expect(
            try server.psql("select pg_get_userbyid(datdba) from pg_database where datname = '\(database)'")
                == "sop_admin")
        try server.createRole("reader", password: "reader-pw")
        let conninfo = "host=\(server.host) port=\(server.port) dbname=\(database) user=reader"
        #expect(
            try server.psql(
                "select current_user || ' ' || current_database()", conninfo: conninfo, password: "reader-pw")
                == "reader \(database)")
        let refused = #expect(throws: PostgresServer.Failure.self) {
            try server.psql("select 1", conninfo: conninfo, password: "wrong-pw")
        }
        #expect(refused?.description.contains("password authentication failed") == true)
        #expect(throws: PostgresServer.Failure.self) { try server.psql("select 1", conninfo: conninfo, password: nil) }
    }

    @Test func uriConnects() throws {
        let server = try PostgresServer.start()
        let database = try server.createDatabase("named db")
        let uri = server.uri(database: database, parameters: ["application_name": "sop test"])
        #expect(uri.hasPrefix("postgresql://sop_admin:\(server.adminPassword)@127.0.0.1:\(server.port)/named%20db?"))
        #expect(try server.psql("show application_name", conninfo: uri, password: nil) == "sop test")
        try server.createRole("writer", password: "writer pw")
        #expect(server.uri(database: "x", user: "writer") == "postgresql://writer@127.0.0.1:\(server.port)/x")
        let writer = server.uri(database: database, user: "writer", password: "writer pw")
        #expect(try server.psql("select current_user", conninfo: writer, password: nil) == "writer")
    }

    @Test func restartAfterACrashKeepsTheData() throws {
        let server = try PostgresServer.start()
        try server.psql("create table kept (x int); insert into kept values (42);")
        try server.stopImmediately()
        #expect(throws: PostgresServer.Failure.self) { try server.psql("select 1") }
        try server.restart()
        #expect(try server.psql("select x from kept") == "42")
    }

    @Test func tlsCertificateVerifiesForLocalhost() throws {
        let server = try PostgresServer.start(tls: true)
        let ca = try #require(server.caCertificate)
        let conninfo =
            "host=localhost port=\(server.port) dbname=postgres user=\(server.adminUser) sslmode=verify-full sslrootcert=\(ca)"
        let ssl = "select ssl from pg_stat_ssl where pid = pg_backend_pid()"
        #expect(try server.psql(ssl, conninfo: conninfo, password: server.adminPassword) == "t")
    }

    /// Releasing the server stops it: nothing answers on its port any more.
    @Test func releasingStopsTheServer() throws {
        var server: PostgresServer? = try PostgresServer.start()
        let port = try #require(server?.port)
        #expect(try Self.answers(port))
        server = nil
        #expect(try !Self.answers(port))
    }

    static func answers(_ port: Int) throws -> Bool {
        let probe = try runProcess(
            URL(fileURLWithPath: "/usr/bin/pg_isready"), ["-q", "-h", "127.0.0.1", "-p", String(port), "-t", "2"])
        return probe.status == 0
    }
}
