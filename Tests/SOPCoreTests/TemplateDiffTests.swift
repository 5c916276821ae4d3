import Foundation
import TestSupport
import Testing

@testable import SOPCore

@Suite struct TemplateDiffTests {
    func load(_ version: String) throws -> Template {
        try TemplateParser().parse(fileAt: Paths.templatesDirectory.appendingPathComponent("aws-account/\(version).md"))
    }

    @Test func shippedRevisionDiff() throws {
        let diff = TemplateDiff(from: try load("1.0.0"), to: try load("1.1.0"))
        #expect(diff.added.map(\.id).contains("account.alternate-contacts"))
        #expect(diff.removed.map(\.id) == ["handover.credentials"])
        let split = diff.replaced.first { $0.kind == "split" }
        #expect(split?.old.map(\.id) == ["cloudtrail.configure"])
        #expect(Set(split?.new.map(\.id) ?? []) == ["cloudtrail.all-regions", "cloudtrail.encrypted-bucket"])
        #expect(diff.replaced.contains { $0.kind == "renamed" && $0.old.map(\.id) == ["iam.users"] })
        #expect(diff.parameters.contains { $0.name == "password_min_length" && $0.before == "14" && $0.after == "16" })
        let sg = diff.changed.first { $0.id == "network.security-groups" }
        #expect(sg?.requirementsChanged == true)
        Golden.assertMatches(diff.renderText(), named: "diff-aws-account-1.0.0-1.1.0.txt")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        Golden.assertMatches(
            String(decoding: try encoder.encode(diff), as: UTF8.self) + "\n", named: "diff-aws-account-1.0.0-1.1.0.json"
        )
    }

    /// 1.2.0 only plans: due rules and validity periods change (and one parameter says how long
    /// check results stay current), no requirement does, so no sign-off has to be given again
    /// after the upgrade.
    @Test func planningRevisionDiff() throws {
        let diff = TemplateDiff(from: try load("1.1.0"), to: try load("1.2.0"))
        #expect(diff.added.isEmpty && diff.removed.isEmpty && diff.replaced.isEmpty && diff.moved.isEmpty)
        #expect(diff.sections.isEmpty)
        #expect(diff.parameters.map(\.name) == ["verification_valid_for"], "how long check results stay current")
        #expect(diff.changed.allSatisfy { !$0.requirementsChanged })
        #expect(Set(diff.changed.flatMap(\.changes).map(\.field)) == ["due", "valid_for"])
        let mfa = diff.changed.first { $0.id == "root.mfa" }
        #expect(mfa?.changes.map(\.before) == ["none"])
        #expect(mfa?.changes.map(\.after) == ["after prep.root-email +3wd"])
        let text = diff.renderText()
        #expect(text.contains("      due: none → start+2wd\n"))
        #expect(text.contains("      evidence valid for: always → 365d\n"))
    }

    @Test func identicalTemplatesHaveNoDifferences() throws {
        let t = try load("1.0.0")
        let diff = TemplateDiff(from: t, to: t)
        #expect(diff.isEmpty)
        #expect(diff.renderText().contains("No differences."))
    }

    @Test func mergeAndMove() throws {
        func template(_ items: [Item]) -> Template {
            Template(
                id: "t", version: SemanticVersion(1, 0, 0), title: "T", roles: [], releaseNotes: nil, parameters: [],
                sections: [
                    Section(number: "1", title: "A", level: 2, position: .start),
                    Section(number: "2", title: "B", level: 2, position: .start),
                ],
                items: items, path: "", sha256: "", body: "")
        }
        let old = template([
            Item(id: "a", section: "1", title: "A"), Item(id: "b", section: "1", title: "B"),
            Item(id: "c", section: "1", title: "C"),
        ])
        let new = template([
            Item(id: "ab", section: "1", title: "AB", replaces: ["a", "b"]),
            Item(id: "c", section: "2", title: "C"),
        ])
        let diff = TemplateDiff(from: old, to: new)
        #expect(diff.replaced.count == 1)
        #expect(diff.replaced.first?.kind == "merged")
        #expect(diff.replaced.first?.old.map(\.id) == ["a", "b"])
        #expect(diff.moved == [TemplateDiff.Move(id: "c", from: "1", to: "2")])
        #expect(diff.added.isEmpty && diff.removed.isEmpty)
    }
}
