import ArgumentParser
import Foundation
import SOPApp

/// `sop site build`: the internal wiki site as static HTML.
struct SiteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site", abstract: "Build the internal wiki site.",
        subcommands: [SiteBuildCommand.self], defaultSubcommand: SiteBuildCommand.self)
}

/// Builds the dashboard, one page per customer and per template version, and the
/// activity page into a temporary folder beside --out, then swaps it in whole.
struct SiteBuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build", abstract: "Build the site (relative links: open index.html from disk or any static host)."
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("The folder to build into (replaced whole).", valueName: "dir")) var out: String = "site"
    @Flag(help: "Replace a non-empty folder that is not a previous site build.") var force = false

    func run() async throws {
        let (files, destination) = try global.app.buildSite(to: out, force: force)
        print("built site: \(files.count) files in \(destination.path)")
        print("open \(destination.appendingPathComponent("index.html").path)")
    }
}

extension SiteCommand: Exemplified {
    static let examples = [
        "sop site build",
        "sop site build --out /var/www/sop",
    ]
}

extension SiteBuildCommand: Exemplified {
    static let examples = [
        "sop site build",
        "sop site build --out /var/www/sop",
    ]
}
