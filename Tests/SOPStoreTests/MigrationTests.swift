import Foundation
import GRDB
import SOPCore
import TestSupport
import Testing

@testable import SOPStore

/// Databases written before a migration keep their meaning after it.
@Suite struct MigrationTests {
    /// A database as the release before `v3` left it: items told apart by their reason only.
    static func databaseAtV2(_ directory: TemporaryDirectory) throws -> String {
        let path = directory.path("v2.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try Migrations.migrator(now: { "2026-03-02T09:00:00Z" }).migrate(queue, upTo: "v2")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO customer (id, slug, name, email, template_id, template_version, template_sha256,
                                          template_title, created_at, created_by, last_activity_at)
                    VALUES (1, 'acme', 'Acme', 'a@acme.example', 'aws-account', '1.0.0', ?, 'AWS account',
                            '2026-03-01T09:00:00Z', 'dana', '2026-03-01T09:00:00Z')
                    """, arguments: [String(repeating: "a", count: 64)])
            let rows: [(String, String, String?)] = [
                ("hipaa-baa", "n/a", "applies only when compliance has hipaa"),
                ("root-email", "n/a", "Applies only when we say so"),
                ("order-form", "todo", "applies only when asked"),
                ("root-vault", "n/a", nil),
                ("password-policy", "n/a", "not needed: applies only when asked"),
            ]
            for (ordinal, (id, status, reason)) in rows.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO item (customer_id, item_id, ordinal, section, title, status, status_reason, updated_at,
                                          updated_by, when_condition)
                        VALUES (1, ?, ?, '1.1', ?, ?, ?, '2026-03-01T09:00:00Z', 'dana', ?)
                        """,
                    arguments: [
                        id, ordinal, id, status, reason,
                        id == "hipaa-baa" ? "compliance has hipaa" : nil,
                    ])
            }
        }
        try queue.close()
        return path
    }

    /// Exactly the rows today's prose test recognised: n/a, and the reason starting
    /// "applies only when" (case-sensitive).
    @Test func v3BackfillsTheConditionCauseFromTheReason() throws {
        let directory = TemporaryDirectory("sop-migration")
        let store = try Store.open(path: try Self.databaseAtV2(directory))
        defer { store.close() }
        let causes = try store.readSQLite { db in
            try Dictionary(
                uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT item_id, status_cause FROM item").map {
                    (row: Row) -> (String, String?) in (row["item_id"], row["status_cause"])
                })
        }
        #expect(
            causes == [
                "hipaa-baa": "condition", "root-email": nil, "order-form": nil, "root-vault": nil,
                "password-policy": nil,
            ])
    }

    /// After the migration an upgrade treats the backfilled row as ruled out by its condition.
    @Test func anUpgradeOfAMigratedDatabaseBringsBackTheRuledOutItem() throws {
        let directory = TemporaryDirectory("sop-migration")
        let store = try Store.open(path: try Self.databaseAtV2(directory))
        defer { store.close() }
        var next = sampleTemplate(version: "1.1.0", sha: String(repeating: "b", count: 64))
        for index in next.items.indices { next.items[index].when = nil }
        let plan = try store.upgrade(customer: "acme", to: next, by: "dana", dryRun: true)
        #expect(plan.changed.first { $0.id == "hipaa-baa" }?.statusAfter == "todo")
        #expect(plan.changed.first { $0.id == "hipaa-baa" }?.reason == "now applies to this customer")
        #expect(plan.changed.first { $0.id == "root-email" }?.statusAfter ?? "n/a" == "n/a", "a person's n/a stays")
    }
}
