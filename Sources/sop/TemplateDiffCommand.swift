import ArgumentParser
import Foundation
import SOPCore

/// `sop template diff ID@A ID@B`: what changed between two versions, as release notes.
struct TemplateDiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two template versions: items added, retired, renamed, split, moved and changed.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The older version, ID@VERSION.") var from: String
    @Argument(help: "The newer version, ID@VERSION.") var to: String
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let old = try TrackerContext.template(from, global: global)
        let new = try TrackerContext.template(to, global: global)
        guard old.id == new.id else {
            throw CommandFailure("cannot compare different templates \(old.id) and \(new.id)")
        }
        let diff = TemplateDiff(from: old, to: new)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(diff), as: UTF8.self))
        } else {
            print(diff.renderText(), terminator: "")
        }
    }
}
