import Foundation
import TestSupport
import Testing

/// Every command's `--help`: paragraphs the parser wraps (no hard line break in mid-sentence),
/// lines that fit 80 columns, and two or three real examples at the end.
@Suite struct HelpTextTests {
    /// Every command path, found by walking the SUBCOMMANDS sections from the root's help.
    static func commandPaths() throws -> [[String]] {
        var paths: [[String]] = []
        var queue: [[String]] = [[]]
        while let path = queue.first {
            queue.removeFirst()
            paths.append(path)
            let help = try runSOP(path + ["--help"]).stdout
            guard let start = help.range(of: "SUBCOMMANDS:\n") else { continue }
            // The section ends at its first blank line.
            for line in help[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
                if line.isEmpty { break }
                guard line.hasPrefix("  "), !line.hasPrefix("   "), let name = line.split(separator: " ").first
                else { continue }
                queue.append(path + [String(name)])
            }
            #expect(paths.count < 100, "walking the command tree must end")
            if paths.count >= 100 { break }
        }
        return paths
    }

    @Test func everyCommandsHelpWrapsCleanlyAndEndsWithExamples() throws {
        let paths = try Self.commandPaths()
        #expect(paths.count >= 30, "root, commands and subcommands: \(paths.map { $0.joined(separator: " ") })")
        for path in paths {
            let name = (["sop"] + path).joined(separator: " ")
            let result = try runSOP(path + ["--help"])
            #expect(result.status == 0, "\(name) --help")
            let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            // The synopsis is the parser's one line; everything else must fit.
            for line in lines where !line.hasPrefix("USAGE:") {
                #expect(line.count <= 80, "\(name) --help: a line wider than 80 columns: \(line)")
            }
            // The overview and discussion come before USAGE: a short line followed by one that
            // starts in lower case is a hard break in mid-sentence.
            let prose = lines.prefix { !$0.hasPrefix("USAGE:") }
            for (line, next) in zip(prose, prose.dropFirst()) where !line.isEmpty && line.count < 60 {
                #expect(
                    !(next.first?.isLowercase ?? false), "\(name) --help breaks mid-sentence: '\(line)' / '\(next)'")
            }
            let body = Array(lines.reversed().drop { $0.isEmpty }.reversed())
            guard let examplesAt = body.lastIndex(of: "EXAMPLES:") else {
                Issue.record("\(name) --help has no EXAMPLES section")
                continue
            }
            let examples = body[(examplesAt + 1)...].filter { $0.hasPrefix("  sop ") }
            #expect((2...3).contains(examples.count), "\(name): \(examples.count) examples")
            for example in examples {
                #expect(
                    example.hasPrefix("  \(name) ") || example.hasPrefix("  \(name)\n") || example == "  \(name)"
                        || path.isEmpty || Self.isDefaultSubcommandExample(example, of: path),
                    "\(name): example for another command: \(example)")
            }
        }
    }

    /// `sop signoff acme 5 …` gives a sign-off (`give` is the default subcommand).
    static func isDefaultSubcommandExample(_ example: String, of path: [String]) -> Bool {
        path.last == "give" && example.hasPrefix("  sop \(path.dropLast().joined(separator: " ")) ")
    }

    @Test func helpThroughTheHelpCommandEndsWithTheSameExamples() throws {
        let viaFlag = try runSOP(["evidence", "add", "--help"]).stdout
        let viaCommand = try runSOP(["help", "evidence", "add"]).stdout
        #expect(viaFlag.contains("EXAMPLES:\n  sop evidence add "))
        #expect(viaCommand.hasSuffix(viaFlag.split(separator: "EXAMPLES:").last.map(String.init) ?? "-"))
    }
}
