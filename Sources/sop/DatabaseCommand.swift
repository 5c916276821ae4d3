import ArgumentParser
import SOPApp

/// `sop db status` and `sop db migrate`: the tracker's engine and schema, on SQLite or
/// PostgreSQL.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Show or migrate the tracker database (SQLite or PostgreSQL).",
        subcommands: [Status.self, Migrate.self, Copy.self])

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

    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "copy",
            abstract: "Copy a whole tracker, its audit trail included, into an empty one (either engine).",
            discussion:
                "The source must verify; the destination must be a new file or an empty PostgreSQL database. "
                + "The copy is verified at the destination before it counts; nothing is half-copied.")

        @Option(help: ArgumentHelp("The tracker to copy: a file or a connection string.", valueName: "db"))
        var from: String
        @Option(help: ArgumentHelp("Where to: a new file or an empty PostgreSQL database.", valueName: "db"))
        var to: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let result = try global.app.copyDatabase(from: from, to: to)
            print(
                "copied \(TerminalText.escape(result.from)) to \(TerminalText.escape(result.to)): \(result.rows) rows, audit trail intact, head \(result.head.line)"
            )
        }
    }
}

extension DatabaseCommand.Copy: Exemplified {
    static let examples = [
        "sop db copy --from sop.sqlite --to postgresql://sop_owner@db.internal/sop",
        "sop db copy --from postgresql://sop@db.internal/sop --to sop-offline.sqlite",
    ]
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
        "sop db migrate --db 'service=sop'",
    ]
}
