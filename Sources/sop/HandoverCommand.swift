import ArgumentParser
import Foundation
import SOPRender

/// `sop handover SLUG --out DIR`: the customer's handover packet.
///
/// The packet (handover.md, handover.html, evidence/, MANIFEST.sha256) is written to a
/// temporary folder beside DIR and moved into place whole. DIR may be missing, empty, or
/// a previous packet (it has MANIFEST.sha256), which is replaced; any other non-empty
/// folder is refused unless --force, so a mistyped --out never wipes unrelated files.
struct HandoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handover",
        abstract: "Write a handover packet.",
        discussion: """
            Writes handover.md, a self-contained handover.html (print it to PDF), evidence/ with the \
            exported files and MANIFEST.sha256 (check with: sha256sum -c MANIFEST.sha256). The customer \
            audience leaves out internal evidence and notes.
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The customer.") var slug: String
    @Option(help: ArgumentHelp("The folder to write the packet to.", valueName: "dir")) var out: String
    @Option(help: "customer (default) or internal.") var audience: String = "customer"
    @Option(name: .customLong("prepared-by"), help: ArgumentHelp("Name on the cover (default: $SOP_USER, else $USER).", valueName: "name"))
    var preparedBy: String?
    @Flag(help: "Replace a non-empty folder that is not a previous packet.") var force = false

    func run() async throws {
        guard let audience = Audience(rawValue: audience.lowercased()) else {
            throw CommandFailure("--audience must be customer or internal, not '\(audience)'")
        }
        let context = try TrackerContext.open(global)
        let now: Date
        do { now = try RenderClock.now(environment: context.environment) } catch { throw CommandFailure("\(error)") }
        let destination = URL(fileURLWithPath: out).standardizedFileURL
        let preparedBy = context.actor(preparedBy)
        let result: HandoverPacket.Result
        do {
            result = try context.run { store in
                let report = try StoreAdapter(store: store).report(slug: slug)
                let packet = HandoverPacket(report: report, audience: audience, date: now, preparedBy: preparedBy)
                return try packet.write(to: destination, evidence: CustomerEvidenceFiles(store: store, slug: slug), force: force)
            }
        } catch let error as RenderError {
            throw CommandFailure(error.description)
        }
        print("wrote \(audience.rawValue) handover packet for \(slug): \(result.files.count) files in \(destination.path)")
        print("open \(destination.appendingPathComponent("handover.html").path)")
        print("check with: (cd \(destination.path) && sha256sum -c \(result.files.last ?? "MANIFEST.sha256"))")
    }
}
