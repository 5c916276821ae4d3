import ArgumentParser
import Foundation
import SOPCore
import SOPRender

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
        commandName: "build", abstract: "Build the site (relative links: open index.html from disk or any static host).")

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("The folder to build into (replaced whole).", valueName: "dir")) var out: String = "site"
    @Flag(help: "Replace a non-empty folder that is not a previous site build.") var force = false

    func run() async throws {
        let context = try TrackerContext.open(global)
        let now: Date
        do { now = try RenderClock.now(environment: context.environment) } catch { throw CommandFailure("\(error)") }
        var templates: [Template] = []
        let library = global.templateLibrary()
        for entry in library.entries() {
            do {
                templates.append(try library.load(entry.reference))
            } catch {
                Terminal.standardError("sop: warning: template \(entry.reference) skipped: \(String(describing: error).split(separator: "\n").first ?? "")")
            }
        }
        let destination = URL(fileURLWithPath: out).standardizedFileURL
        let adapter = StoreAdapter(store: context.store)
        // Reports are read while their pages are written (one per core), not all up front.
        let files: [String] = try context.run { _ in
            let input = SiteInput(portfolio: try adapter.portfolio(), templates: templates,
                                  activity: try adapter.activity(limit: 200), now: now,
                                  loadReport: { slug in try adapter.report(slug: slug) })
            do {
                return try SiteBuilder(input: input).build(to: destination, force: force)
            } catch let error as RenderError {
                throw CommandFailure(error.description)
            }
        }
        print("built site: \(files.count) files in \(destination.path)")
        print("open \(destination.appendingPathComponent("index.html").path)")
    }
}
