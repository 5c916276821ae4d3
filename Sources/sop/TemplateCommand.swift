import ArgumentParser
import Foundation
import SOPApp
import SOPCore

/// `sop template …`: list, show, lint and diff checklist templates.
struct TemplateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "List, show, lint and compare checklist templates.",
        subcommands: [
            TemplateListCommand.self, TemplateShowCommand.self, TemplateLintCommand.self, TemplateDiffCommand.self,
        ]
    )
}

struct TemplateListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the templates and versions found.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let (listings, searchPaths) = global.app.listTemplates()
        if json {
            let rows = listings.map { ["id": $0.id, "version": $0.version, "path": $0.path] }
            let data = try JSONSerialization.data(
                withJSONObject: ["templates": rows], options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            Swift.print(String(decoding: data, as: UTF8.self))
            return
        }
        guard !listings.isEmpty else {
            throw CommandFailure("no templates found (looked in \(searchPaths.joined(separator: ", ")))")
        }
        var table = TextTable(columns: ["TEMPLATE", "VERSION", "ITEMS", "TITLE", "PATH"])
        for listing in listings {
            if let problem = listing.problem {
                table.append([listing.id, listing.version, "-", "(refused: see the warning)", listing.path])
                Terminal.standardError("sop: warning: \(problem)")
            } else if let template = listing.template {
                table.append([listing.id, listing.version, String(template.items.count), template.title, listing.path])
            } else {
                table.append([listing.id, listing.version, "-", "(invalid: run sop template lint)", listing.path])
            }
        }
        print(table.render(), terminator: "")
    }
}

struct TemplateShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a template's sections and items.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "ID or ID@VERSION (latest version when omitted).") var reference: String
    @Flag(help: "Print the template as JSON.") var json = false

    func run() async throws {
        let template = try global.app.showTemplate(reference)
        if json {
            Swift.print(String(decoding: try TemplateJSON(template).encoded(), as: UTF8.self))
            return
        }
        print("\(template.title) — \(template.reference)")
        print(
            "\(template.items.count) items in \(template.sections.count) sections; roles: \(template.roles.joined(separator: ", "))"
        )
        for section in template.sections {
            let indent = String(repeating: "  ", count: max(0, section.level - 2))
            let signoff = section.signoff.isEmpty ? "" : "  [sign-off: \(section.signoff.joined(separator: ", "))]"
            print("\(indent)\(section.number) \(section.title)\(signoff)")
            for item in template.items where item.section == section.number {
                var tags: [String] = []
                if !item.checks.isEmpty { tags.append("checks: \(item.checks.joined(separator: ", "))") }
                if let when = item.when { tags.append("when \(when)") }
                if !item.signoff.isEmpty { tags.append("sign-off: \(item.signoff.joined(separator: ", "))") }
                if let due = item.due { tags.append("due \(due)") }
                if let period = item.validFor { tags.append("evidence valid \(period)") }
                print(
                    "\(indent)  - \(item.id): \(item.title)"
                        + (tags.isEmpty ? "" : "  (\(tags.joined(separator: "; ")))"))
            }
        }
    }
}

struct TemplateLintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check template files; prints every problem as path:line:col: error: message.")

    @Argument(help: "Template files to check.") var paths: [String]

    func run() async throws {
        let result = SOPApplication(.live(database: nil, templates: [], output: TerminalOutput())).lintTemplates(
            paths: paths)
        for line in result.diagnostics { print(line) }
        if result.problems > 0 {
            Terminal.standardError("\(result.problems) problem\(result.problems == 1 ? "" : "s") found")
            try CommandFailure.unless(result.verdict)
        }
        Terminal.standardError("\(paths.count) template\(paths.count == 1 ? "" : "s") OK")
    }
}

extension TemplateCommand: Exemplified {
    static let examples = [
        "sop template list",
        "sop template show aws-account@1.1.0",
        "sop template lint Templates/aws-account/1.1.0.md",
    ]
}

extension TemplateListCommand: Exemplified {
    static let examples = [
        "sop template list",
        "sop template list --json",
    ]
}

extension TemplateShowCommand: Exemplified {
    static let examples = [
        "sop template show aws-account",
        "sop template show aws-account@1.0.0 --json",
    ]
}

extension TemplateLintCommand: Exemplified {
    static let examples = [
        "sop template lint Templates/aws-account/1.1.0.md",
        "sop template lint Templates/*/*.md",
    ]
}
