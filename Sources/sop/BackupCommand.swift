import ArgumentParser
import SOPStore

/// `sop backup PATH`: a consistent copy via SQLite's online backup API.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Back up the database.",
        discussion: "Uses SQLite's online backup API: safe while other sop commands run. Never overwrites a file.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Where to write the backup.") var path: String

    func run() async throws {
        let context = try TrackerContext.open(global)
        try context.run { try $0.backup(to: path) }
        print("backed up \(context.store.path) to \(path)")
    }
}
