import ArgumentParser
import Foundation
import SOPApp

/// `sop restore PATH`: replaces the database with a backup.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Restore a backup.",
        discussion: "Checks that PATH is a sop database; refuses to overwrite an existing database without --force.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The backup to restore.") var path: String
    @Flag(help: "Overwrite the existing database.") var force = false

    func run() async throws {
        let destination = try global.app.restore(from: path, force: force)
        print("restored \(path) to \(destination)")
    }
}

extension RestoreCommand: Exemplified {
    static let examples = [
        "sop restore ~/backups/sop-2026-12-02.sqlite",
        "sop restore ~/backups/sop-2026-12-02.sqlite --force",
    ]
}
