import Foundation
import TestSupport
import Testing

@testable import SOPCore

/// The shipped SOP template: valid, complete against the seed SOP, and stable as JSON.
@Suite struct ShippedTemplateTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    func shipped(_ version: String = "1.0.0") throws -> Template {
        try TemplateParser().parse(fileAt: Paths.templatesDirectory.appendingPathComponent("aws-account/\(version).md"))
    }

    @Test(arguments: ["1.0.0", "1.1.0", "1.2.0"])
    func parsesWithoutProblems(_ version: String) throws {
        let template = try shipped(version)
        #expect(template.id == "aws-account")
        #expect(template.version.description == version)
        #expect(template.items.count > 70)
    }

    /// Every top-level bullet of the seed SOP, per subsection, read from the seed with cmark.
    static func seedBullets() throws -> [(section: String, label: String)] {
        let text = try String(contentsOf: fixtures.appendingPathComponent("seed/aws-account-sop.md"), encoding: .utf8)
        let document = CommonMarkDocument(text)
        var section = ""
        var bullets: [(String, String)] = []
        for block in document.document.children {
            switch block.kind {
            case .heading:
                let heading = block.plainText
                if heading.hasPrefix("Additional Considerations") {
                    section = "A"
                    continue
                }
                if heading.hasPrefix("References") {
                    section = "B"
                    continue
                }
                // The seed glues some subsection headings onto their parent ("Security8.1. …"):
                // the last dotted number in the heading is the section's.
                var runs: [String] = []
                var run = ""
                for ch in heading + " " {
                    if ch.isNumber || (ch == "." && !run.isEmpty) {
                        run.append(ch)
                        continue
                    }
                    if run.hasSuffix(".") { runs.append(String(run.dropLast())) }
                    run = ""
                }
                if let last = runs.last { section = last }
            case .list where section != "B":
                for item in block.children {
                    guard let strong = item.firstChild?.firstChild, strong.kind == .strong else { continue }
                    var label = strong.plainText
                    if label.hasSuffix(":") { label.removeLast() }
                    bullets.append((section, label))
                }
            default: break
            }
        }
        return bullets
    }

    @Test func everySeedBulletIsOneItemInItsSection() throws {
        let template = try shipped()
        let mapping = try String(contentsOf: Self.fixtures.appendingPathComponent("seed-bullets.tsv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        let seed = try Self.seedBullets()
        #expect(seed.count == 75, "the seed SOP has 75 top-level bullets including Additional Considerations")
        #expect(mapping.count == seed.count)
        var mappedIDs = Set<String>()
        for (index, bullet) in seed.enumerated() where index < mapping.count {
            let row = mapping[index]
            #expect(row.count == 3)
            #expect(row[0] == bullet.section && row[1] == bullet.label, "row \(index + 1): \(row) vs seed \(bullet)")
            guard let item = template.item(row[2]) else {
                Issue.record("seed bullet '\(bullet.label)' maps to missing item \(row[2])")
                continue
            }
            #expect(
                item.section == bullet.section, "\(item.id) is in \(item.section), seed bullet in \(bullet.section)")
            #expect(
                item.title.lowercased().hasPrefix(bullet.label.lowercased()),
                "\(item.id) title '\(item.title)' lost the label '\(bullet.label)'")
            #expect(mappedIDs.insert(item.id).inserted, "two seed bullets map to \(item.id)")
        }
        // Nothing invented beyond the seed except items the compliance requirements imply.
        for item in template.items where !mappedIDs.contains(item.id) {
            #expect(item.when != nil, "\(item.id) is neither a seed bullet nor a conditional compliance item")
        }
        // Every seed section is present with its number.
        for number in Set(seed.map(\.section)) {
            #expect(template.section(number) != nil, "section \(number) missing")
        }
        #expect(template.section("8.1")?.title == "Configure VPC Settings")
        #expect(template.section("8")?.title == "Establish Network Security")
    }

    @Test func compliantItemsAreConditional() throws {
        let template = try shipped()
        let hipaa = template.items.filter { $0.when?.description.contains("hipaa") == true }
        let gdpr = template.items.filter { $0.when?.description.contains("gdpr") == true }
        #expect(!hipaa.isEmpty && !gdpr.isEmpty)
        #expect(template.section("15.1")?.signoff.contains("Customer Stakeholder") == true)
        #expect(template.section("5")?.signoff == ["Security Lead"])
    }

    @Test func showJSONGolden() throws {
        let json = String(decoding: try TemplateJSON(try shipped()).encoded(), as: UTF8.self)
        Golden.assertMatches(json + "\n", named: "template-show-aws-account-1.0.0.json")
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let items = object?["items"] as? [[String: Any]] ?? []
        #expect(items.count == (try shipped()).items.count)
        for key in ["id", "section", "title", "evidence", "signoff", "checks", "when", "depends"] {
            #expect(items.allSatisfy { $0.keys.contains(key) }, "every item has '\(key)'")
        }
        let sections = object?["sections"] as? [[String: Any]] ?? []
        #expect(sections.allSatisfy { $0["number"] is String && $0["title"] is String && $0["signoff"] is [Any] })
    }
}
