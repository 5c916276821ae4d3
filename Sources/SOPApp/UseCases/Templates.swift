import Foundation
import SOPChecks
import SOPCore

/// One template file the library found, parsed when it parses.
public struct TemplateListing: Sendable {
    public var id: String
    public var version: String
    public var path: String
    /// nil when the file does not parse (`sop template lint` says why) or is refused.
    public var template: Template?
    /// Why the version is refused: shadowed by a different file, or edited after its release.
    public var problem: String?
}

/// What `sop template lint` found: every problem as `path:line:col: error: message`.
public struct LintResult: Sendable {
    public var diagnostics: [String]
    /// Problems found (a file that cannot be read counts as one).
    public var problems: Int
    public var files: Int
    public var verdict: Verdict { problems == 0 ? .ok : .notOK }
}

extension SOPApplication {
    /// `sop template list`: every template and version in the search path.
    public func listTemplates() -> (listings: [TemplateListing], searchPaths: [String]) {
        let library = context.templateLibrary
        let listings = library.entries().map { entry in
            let problem = entry.problem()
            return TemplateListing(
                id: entry.id, version: entry.version.description, path: entry.url.path,
                template: problem == nil ? try? TemplateParser().parse(fileAt: entry.url) : nil, problem: problem)
        }
        return (listings, library.searchPaths.map(\.path))
    }

    /// `sop template show`: one template (`id` for the latest version, or `id@version`).
    public func showTemplate(_ reference: String) throws -> Template {
        try context.template(reference)
    }

    /// `sop template diff`: what changed between two versions of one template.
    public func diffTemplates(from: String, to: String) throws -> TemplateDiff {
        let old = try context.template(from)
        let new = try context.template(to)
        guard old.id == new.id else {
            throw AppError.badInput("cannot compare different templates \(old.id) and \(new.id)")
        }
        return TemplateDiff(from: old, to: new)
    }

    /// `sop template lint`: parses each file against the check catalog; a file stored as
    /// `<id>/<version>.md` must also declare that id and version.
    public func lintTemplates(paths: [String]) -> LintResult {
        var lines: [String] = []
        var problems = 0
        let parser = TemplateParser(knownChecks: Set(CheckCatalog.ids))
        for path in paths {
            let url = URL(fileURLWithPath: path)
            if let problem = FileKind.problemReading(path, directoryNoun: "a template file") {
                lines.append("\(path):1:1: error: \(problem)")
                problems += 1
                continue
            }
            let data: Data
            do {
                data = try Data(contentsOf: url)
            } catch {
                lines.append("\(path):1:1: error: cannot read file: \(error.localizedDescription)")
                problems += 1
                continue
            }
            var (template, diagnostics) = parser.check(data: data, path: path)
            if let template, diagnostics.isEmpty {
                diagnostics += Self.pathConsistency(template, url: url)
            }
            lines += TemplateErrors(diagnostics).diagnostics.map(\.description)
            problems += diagnostics.count
        }
        return LintResult(diagnostics: lines, problems: problems, files: paths.count)
    }

    /// A template stored as `<id>/<version>.md` must declare that id and version.
    static func pathConsistency(_ template: Template, url: URL) -> [Diagnostic] {
        let file = url.deletingPathExtension().lastPathComponent
        let folder = url.deletingLastPathComponent().lastPathComponent
        guard let version = SemanticVersion(file) else { return [] }
        var found: [Diagnostic] = []
        if version != template.version {
            found.append(
                Diagnostic(
                    path: url.path, position: .start,
                    message: "file name says version \(version) but front matter says \(template.version)"))
        }
        if Identifier.isTemplateID(folder), folder != template.id, folder != "Templates" {
            found.append(
                Diagnostic(
                    path: url.path, position: .start,
                    message: "folder '\(folder)' does not match template id '\(template.id)'"))
        }
        return found
    }

    /// `sop iam-policy`: exactly the read-only actions the checks of the customer's pinned
    /// template call (plus the identity and region calls), as a policy document.
    public func iamPolicy(slug: String) throws -> String {
        let customer = try Tracker.with(context) { try $0.customer(slug) }
        let template = try context.pinnedTemplate(for: customer)
        guard template.hasChecks else {
            throw AppError.badInput(
                "\(slug) is on \(template.reference), which has no automated checks: no audit role or policy is needed")
        }
        let plan: VerificationPlan
        do {
            plan = try VerificationPlan(template: template, applicableItems: Set(template.items.map(\.id)))
        } catch {
            throw AppError.badInput(error.description)
        }
        return CheckCatalog.iamPolicyJSON(for: plan.checks)
    }
}
