import Foundation
import TestSupport
import Testing

/// Many `sop` processes writing one PostgreSQL tracker at once, and the server dying under them:
/// the audit chain never forks, every acknowledged write is there, nothing is half-done.
///
/// Each writer is a shell loop of real `sop` invocations (a process per write, as a team's
/// machines would run them), started together.
@Suite(.serialized) struct TeamWritersTests {
    /// A server of this suite's own: the fault test stops and restarts it.
    static let server = Result { try PostgresServer.start() }

    let dir = TemporaryDirectory("sop-team-writers")

    /// A migrated tracker with `acme`, and the item the writers sign off made ready for it.
    func tracker() throws -> String {
        let server = try Self.server.get()
        let uri = server.uri(database: try server.createDatabase())
        for arguments in [
            ["db", "migrate"],
            ["new", "acme", "--name", "Acme Corp", "--email", "root@acme.example", "--template", "aws-account@1.0.0"],
            ["mark", "acme", Self.signed, "done", "--force", "--reason", "ready for the writers' sign-offs"],
        ] {
            let result = try runSOP(arguments, environment: ["SOP_DB": uri, "SOP_USER": "setup"])
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
        return uri
    }

    static let noted = "prep.root-email"
    static let marked = "prep.company-details"
    static let signed = "gov.tagging-strategy"

    /// One writer: `count` writes, each a `sop` process; per write its exit code and its stderr.
    func writerScript(_ writer: Int, count: Int, mixed: Bool) -> String {
        let write =
            mixed
            ? """
            case $((i % 3)) in
                0) "$SOP" evidence add acme \(Self.noted) --note "w\(writer)-i$i" ;;
                1) if [ $((i % 2)) = 0 ]; then s=in-progress; else s=todo; fi
                   "$SOP" mark acme \(Self.marked) $s ;;
                2) "$SOP" signoff acme \(Self.signed) --role "Customer Stakeholder" --by "w\(writer)" ;;
            esac
            """ : #""$SOP" evidence add acme \#(Self.noted) --note "w\#(writer)-i$i""#
        return """
            i=0
            while [ $i -lt \(count) ]; do
                {
                \(write)
                } > /dev/null 2> "$OUT/w\(writer)-i$i.err"
                echo "$i $?" >> "$OUT/w\(writer).codes"
                i=$((i + 1))
            done
            """
    }

    /// Starts `writers` loops at once and waits for all of them, calling `meanwhile` while they run.
    func runWriters(
        _ writers: Int, count: Int, mixed: Bool, tracker: String, meanwhile: () throws -> Void = {}
    ) throws -> [[Int32]] {
        let out = dir.url.appendingPathComponent("out-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let processes = try (0..<writers).map { writer -> Process in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", writerScript(writer, count: count, mixed: mixed)]
            process.environment = [
                "PATH": "/usr/bin:/bin", "HOME": dir.url.path, "SOP": Paths.sopExecutable.path, "OUT": out.path,
                "SOP_DB": tracker, "SOP_USER": "w\(writer)", "SOP_TEMPLATES": Paths.templatesDirectory.path,
                "NO_COLOR": "1",
            ]
            try process.run()
            return process
        }
        try meanwhile()
        for process in processes { process.waitUntilExit() }
        return try (0..<writers).map { writer in
            let codes = try String(contentsOf: out.appendingPathComponent("w\(writer).codes"), encoding: .utf8)
            return codes.split(separator: "\n").compactMap { $0.split(separator: " ").last.flatMap { Int32($0) } }
        }
    }

    func errors(_ writer: Int, _ write: Int, in tracker: String) throws -> String {
        let out = try FileManager.default.contentsOfDirectory(
            at: dir.url, includingPropertiesForKeys: nil
        ).filter { $0.lastPathComponent.hasPrefix("out-") }
        return out.compactMap {
            try? String(contentsOf: $0.appendingPathComponent("w\(writer)-i\(write).err"), encoding: .utf8)
        }
        .joined()
    }

    /// SQL on the tracker's database, as the admin.
    func psql(_ sql: String, tracker: String) throws -> String {
        try Self.server.get().psql(sql, database: String(tracker.split(separator: "/").last ?? ""))
    }

    func json(_ arguments: [String], _ tracker: String) throws -> [String: Any] {
        let result = try runSOP(arguments, environment: ["SOP_DB": tracker])
        return (try? JSONSerialization.jsonObject(with: result.stdoutData)) as? [String: Any] ?? [:]
    }

    /// 16 processes × 50 mixed writes: all stored, no errors, one unbroken chain.
    @Test func sixteenWritersNeverForkTheChain() throws {
        let tracker = try tracker()
        let before = try json(["audit", "verify", "--json"], tracker)["events"] as? Int ?? -1
        let codes = try runWriters(16, count: 50, mixed: true, tracker: tracker)
        #expect(codes.map(\.count) == Array(repeating: 50, count: 16))
        for (writer, results) in codes.enumerated() {
            for (write, code) in results.enumerated() where code != 0 {
                Issue.record(
                    "writer \(writer) write \(write) exited \(code): \(try errors(writer, write, in: tracker))")
            }
        }
        let verify = try runSOP(["audit", "verify", "--json"], environment: ["SOP_DB": tracker])
        #expect(verify.status == 0, "\(verify.stdout)")
        let report = (try? JSONSerialization.jsonObject(with: verify.stdoutData)) as? [String: Any] ?? [:]
        #expect(report["events"] as? Int == before + 800)
        let head = try psql(
            "SELECT count || ' ' || (SELECT count(*) FROM audit_event) FROM chain_head", tracker: tracker)
        #expect(head == "\(before + 800) \(before + 800)")
        let prevHashes = try psql("SELECT count(DISTINCT prev_hash) FROM audit_event", tracker: tracker)
        #expect(prevHashes == "\(before + 800)", "every event has its own predecessor")
        let notes = try psql(
            "SELECT count(*) FROM evidence WHERE kind = 'note' AND text LIKE 'w%-i%'", tracker: tracker)
        let signoffs = try psql("SELECT count(*) FROM signoff", tracker: tracker)
        // Writes 0, 3, … 48 add notes (17 per writer), 2, 5, … 47 sign off (16 per writer).
        #expect(notes == "\(16 * 17)" && signoffs == "\(16 * 16)")
    }

    /// The server killed (`pg_ctl stop -m immediate`) three times under 16 writers: each write
    /// that failed says so in one line naming the server and exits 2; after the restart every
    /// acknowledged write is there and the chain verifies.
    @Test func theServerKilledUnderWritersLosesNoAcknowledgedWrite() throws {
        let server = try Self.server.get()
        let tracker = try tracker()
        let codes = try runWriters(16, count: 30, mixed: false, tracker: tracker) {
            for _ in 0..<3 {
                Thread.sleep(forTimeInterval: 1.2)
                try server.stopImmediately()
                Thread.sleep(forTimeInterval: 0.4)
                try server.restart()
            }
        }
        let stored = Set(
            try psql("SELECT text FROM evidence WHERE kind = 'note'", tracker: tracker)
                .split(separator: "\n").map(String.init))
        var failed = 0
        for (writer, results) in codes.enumerated() {
            #expect(results.count == 30)
            for (write, code) in results.enumerated() {
                if code == 0 {
                    #expect(stored.contains("w\(writer)-i\(write)"), "acknowledged write w\(writer)-i\(write) lost")
                } else {
                    failed += 1
                    let message = try errors(writer, write, in: tracker)
                    #expect(code == 2, "w\(writer)-i\(write) exited \(code): \(message)")
                    #expect(message.split(separator: "\n").count == 1, "\(message)")
                    #expect(message.contains("127.0.0.1:\(server.port)"), "\(message)")
                    #expect(!message.contains(server.adminPassword))
                }
            }
        }
        #expect(failed > 0, "the server never went down under a writer")
        let verify = try runSOP(["audit", "verify"], environment: ["SOP_DB": tracker])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let counts = try psql(
            "SELECT count || ' ' || (SELECT count(*) FROM audit_event) FROM chain_head", tracker: tracker)
        let parts = counts.split(separator: " ")
        #expect(parts.count == 2 && parts[0] == parts[1])
    }
}
