import Foundation
import TestSupport
import Testing

/// `sop template …` end to end, through the built binary.
@Suite struct TemplateCLITests {
    @Test func lintShippedTemplatesPasses() throws {
        let result = try runSOP([
            "template", "lint",
            Paths.templatesDirectory.appendingPathComponent("aws-account/1.0.0.md").path,
            Paths.templatesDirectory.appendingPathComponent("aws-account/1.1.0.md").path,
            Paths.templatesDirectory.appendingPathComponent("aws-account/1.2.0.md").path,
        ])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func lintReportsEveryProblemAsOneLine() throws {
        let dir = TemporaryDirectory()
        let file = try dir.write(
            "bad.md",
            """
            ---
            id: demo
            version: 1.0
            title: Demo
            roles: [PM]
            ---
            ## 1. Only
            - [ ] **A:** do
              <!-- sop
              id: a
              evidence: [check]
              checks: [iam_not_a_real_check]
              owner: Janitor
              -->
            """)
        let result = try runSOP(["template", "lint", file.path])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("\(file.path):3:10: error: version must be semantic") })
        #expect(lines.contains { $0.contains(":12:3: error: unknown check 'iam_not_a_real_check'") })
        #expect(lines.contains { $0.contains(":13:3: error: unknown owner role 'Janitor'") })
        #expect(lines.allSatisfy { $0.hasPrefix(file.path + ":") && $0.contains(": error: ") })
    }

    @Test func lintNeverTrapsOnHostileBytes() throws {
        let dir = TemporaryDirectory()
        var files: [String] = []
        files.append(try dir.write("empty.md", "").path)
        let binary = dir.path("binary.md")
        try Data((0..<2048).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: binary)
        files.append(binary.path)
        let invalid = dir.path("latin1.md")
        try Data([0x2D, 0x2D, 0x2D, 0x0A, 0xE9, 0x0A]).write(to: invalid)
        files.append(invalid.path)
        files.append(
            try dir.write("nested.md", (0..<2000).map { String(repeating: " ", count: $0 * 2) + "- [ ] x\n" }.joined())
                .path)
        files.append(try dir.write("big.md", String(repeating: "lorem ipsum dolor sit amet\n", count: 200_000)).path)
        files.append(dir.url.path)  // a directory
        files.append(dir.path("missing.md").path)
        let result = try runSOP(["template", "lint"] + files)
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n")
        for file in files {
            #expect(lines.contains { $0.hasPrefix(file + ":") }, "no error line for \(file)")
        }
    }

    @Test func showJSONListsEveryItemWithItsSection() throws {
        let result = try runSOP(["template", "show", "aws-account@1.0.0", "--json"])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any]
        #expect(object?["id"] as? String == "aws-account")
        #expect(object?["version"] as? String == "1.0.0")
        let items = object?["items"] as? [[String: Any]] ?? []
        #expect(items.count >= 75)
        #expect(items.allSatisfy { ($0["section"] as? String)?.isEmpty == false })
        #expect(items.contains { $0["id"] as? String == "iam.password-policy" && $0["section"] as? String == "5.2" })
    }

    @Test func listAndDiff() throws {
        let list = try runSOP(["template", "list"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("1.0.0") && list.stdout.contains("1.1.0"))
        let diff = try runSOP(["template", "diff", "aws-account@1.0.0", "aws-account@1.1.0"])
        #expect(diff.status == 0)
        #expect(diff.stdout.contains("split into"))
        #expect(diff.stdout.contains("password_min_length: 14 → 16"))
        let missing = try runSOP(["template", "show", "aws-account@9.9.9"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no version 9.9.9"))
    }
}
