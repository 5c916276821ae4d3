import ArgumentParser
import SOPApp

/// `sop db status` and `sop db migrate`: the tracker's engine and schema, on SQLite or
/// PostgreSQL.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Show or migrate the tracker database (SQLite or PostgreSQL).",
        subcommands: [Status.self, Migrate.self])

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show the engine, its version, the schema and the rows per table.",
            discussion:
                "--db takes a file path or a PostgreSQL connection string as psql does (postgresql://… or "
                + "key=value, with PGHOST, PGUSER, PGPASSWORD, PGSERVICE, ~/.pgpass…); a password is never shown.")

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let status = try global.app.databaseStatus()
            if json {
                TrackerJSON.print(status)
                return
            }
            print("engine: \(status.engine) \(status.serverVersion)")
            print("database: \(TerminalText.escape(status.location))")
            let state = status.isCurrent ? "current" : "this sop needs \(status.expectedSchema); run sop db migrate"
            print("schema: \(status.schema ?? "none") (\(state))")
            for table in status.tables { print("  \(table.table): \(table.rows)") }
        }
    }

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Bring a PostgreSQL tracker's schema to this sop's.",
            discussion:
                "One transaction under an advisory lock: two invocations wait for each other, never race. "
                + "A SQLite tracker migrates itself when opened.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let result = try global.app.migrateDatabase()
            let location = TerminalText.escape(result.location)
            if result.applied.isEmpty {
                print("schema \(result.schema) is current: \(location)")
            } else {
                print("migrated \(location) to \(result.schema): applied \(result.applied.joined(separator: ", "))")
            }
        }
    }
}

extension DatabaseCommand: Exemplified {
    static let examples = [
        "sop db status",
        "sop db migrate --db postgresql://sop@db.internal/sop",
        "sop db status --db 'host=db.internal dbname=sop sslmode=verify-full' --json",
    ]
}

extension DatabaseCommand.Status: Exemplified {
    static let examples = [
        "sop db status",
        "sop db status --db postgresql://sop@db.internal/sop --json",
    ]
}

extension DatabaseCommand.Migrate: Exemplified {
    static let examples = [
        "sop db migrate --db postgresql://sop@db.internal/sop",
        "PGSERVICE=sop sop db migrate --db 'service=sop'",
    ]
}
