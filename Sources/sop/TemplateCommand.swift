import ArgumentParser
import Foundation
import SOPCore

/// `sop template …`: list, show, lint and diff checklist templates.
struct TemplateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "List, show, lint and compare checklist templates.",
        subcommands: [TemplateListCommand.self, TemplateShowCommand.self, TemplateLintCommand.self, TemplateDiffCommand.self]
    )
}

struct TemplateListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the templates and versions found.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let library = global.templateLibrary()
        let entries = library.entries()
        if json {
            let rows = entries.map { ["id": $0.id, "version": $0.version.description, "path": $0.url.path] }
            let data = try JSONSerialization.data(withJSONObject: ["templates": rows], options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        guard !entries.isEmpty else {
            throw CommandFailure("no templates found (looked in \(library.searchPaths.map(\.path).joined(separator: ", ")))")
        }
        var table = TextTable(columns: ["TEMPLATE", "VERSION", "ITEMS", "TITLE", "PATH"])
        for entry in entries {
            if let template = try? TemplateParser().parse(fileAt: entry.url) {
                table.append([entry.id, entry.version.description, String(template.items.count), template.title, entry.url.path])
            } else {
                table.append([entry.id, entry.version.description, "-", "(invalid: run sop template lint)", entry.url.path])
            }
        }
        print(table.render(), terminator: "")
    }
}

struct TemplateShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a template's sections and items.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "ID or ID@VERSION (latest version when omitted).") var reference: String
    @Flag(help: "Print the template as JSON.") var json = false

    func run() async throws {
        let template = try TrackerContext.template(reference, global: global)
        if json {
            print(String(decoding: try TemplateJSON(template).encoded(), as: UTF8.self))
            return
        }
        print("\(template.title) — \(template.reference)")
        print("\(template.items.count) items in \(template.sections.count) sections; roles: \(template.roles.joined(separator: ", "))")
        for section in template.sections {
            let indent = String(repeating: "  ", count: max(0, section.level - 2))
            let signoff = section.signoff.isEmpty ? "" : "  [sign-off: \(section.signoff.joined(separator: ", "))]"
            print("\(indent)\(section.number) \(section.title)\(signoff)")
            for item in template.items where item.section == section.number {
                var tags: [String] = []
                if !item.checks.isEmpty { tags.append("checks: \(item.checks.joined(separator: ", "))") }
                if let when = item.when { tags.append("when \(when)") }
                if !item.signoff.isEmpty { tags.append("sign-off: \(item.signoff.joined(separator: ", "))") }
                print("\(indent)  - \(item.id): \(item.title)" + (tags.isEmpty ? "" : "  (\(tags.joined(separator: "; ")))"))
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
        var problems = 0
        let parser = TemplateParser(knownChecks: CheckCatalogIDs.all)
        for path in paths {
            let url = URL(fileURLWithPath: path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                print("\(path):1:1: error: \(isDirectory.boolValue ? "is a directory, not a template file" : "no such file")")
                problems += 1
                continue
            }
            let data: Data
            do {
                data = try Data(contentsOf: url)
            } catch {
                print("\(path):1:1: error: cannot read file: \(error.localizedDescription)")
                problems += 1
                continue
            }
            var (template, diagnostics) = parser.check(data: data, path: path)
            if let template, diagnostics.isEmpty {
                diagnostics += Self.pathConsistency(template, url: url)
            }
            for diagnostic in TemplateErrors(diagnostics).diagnostics { print(diagnostic.description) }
            problems += diagnostics.count
        }
        if problems > 0 {
            Terminal.standardError("\(problems) problem\(problems == 1 ? "" : "s") found")
            throw CommandFailure.silent(1)
        }
        Terminal.standardError("\(paths.count) template\(paths.count == 1 ? "" : "s") OK")
    }

    /// A template stored as `<id>/<version>.md` must declare that id and version.
    static func pathConsistency(_ template: Template, url: URL) -> [Diagnostic] {
        let file = url.deletingPathExtension().lastPathComponent
        let folder = url.deletingLastPathComponent().lastPathComponent
        guard let version = SemanticVersion(file) else { return [] }
        var found: [Diagnostic] = []
        if version != template.version {
            found.append(Diagnostic(path: url.path, position: .start, message: "file name says version \(version) but front matter says \(template.version)"))
        }
        if Identifier.isTemplateID(folder), folder != template.id, folder != "Templates" {
            found.append(Diagnostic(path: url.path, position: .start, message: "folder '\(folder)' does not match template id '\(template.id)'"))
        }
        return found
    }
}
