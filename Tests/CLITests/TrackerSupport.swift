import Foundation
import TestSupport

/// A temporary tracker database driven through the real `sop` binary.
final class TrackerFixture: @unchecked Sendable {
    let directory = TemporaryDirectory("sop-tracker")
    var db: String { directory.path("sop.sqlite").path }
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

    /// A logical dump of the database: equal dumps mean nothing changed.
    func dump() throws -> String { try sqlite(".dump").stdout }

    func json(_ result: ProcessResult) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: result.stdoutData)) as? [String: Any] ?? [:]
    }
}
