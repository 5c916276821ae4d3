import Foundation
import TestSupport
import Testing

/// Released templates cannot change under their version number (issue 11, class 6).
@Suite struct EditedReleaseTests {
    /// A copy of the shipped templates (with their RELEASED.sha256) to edit.
    func copyOfTemplates() throws -> TemporaryDirectory {
        let dir = TemporaryDirectory("sop-templates")
        try FileManager.default.copyItem(
            at: Paths.templatesDirectory.appendingPathComponent("aws-account"),
            to: dir.path("aws-account"))
        return dir
    }

    @Test func theShippedReleasesMatchTheirRecordedHashes() throws {
        let result = try runProcess(
            URL(fileURLWithPath: "/usr/bin/sha256sum"), ["-c", "RELEASED.sha256"],
            currentDirectory: Paths.templatesDirectory.appendingPathComponent("aws-account"))
        #expect(
            result.status == 0,
            "a released template was edited: give the change a new version (\(result.stdout)\(result.stderr))")
    }

    @Test func anEditedReleaseIsRefusedForNewAndPinnedCustomers() throws {
        let templates = try copyOfTemplates()
        let t = TrackerFixture()
        let env = ["SOP_TEMPLATES": templates.url.path]
        var r = try t.sop(
            ["new", "m1", "--name", "M1", "--email", "a@m1.example", "--template", "aws-account@1.0.0"],
            environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        let file = templates.path("aws-account/1.0.0.md")
        let edited = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "Root", with: "R00t")
        try Data(edited.utf8).write(to: file)
        r = try t.sop(
            ["new", "m2", "--name", "M2", "--email", "a@m2.example", "--template", "aws-account@1.0.0"],
            environment: env)
        #expect(r.status == 2)
        #expect(r.stderr.contains("was edited after its release"), "\(r.stderr)")
        r = try t.sop(["iam-policy", "m1"], environment: env)
        #expect(r.status == 2, "the pinned customer is refused too: \(r.stderr)")
        r = try t.sop(["template", "list"], environment: env)
        #expect(r.stdout.contains("(refused: see the warning)"))
        #expect(r.stderr.contains("aws-account@1.0.0") && r.stderr.contains("edited after its release"))
        #expect(try t.sop(["customers"]).stdout.contains("m1") && !(try t.sop(["customers"]).stdout.contains("m2")))
    }

    @Test func aShadowingTemplateIsReportedAndRefusedUnlessIdentical() throws {
        let shadow = TemporaryDirectory("sop-shadow")
        try FileManager.default.createDirectory(at: shadow.path("aws-account"), withIntermediateDirectories: true)
        let shipped = Paths.templatesDirectory.appendingPathComponent("aws-account/1.1.0.md")
        try FileManager.default.copyItem(at: shipped, to: shadow.path("aws-account/1.1.0.md"))
        let t = TrackerFixture()
        // SOP_TEMPLATES comes first in the search path, the shipped folder after it.
        let env = ["SOP_TEMPLATES": shadow.url.path + ":" + Paths.templatesDirectory.path]
        var r = try t.sop(["new", "a", "--name", "A", "--email", "a@a.example"], environment: env)
        #expect(r.status == 0, "an identical copy is fine: \(r.stderr)")
        let changed = try String(contentsOf: shipped, encoding: .utf8) + "\n<!-- a local change -->\n"
        try Data(changed.utf8).write(to: shadow.path("aws-account/1.1.0.md"))
        r = try t.sop(["new", "b", "--name", "B", "--email", "b@b.example"], environment: env)
        #expect(r.status == 2)
        #expect(r.stderr.contains("is defined twice with different content"), "\(r.stderr)")
        r = try t.sop(["template", "list"], environment: env)
        #expect(r.stderr.contains("defined twice"), "\(r.stderr)")
    }
}
