import ArgumentParser
import SOPApp

/// `sop backup PATH`: a consistent copy via SQLite's online backup API.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Back up the database.",
        discussion: "Uses SQLite's online backup API: safe while other sop commands run. Never overwrites a file.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Where to write the backup.") var path: String

    func run() async throws {
        let source = try global.app.backup(to: path)
        print("backed up \(source) to \(path)")
    }
}

extension BackupCommand: Exemplified {
    static let examples = [
        "sop backup ~/backups/sop-2026-12-02.sqlite",
        "sop backup --db /srv/sop/sop.sqlite /mnt/backup/sop.sqlite",
    ]
}
