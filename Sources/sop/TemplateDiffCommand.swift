import ArgumentParser
import Foundation
import SOPApp
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
        let diff = try global.app.diffTemplates(from: from, to: to)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            Swift.print(String(decoding: try encoder.encode(diff), as: UTF8.self))
        } else {
            print(diff.renderText(), terminator: "")
        }
    }
}

extension TemplateDiffCommand: Exemplified {
    static let examples = [
        "sop template diff aws-account@1.0.0 aws-account@1.1.0",
        "sop template diff aws-account@1.0.0 aws-account@1.1.0 --json",
    ]
}
