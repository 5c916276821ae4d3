import Foundation
import Synchronization
import TestSupport
import Testing

/// `sop db status` and `sop db migrate` through the built binary, on both engines, with every
/// libpq convention a team's machines use: URIs, key=value, `PG*` variables, `~/.pgpass`,
/// services and TLS with `sslmode=verify-full`. The password is never in what `sop` prints.
@Suite(.serialized) struct DatabaseCommandTests {
    static let server = Result { try PostgresServer.start(tls: true) }
    let dir = TemporaryDirectory("sop-db-cli")

    func sop(_ arguments: [String], _ environment: [String: String] = [:]) throws -> ProcessResult {
        try runSOP(
            arguments,
            environment: ["SOP_NOW": "2026-03-02T09:00:00Z", "HOME": dir.url.path].merging(environment) { $1 })
    }

    @Test func migrateThenStatusOnAURI() throws {
        let server = try Self.server.get()
        let uri = server.uri(database: try server.createDatabase())
        let first = try sop(["db", "migrate", "--db", uri])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("migrated postgresql://sop_admin@127.0.0.1:\(server.port)/"))
        #expect(first.stdout.hasSuffix(" to v6: applied v1, v2, v3, v4, v5, v6\n"))
        let again = try sop(["db", "migrate", "--db", uri])
        #expect(again.stdout.hasPrefix("schema v6 is current: "))
        let status = try sop(["db", "status", "--db", uri, "--json"])
        let json = try #require(try JSONSerialization.jsonObject(with: status.stdoutData) as? [String: Any])
        #expect(json["engine"] as? String == "postgresql")
        #expect(json["schema"] as? String == "v6")
        #expect((json["tables"] as? [[String: Any]])?.count == 14)
        for output in [first, again, status] {
            #expect(!(output.stdout + output.stderr).contains(server.adminPassword))
        }
    }

    @Test func theStandardVariablesAndPgpassAreHonoured() throws {
        let server = try Self.server.get()
        let database = try server.createDatabase()
        let variables = [
            "PGHOST": server.host, "PGPORT": "\(server.port)", "PGUSER": server.adminUser,
            "PGDATABASE": database, "PGSSLMODE": "disable",
        ]
        // PGPASSWORD, then ~/.pgpass (which libpq reads only when it is private to its owner).
        let withPassword = try sop(
            ["db", "migrate", "--db", "dbname=\(database)"],
            variables.merging(["PGPASSWORD": server.adminPassword]) { $1 })
        #expect(withPassword.status == 0, "\(withPassword.stderr)")
        let pgpass = try dir.write(
            ".pgpass", "\(server.host):\(server.port):*:\(server.adminUser):\(server.adminPassword)\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: pgpass.path)
        let fromFile = try sop(["db", "status", "--db", "dbname=\(database)"], variables)
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        #expect(fromFile.stdout.contains("schema: v6 (current)"))
        // A service file names the server too.
        let services = try dir.write(
            "services.conf",
            "[team]\nhost=\(server.host)\nport=\(server.port)\nuser=\(server.adminUser)\ndbname=\(database)\n")
        let viaService = try sop(["db", "status", "--db", "service=team"], ["PGSERVICEFILE": services.path])
        #expect(viaService.status == 0, "\(viaService.stderr)")
        #expect(viaService.stdout.contains("engine: postgresql 1"))
    }

    @Test func tlsVerifiesTheServerAgainstTheTeamsCA() throws {
        let server = try Self.server.get()
        let ca = try #require(server.caCertificate)
        let database = try server.createDatabase()
        let secure =
            "host=localhost port=\(server.port) user=\(server.adminUser) dbname=\(database) sslmode=verify-full sslrootcert=\(ca)"
        let ok = try sop(["db", "migrate", "--db", secure], ["PGPASSWORD": server.adminPassword])
        #expect(ok.status == 0, "\(ok.stderr)")
        // Another CA (here: none the server's certificate chains to) is refused.
        let other = try dir.write("other-ca.pem", "")
        let refused = try sop(
            ["db", "status", "--db", secure.replacingOccurrences(of: ca, with: other.path)],
            ["PGPASSWORD": server.adminPassword])
        #expect(refused.status == 2)
        #expect(refused.stderr.hasPrefix("sop: error: --db postgresql://"))
        #expect(refused.stderr.split(separator: "\n").count == 1)
    }

    @Test func badServersAreOneLineErrorsThatExit2() throws {
        let server = try Self.server.get()
        let wrong = try sop(["db", "status", "--db", server.uri(database: "postgres", password: "not-the-password")])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("password authentication failed"))
        #expect(!wrong.stderr.contains("not-the-password"))
        let unknown = try sop(["db", "status", "--db", server.uri(database: "nope")])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("\"nope\" does not exist"))
        // A database without the schema is refused in one line saying what to run, and no file
        // is created (a connection string never becomes a file name).
        let status = try runSOP(
            ["new", "acme", "--name", "Acme", "--email", "a@acme.example", "--db", server.uri(database: "postgres")],
            environment: ["HOME": dir.url.path], currentDirectory: dir.url)
        #expect(status.status == 2)
        #expect(status.stderr.contains("no sop schema yet; run `sop db migrate` with this --db first"))
        #expect(status.stderr.split(separator: "\n").count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).isEmpty)
        // `sop restore` replaces a file: onto a server it points to `sop db copy`.
        let restore = try runSOP(
            ["restore", "backup.sqlite", "--db", server.uri(database: "postgres")],
            environment: ["HOME": dir.url.path], currentDirectory: dir.url)
        #expect(restore.status == 2)
        #expect(
            restore.stderr.contains("`sop restore` replaces a tracker file; onto a PostgreSQL server use `sop db copy"))
    }

    @Test func statusOnSQLite() throws {
        let db = dir.path("sop.sqlite").path
        #expect(
            try sop(["new", "acme", "--name", "Acme", "--email", "a@acme.example", "--db", db]).status == 0)
        let status = try sop(["db", "status", "--db", db])
        #expect(status.stdout.hasPrefix("engine: sqlite 3."))
        #expect(status.stdout.contains("schema: v6 (current)\n"))
        #expect(status.stdout.contains("  customer: 1\n"))
    }

    /// A tracker with customers, every kind of evidence (a file in a blob), marks, sign-offs and
    /// a retraction; returns its path.
    func seededTracker() throws -> String {
        let db = dir.path("source.sqlite").path
        let env = ["SOP_DB": db, "SOP_USER": "dana"]
        func run(_ arguments: [String]) throws {
            let result = try sop(arguments, env)
            #expect(result.status == 0, "sop \(arguments.joined(separator: " ")): \(result.stderr)")
        }
        try run([
            "new", "acme", "--name", "Acme Corp", "--email", "root@acme.example", "--compliance", "hipaa",
            "--regions", "us-east-1", "--owner", "dana", "--due", "2026-12-18",
        ])
        try run(["new", "globex", "--name", "Globex", "--email", "cloud@globex.example"])
        let file = try dir.write("order form.txt", "Signed order form.\n")
        try run(["evidence", "add", "acme", "prep.company-details", "--file", file.path])
        try run(["evidence", "add", "acme", "prep.root-email", "--note", "Root mailbox is a distribution list"])
        try run(["evidence", "add", "acme", "prep.root-email", "--link", "https://wiki.example/acme"])
        try run(["evidence", "add", "acme", "prep.root-email", "--note", "internal remark", "--internal"])
        try run(["evidence", "retract", "acme", "E4", "--reason", "wrong customer"])
        try run(["mark", "acme", "prep.root-email", "done"])
        try run(["evidence", "add", "acme", "gov.access-control", "--file", file.path])
        try run(["mark", "acme", "gov.access-control", "in-progress"])
        try run(["signoff", "acme", "gov.access-control", "--role", "Customer Stakeholder", "--by", "sam"])
        try run(["mark", "globex", "prep.root-email", "blocked", "--reason", "waiting for IT"])
        return db
    }

    @Test func copyRoundTripsATrackerThroughPostgreSQL() throws {
        let server = try Self.server.get()
        let source = try seededTracker()
        let uri = server.uri(database: try server.createDatabase())
        let there = try sop(["db", "copy", "--from", source, "--to", uri])
        #expect(there.status == 0, "\(there.stderr)")
        #expect(there.stdout.contains(", audit trail intact, head "))
        #expect(!there.stdout.contains(server.adminPassword))
        // Into a database that already holds a tracker: refused, nothing changes.
        let again = try sop(["db", "copy", "--from", source, "--to", uri])
        #expect(again.status == 2)
        #expect(again.stderr.contains("already holds a tracker (2 customers, "))
        // Back to a file: the same tracker, byte for byte in every report.
        let back = dir.path("back.sqlite").path
        let home = try sop(["db", "copy", "--from", uri, "--to", back])
        #expect(home.status == 0, "\(home.stderr)")
        for arguments in [["status", "--json"], ["status", "acme", "--json"], ["log", "acme"], ["audit", "verify"]] {
            let before = try sop(arguments, ["SOP_DB": source])
            let after = try sop(arguments, ["SOP_DB": back])
            #expect(before.stdout == after.stdout, "sop \(arguments.joined(separator: " ")) differs")
            #expect(before.status == 0)
        }
        // The portfolio and a customer read the same on both engines, byte for byte.
        for arguments in [["status", "--json"], ["status"], ["status", "acme", "--json"], ["status", "acme"]] {
            let onFile = try sop(arguments, ["SOP_DB": source])
            let onServer = try sop(arguments, ["SOP_DB": uri])
            #expect(onServer.status == 0, "\(onServer.stderr)")
            #expect(onFile.stdout == onServer.stdout, "sop \(arguments.joined(separator: " ")) differs between engines")
        }
        // `sop backup` of the PostgreSQL tracker is the same portable file.
        let backup = dir.path("backup.sqlite").path
        #expect(try sop(["backup", backup], ["SOP_DB": uri]).status == 0)
        #expect(try sop(["audit", "verify"], ["SOP_DB": backup]).stdout.hasPrefix("audit trail intact: "))
    }

    @Test func aRowChangedOnTheServerStopsTheCopyBack() throws {
        let server = try Self.server.get()
        let source = try seededTracker()
        let database = try server.createDatabase()
        let uri = server.uri(database: database)
        #expect(try sop(["db", "copy", "--from", source, "--to", uri]).status == 0)
        #expect(try sop(["audit", "verify", "--db", uri]).stdout.hasPrefix("audit trail intact: "))
        _ = try server.psql("UPDATE signoff SET signed_by = 'mallory'", database: database)
        // sop audit verify on the server names the row, as on SQLite.
        let verify = try sop(["audit", "verify", "--db", uri])
        #expect(verify.status == 1)
        #expect(
            verify.stdout.contains("sign-off S1: signed_by is \"mallory\", the audit trail says \"sam\""),
            "\(verify.stdout)")
        let back = dir.path("back.sqlite").path
        let refused = try sop(["db", "copy", "--from", uri, "--to", back])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("the audit trail does not verify"))
        #expect(refused.stderr.contains("mallory"))
        #expect(!FileManager.default.fileExists(atPath: back))
    }

    /// A server that accepts the connection and then says nothing: `sop` gives up after the
    /// default 10 s connect timeout with one line, never hangs.
    @Test func aServerThatNeverAnswersIsAnErrorNotAHang() throws {
        let listener = Process()
        listener.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        listener.arguments = [
            "-c",
            "import socket,sys,time\ns=socket.socket();s.bind(('127.0.0.1',0));s.listen(8)\n"
                + "print(s.getsockname()[1],flush=True)\nc=s.accept()\ntime.sleep(60)",
        ]
        let output = Pipe()
        listener.standardOutput = output
        try listener.run()
        defer { listener.terminate() }
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        let port = try #require(Int(line.trimmingCharacters(in: .whitespacesAndNewlines)))
        let started = Date()
        let result = try sop(["db", "status", "--db", "postgresql://sop@127.0.0.1:\(port)/sop"])
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 20)
    }

    /// The server stopped (`pg_ctl stop -m immediate`) while a copy is writing: the copy exits
    /// non-zero with one line, and after a restart the destination holds none of it, so a new
    /// copy goes through.
    @Test func aServerKilledMidCopyLeavesNothingHalfCopied() throws {
        let server = try PostgresServer.start()
        let source = try seededTracker()
        let database = try server.createDatabase()
        let uri = server.uri(database: database)
        #expect(try sop(["db", "migrate", "--db", uri]).status == 0)
        // Another session holds the sign-off table, so the copy stops in the middle of writing.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        holder.arguments = ["-X", "-q", uri]
        let input = Pipe()
        holder.standardInput = input
        holder.standardOutput = FileHandle.nullDevice
        holder.standardError = FileHandle.nullDevice
        try holder.run()
        defer { holder.terminate() }
        input.fileHandleForWriting.write(
            Data("BEGIN; LOCK TABLE signoff IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60);\n".utf8))
        func waitFor(_ sql: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            for _ in 0..<400 {
                if try server.psql(sql, database: database) == "t" { return }
                usleep(50_000)
            }
            Issue.record("never came true: \(sql)", sourceLocation: sourceLocation)
        }
        try waitFor("SELECT count(*) > 0 FROM pg_locks WHERE relation = 'signoff'::regclass AND granted")
        let copy = Mutex<ProcessResult?>(nil)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let result = try? self.sop(["db", "copy", "--from", source, "--to", uri])
            copy.withLock { $0 = result }
            done.signal()
        }
        // The copy has written its first tables and waits for the sign-off table.
        try waitFor(
            "SELECT count(*) > 0 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO signoff%'"
        )
        try server.stopImmediately()
        #expect(done.wait(timeout: .now() + 60) == .success)
        let result = try #require(copy.withLock { $0 })
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(!result.stderr.contains(server.adminPassword))
        try server.restart()
        #expect(try server.psql("SELECT count(*) FROM customer", database: database) == "0")
        #expect(try server.psql("SELECT count(*) FROM audit_event", database: database) == "0")
        let again = try sop(["db", "copy", "--from", source, "--to", uri])
        #expect(again.status == 0, "\(again.stderr)")
    }
}
