import ArgumentParser

/// A command whose `--help` ends with real examples (two or three, each a line that fits an
/// 80-column terminal).
protocol Exemplified {
    static var examples: [String] { get }
}

/// Appends a command's examples to the help text the argument parser generated.
///
/// The parser has no examples section and prints the discussion before the usage line, so the
/// examples are added after its text: the command is found from the help's own `USAGE: sop …`
/// line, which names the command path exactly as typed.
enum HelpExamples {
    /// Command path (`evidence add`) → examples, from every registered command.
    static let byPath: [String: [String]] = {
        var found: [String: [String]] = [:]
        func walk(_ command: any ParsableCommand.Type, path: [String]) {
            if let exemplified = command as? any Exemplified.Type {
                found[path.joined(separator: " ")] = exemplified.examples
            }
            for sub in command.configuration.subcommands {
                walk(sub, path: path + [sub.configuration.commandName ?? ""])
            }
        }
        walk(SOP.self, path: [])
        return found
    }()

    /// The command path a generated help text is for: the words after `USAGE: sop` up to the
    /// first placeholder or option.
    static func commandPath(ofHelp help: String) -> String? {
        guard let usage = help.split(separator: "\n").first(where: { $0.hasPrefix("USAGE: sop") }) else { return nil }
        let words = usage.dropFirst("USAGE: sop".count).split(separator: " ")
            .prefix { !$0.hasPrefix("<") && !$0.hasPrefix("[") && !$0.hasPrefix("-") }
        return words.joined(separator: " ")
    }

    static func append(to help: String) -> String {
        guard let path = commandPath(ofHelp: help), let examples = byPath[path], !examples.isEmpty else { return help }
        var text = help
        while text.hasSuffix("\n") { text.removeLast() }
        return text + "\n\nEXAMPLES:\n" + examples.map { "  " + $0 }.joined(separator: "\n") + "\n"
    }
}
