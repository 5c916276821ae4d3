import Foundation
import Testing
import TestSupport
import SOPChecks

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
        #expect(current == generated,
                "Documentation/Checks.md is out of date with the check catalog; regenerate it with: \(ChecksDocument.regenerateCommand)")
    }

    @Test func documentNamesEveryCheck() {
        let text = ChecksDocument.markdown()
        for check in CheckCatalog.all {
            #expect(text.contains("## \(check.id)"))
        }
    }
}
