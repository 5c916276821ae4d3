import GRDB
import SOPCore

/// The schema, as a list of append-only migrations.
///
/// A migration is never edited once it has shipped: a later change is a new
/// migration (`v2`, `v3`, …). Migrations use SQL and GRDB's schema DSL only,
/// never the record types, so they keep meaning what they meant when written.
public enum Migrations {
    /// The migrations; `now` stamps the event that seals an existing tracker (``v4``).
    static func migrator(now: @escaping @Sendable () -> String) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: v1)
        migrator.registerMigration("v2", migrate: v2)
        migrator.registerMigration("v3", migrate: v3)
        migrator.registerMigration("v4") { db in try v4(db, now: now()) }
        migrator.registerMigration("v5", migrate: v5)
        migrator.registerMigration("v6", migrate: v6)
        return migrator
    }

    /// The names of all registered migrations, to recognise a `sop` database.
    static let identifiers = ["v1", "v2", "v3", "v4", "v5", "v6"]

    /// The newest migration: the schema this `sop` works with.
    public static var current: String { identifiers[identifiers.count - 1] }

    private static func v1(_ db: Database) throws {
        // Customers and the template they are pinned to.
        try db.create(table: "customer") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("slug", .text).notNull().unique()
            t.column("name", .text).notNull()
            t.column("email", .text).notNull()
            t.column("address", .text)
            t.column("phone", .text)
            t.column("contacts", .text).notNull().defaults(to: "[]")  // JSON [String]
            t.column("owner", .text)
            t.column("due", .text)  // YYYY-MM-DD
            t.column("compliance", .text).notNull().defaults(to: "[]")  // JSON [String]
            t.column("regions", .text).notNull().defaults(to: "[]")  // JSON [String]
            t.column("aws_profile", .text)
            t.column("role_arn", .text)
            t.column("external_id", .text)
            t.column("parameters", .text).notNull().defaults(to: "{}")  // JSON {String: value}
            t.column("template_id", .text).notNull()
            t.column("template_version", .text).notNull()
            t.column("template_sha256", .text).notNull()
            t.column("template_title", .text).notNull()
            t.column("created_at", .text).notNull()
            t.column("created_by", .text).notNull()
            t.column("last_activity_at", .text).notNull()
        }

        // Snapshot of the template's sections, per customer.
        try db.create(table: "section") { t in
            t.column("customer_id", .integer).notNull().references("customer", onDelete: .restrict)
            t.column("number", .text).notNull()
            t.column("ordinal", .integer).notNull()
            t.column("title", .text).notNull()
            t.column("level", .integer).notNull()
            t.column("signoff_roles", .text).notNull().defaults(to: "[]")
            t.column("archived_at", .text)
            t.primaryKey(["customer_id", "number"])
        }

        // Snapshot of the template's items and their tracked state: the source of truth.
        try db.create(table: "item") { t in
            t.column("customer_id", .integer).notNull().references("customer", onDelete: .restrict)
            t.column("item_id", .text).notNull()
            t.column("ordinal", .integer).notNull()
            t.column("section", .text).notNull()
            t.column("title", .text).notNull()
            t.column("steps", .text).notNull().defaults(to: "[]")
            t.column("evidence_kinds", .text).notNull().defaults(to: "[]")
            t.column("signoff_roles", .text).notNull().defaults(to: "[]")
            t.column("checks", .text).notNull().defaults(to: "[]")
            t.column("depends", .text).notNull().defaults(to: "[]")
            t.column("when_condition", .text)
            t.column("owner_role", .text)
            t.column("status", .text).notNull()
            t.column("status_reason", .text)
            t.column("assignee", .text)
            t.column("due", .text)
            t.column("updated_at", .text).notNull()
            t.column("updated_by", .text).notNull()
            t.column("archived_at", .text)
            t.primaryKey(["customer_id", "item_id"])
        }
        try db.create(index: "item_on_status", on: "item", columns: ["customer_id", "status"])

        // Content-addressed file bytes, deduplicated across customers.
        try db.create(table: "blob") { t in
            t.primaryKey("sha256", .text)
            t.column("size", .integer).notNull()
            t.column("bytes", .blob).notNull()
        }

        try db.create(table: "verification_run") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("customer_id", .integer).notNull().references("customer", onDelete: .restrict)
            t.column("started_at", .text).notNull()
            t.column("finished_at", .text).notNull()
            t.column("recorded_at", .text).notNull()
            t.column("recorded_by", .text).notNull()
            t.column("account", .text)
            t.column("passed", .integer).notNull()
            t.column("failed", .integer).notNull()
            t.column("errors", .integer).notNull()
            t.column("not_applicable", .integer).notNull()
            t.column("content", .text).notNull()  // canonical JSON of the run
            t.column("sha256", .text).notNull()
        }
        try db.create(index: "verification_run_on_customer", on: "verification_run", columns: ["customer_id", "id"])

        try db.create(table: "evidence") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("customer_id", .integer).notNull()
            t.column("item_id", .text).notNull()
            t.column("kind", .text).notNull()  // note | file | link | check
            t.column("text", .text)  // note text, link URL or check result JSON
            t.column("blob_sha256", .text).references("blob", onDelete: .restrict)
            t.column("sha256", .text).notNull()  // of the content (text or bytes)
            t.column("file_name", .text)
            t.column("media_type", .text)
            t.column("size", .integer).notNull()
            t.column("added_by", .text).notNull()
            t.column("added_at", .text).notNull()
            t.column("expires", .text)
            t.column("internal", .boolean).notNull().defaults(to: false)
            t.column("check_id", .text)
            t.column("check_region", .text)
            t.column("check_outcome", .text)
            t.column("verification_run_id", .integer).references("verification_run", onDelete: .restrict)
            t.column("retracted_at", .text)
            t.column("retracted_by", .text)
            t.column("retracted_reason", .text)
            t.foreignKey(
                ["customer_id", "item_id"], references: "item", columns: ["customer_id", "item_id"],
                onDelete: .restrict)
        }
        try db.create(index: "evidence_on_item", on: "evidence", columns: ["customer_id", "item_id"])

        // Latest outcome of each check on each item (and region), for status and the portfolio.
        try db.create(table: "check_state") { t in
            t.column("customer_id", .integer).notNull().references("customer", onDelete: .restrict)
            t.column("item_id", .text).notNull()
            t.column("check_id", .text).notNull()
            t.column("region", .text).notNull()  // "" for global checks
            t.column("outcome", .text).notNull()
            t.column("summary", .text).notNull()
            t.column("verification_run_id", .integer).notNull().references("verification_run", onDelete: .restrict)
            t.column("evidence_id", .integer).notNull().references("evidence", onDelete: .restrict)
            t.column("since", .text).notNull()  // when the outcome last changed
            t.column("updated_at", .text).notNull()
            t.primaryKey(["customer_id", "item_id", "check_id", "region"])
        }

        try db.create(table: "signoff") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("customer_id", .integer).notNull().references("customer", onDelete: .restrict)
            t.column("target", .text).notNull()  // item id or section number
            t.column("target_kind", .text).notNull()  // item | section
            t.column("role", .text).notNull()
            t.column("signed_by", .text).notNull()
            t.column("signed_at", .text).notNull()
            t.column("note", .text)
            t.column("evidence_hash", .text).notNull()
            t.column("revoked_at", .text)
            t.column("revoked_by", .text)
            t.column("revoked_reason", .text)
        }
        try db.create(index: "signoff_on_target", on: "signoff", columns: ["customer_id", "target"])

        // The append-only, hash-chained audit trail and its head.
        try db.create(table: "audit_event") { t in
            t.primaryKey("seq", .integer)
            t.column("customer", .text)  // slug; NULL for events not about one customer
            t.column("actor", .text).notNull()
            t.column("at", .text).notNull()
            t.column("action", .text).notNull()
            t.column("target", .text).notNull()
            t.column("before", .text).notNull()
            t.column("after", .text).notNull()
            t.column("prev_hash", .text).notNull()
            t.column("hash", .text).notNull()
        }
        try db.create(index: "audit_event_on_customer", on: "audit_event", columns: ["customer", "seq"])
        try db.create(table: "chain_head") { t in
            t.primaryKey("id", .integer).check { $0 == 1 }
            t.column("count", .integer).notNull()
            t.column("last_hash", .text).notNull()
        }
        try db.execute(
            sql: "INSERT INTO chain_head (id, count, last_hash) VALUES (1, 0, ?)",
            arguments: [String(repeating: "0", count: 64)])
    }

    /// A covering index for the portfolio query: one index scan answers it without
    /// touching the item rows (1,000 customers × 80 items in well under 100 ms).
    private static func v2(_ db: Database) throws {
        try db.execute(sql: "DROP INDEX IF EXISTS item_on_status")
        try db.create(index: "item_portfolio", on: "item", columns: ["customer_id", "archived_at", "status", "due"])
    }

    /// Why an item's status is what it is when no person chose it, as a column instead of
    /// prose: until now an item made not applicable by its `when` condition was told apart
    /// from one a person marked n/a only by its reason starting "applies only when".
    /// Existing rows are backfilled from exactly that test (case-sensitive, as it was).
    private static func v3(_ db: Database) throws {
        try db.alter(table: "item") { t in t.add(column: "status_cause", .text) }
        try db.execute(
            sql: """
                UPDATE item SET status_cause = 'condition'
                WHERE status = 'n/a' AND substr(status_reason, 1, 17) = 'applies only when'
                """)
    }

    /// The chain covers the state: each event carries the images of the rows it wrote, and
    /// `sop audit verify` replays them. A tracker written before has rows no event images, so
    /// this migration seals them: one `tracker.seal` event holding the image of every tracked
    /// row as it is now, after which the tracker verifies like a new one. (Whatever was changed
    /// behind sop's back before this point is sealed with the rest; the events before it keep
    /// their own hash chain.) An empty tracker has nothing to seal and gets no event.
    private static func v4(_ db: Database, now: String) throws {
        try db.alter(table: "audit_event") { t in t.add(column: "row_images", .text) }
        try StateSeal.seal(db, at: now)
    }

    /// Who may use `sop serve`: team accounts (a bcrypt hash, never the password), bearer
    /// tokens for scripts and one-time customer invitations (SHA-256 of the random secret,
    /// never the secret). All three are tracked tables: who could sign in, with which roles,
    /// is a fact the chain covers like any other. New tables hold no rows, so nothing to seal.
    private static func v5(_ db: Database) throws {
        try db.create(table: "app_user") { t in
            t.primaryKey("name", .text)
            t.column("roles", .text).notNull().defaults(to: "[]")  // JSON [String]
            t.column("password_hash", .text)  // bcrypt; NULL: signs in through the proxy only
            t.column("created_at", .text).notNull()
            t.column("created_by", .text).notNull()
            t.column("disabled_at", .text)
            t.column("disabled_by", .text)
        }
        try db.create(table: "api_token") { t in
            t.primaryKey("id", .text)
            t.column("user_name", .text).notNull().references("app_user", onDelete: .restrict)
            t.column("token_sha256", .text).notNull().unique()
            t.column("created_at", .text).notNull()
            t.column("created_by", .text).notNull()
            t.column("expires_at", .text).notNull()
            t.column("revoked_at", .text)
        }
        try db.create(table: "invite") { t in
            t.primaryKey("id", .text)
            t.column("customer_id", .integer).notNull().references("customer", onDelete: .restrict)
            t.column("role", .text).notNull()
            t.column("email", .text).notNull()
            t.column("token_sha256", .text).notNull().unique()
            t.column("created_at", .text).notNull()
            t.column("created_by", .text).notNull()
            t.column("expires_at", .text).notNull()
            t.column("used_at", .text)
        }
    }

    /// Governance: waivers (an exception to an item or a check until a date, asked for by one
    /// person and decided by another) and each customer's accepted verification run, the
    /// baseline `sop verify --gate` compares with. Both are tracked tables; new tables hold no
    /// rows, so nothing to seal.
    private static func v6(_ db: Database) throws {
        try db.create(table: "waiver") { t in
            t.column("id", .integer).primaryKey()  // W-<id>; the largest plus one
            t.column("customer_id", .integer).notNull().references("customer", onDelete: .restrict)
            t.column("target", .text).notNull()  // item id or check id
            t.column("target_kind", .text).notNull()  // item | check
            t.column("region", .text)  // NULL: every region
            t.column("resources", .text).notNull().defaults(to: "[]")  // JSON [String]; []: any
            t.column("reason", .text).notNull()
            t.column("expires", .text).notNull()  // YYYY-MM-DD, inclusive
            t.column("state", .text).notNull()  // requested | approved | rejected | revoked | expired
            t.column("requested_by", .text).notNull()
            t.column("requested_at", .text).notNull()
            t.column("decided_by", .text)
            t.column("decided_role", .text)
            t.column("decided_at", .text)
            t.column("ended_by", .text)
            t.column("ended_at", .text)
            t.column("note", .text)
        }
        try db.create(index: "waiver_on_customer", on: "waiver", columns: ["customer_id", "state"])
        try db.create(table: "baseline") { t in
            t.column("customer_id", .integer).notNull().primaryKey().references("customer", onDelete: .restrict)
            t.column("verification_run_id", .integer).notNull().references("verification_run", onDelete: .restrict)
            t.column("set_by", .text).notNull()
            t.column("set_at", .text).notNull()
        }
    }
}
