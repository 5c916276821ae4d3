import Foundation
import TestSupport

/// A temporary tracker driven through the real `sop` binary: a file, or under
/// `SOP_TEST_ENGINE=postgresql` a fresh database (see ``TestEngine``).
final class TrackerFixture: @unchecked Sendable {
    let directory = TemporaryDirectory("sop-tracker")
    let db: String

    init() {
        let file = directory.path("sop.sqlite")
        // A server that cannot start fails the test at its first command, naming the reason.
        db = (try? TestEngine.freshTracker(file: file)) ?? "postgresql://127.0.0.1:1/sop-test-server-failed-to-start"
    }
    var now = "2026-03-02T09:00:00Z"

    var environment: [String: String] { ["SOP_DB": db, "SOP_NOW": now, "SOP_USER": "dana"] }

    @discardableResult
    func sop(_ arguments: [String], environment extra: [String: String] = [:]) throws -> ProcessResult {
        try runSOP(arguments, environment: environment.merging(extra) { _, new in new })
    }

    /// `sop new acme …` on the shipped template; fails the caller if it does not exit 0.
    @discardableResult
    func createAcme(_ extra: [String] = []) throws -> ProcessResult {
        try sop(
            [
                "new", "acme", "--name", "Acme Corp", "--email", "aws-root@acme.example", "--compliance", "hipaa",
                "--regions", "us-east-1,eu-west-1", "--owner", "dana", "--due", "2026-12-18",
                "--template", "aws-account@1.0.0",
            ] + extra)
    }

    /// Marks every open item of a section done over the gate (with a reason), so it can be signed off.
    func settle(section: String, slug: String = "acme") throws {
        let status = json(try sop(["status", slug, "--json"]))
        for item in status["items"] as? [[String: Any]] ?? [] {
            guard let id = item["id"] as? String, let itemSection = item["section"] as? String,
                itemSection == section || itemSection.hasPrefix(section + "."),
                let state = item["status"] as? String, state != "done", state != "n/a"
            else { continue }
            _ = try sop(["mark", slug, id, "done", "--force", "--reason", "settled for the sign-off"])
        }
    }

    /// Runs the `sqlite3` shell on the database.
    @discardableResult
    func sqlite(_ sql: String) throws -> ProcessResult {
        try runProcess(URL(fileURLWithPath: "/usr/bin/sqlite3"), [db, sql])
    }

    /// A logical dump of the tracker: equal dumps mean nothing changed.
    func dump() throws -> String {
        guard TestEngine.isPostgreSQL else { return try sqlite(".dump").stdout }
        let tables = [
            "customer", "section", "item", "blob", "verification_run", "evidence", "check_state", "signoff",
            "audit_event", "chain_head", "grdb_migrations",
        ]
        return try TestEngine.psql(
            tables.map { "SELECT '\($0)', t::text FROM \($0) t ORDER BY 2;" }.joined(separator: "\n"), tracker: db)
    }

    func json(_ result: ProcessResult) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: result.stdoutData)) as? [String: Any] ?? [:]
    }
}
