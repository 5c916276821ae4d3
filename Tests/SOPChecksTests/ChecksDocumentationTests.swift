import Foundation
import SOPChecks
import TestSupport
import Testing

/// `Documentation/Checks.md` is generated from the catalog; this keeps it honest.
@Suite struct ChecksDocumentationTests {
    @Test func checksDocumentIsCurrent() throws {
        let file = Paths.repositoryRoot.appendingPathComponent("Documentation/Checks.md")
        let generated = ChecksDocument.markdown()
        if ProcessInfo.processInfo.environment["SOP_REGENERATE"] == "1" {
            try Data(generated.utf8).write(to: file)
            Issue.record("Documentation/Checks.md regenerated; review the diff and run the tests again")
            return
        }
        let current = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        #expect(
            current == generated,
            "Documentation/Checks.md is out of date with the check catalog; regenerate it with: \(ChecksDocument.regenerateCommand)"
        )
    }

    /// The check ids declared in the source files, read from disk rather than from the catalog
    /// the generator walks: a check file left out of the catalog, or a catalog entry missing
    /// from the checked-in document, fails here.
    @Test func documentNamesEveryCheck() throws {
        let declared = try Self.declaredCheckIds()
        #expect(declared.count >= 30, "found only \(declared.count) check files under Sources/SOPChecks/Checks")
        let disagreeing = Set(declared.map(\.id)).symmetricDifference(CheckCatalog.ids).sorted()
        #expect(disagreeing.isEmpty, "the check files and CheckCatalog.all disagree on \(disagreeing)")

        let file = Paths.repositoryRoot.appendingPathComponent("Documentation/Checks.md")
        let document = try String(contentsOf: file, encoding: .utf8)
        // A check's section is headed by its bare id; other sections (the IAM policy) have titles.
        let headings = document.split(separator: "\n").filter { $0.hasPrefix("## ") && !$0.dropFirst(3).contains(" ") }
            .map { String($0.dropFirst(3)) }
        #expect(
            headings.sorted() == declared.map(\.id).sorted(),
            "Documentation/Checks.md's sections are not one per check file; regenerate with: \(ChecksDocument.regenerateCommand)"
        )
        for (id, path) in declared {
            #expect(
                document.contains("| [`\(id)`](#\(id)) |"),
                "\(path): \(id) is missing from the table of Documentation/Checks.md")
            #expect(ChecksDocument.markdown().contains("\n## \(id)\n"), "\(path): the generator leaves out \(id)")
        }
    }

    /// `(id, path)` of every `Check(id: "…"` under `Sources/SOPChecks/Checks/<Service>/`, one per file.
    static func declaredCheckIds() throws -> [(id: String, path: String)] {
        let root = Paths.repositoryRoot.appendingPathComponent("Sources/SOPChecks/Checks")
        let declaration = try Regex(#"Check\(\s*id:\s*"([a-z0-9_]+)""#)
        var found: [(id: String, path: String)] = []
        for folder in try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() {
            let directory = root.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            where name.hasSuffix(".swift") {
                let path = "Checks/\(folder)/\(name)"
                let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
                let ids = text.matches(of: declaration).compactMap { $0.output[1].substring.map(String.init) }
                #expect(ids.count == 1, "\(path) declares \(ids.count) checks, not one")
                found += ids.map { (id: $0, path: path) }
            }
        }
        return found
    }
}
