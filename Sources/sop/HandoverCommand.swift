import ArgumentParser
import Foundation
import SOPApp
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
    @Option(
        name: .customLong("prepared-by"),
        help: ArgumentHelp("Name on the cover (default: $SOP_USER, else $USER).", valueName: "name"))
    var preparedBy: String?
    @Flag(help: "Replace a non-empty folder that is not a previous packet.") var force = false

    func run() async throws {
        let audience = try SOPApplication.audience(audience, allowed: "customer or internal")
        let result = try global.app.handover(
            slug: slug, to: out, audience: audience, preparedBy: preparedBy, force: force)
        let destination = result.folder
        print(
            "wrote \(audience.rawValue) handover packet for \(slug): \(result.files.count) files in \(destination.path)"
        )
        print("open \(destination.appendingPathComponent("handover.html").path)")
        print("check with: (cd \(destination.path) && sha256sum -c \(result.files.last ?? "MANIFEST.sha256"))")
    }
}

extension HandoverCommand: Exemplified {
    static let examples = [
        "sop handover acme --out ~/handover/acme",
        "sop handover acme --out ~/handover/acme-internal --audience internal",
    ]
}
