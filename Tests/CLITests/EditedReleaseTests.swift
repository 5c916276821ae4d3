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
        // The latest shipped version, the one `sop new` picks without `--template`.
        let shipped = Paths.templatesDirectory.appendingPathComponent("aws-account/1.2.0.md")
        try FileManager.default.copyItem(at: shipped, to: shadow.path("aws-account/1.2.0.md"))
        let t = TrackerFixture()
        // SOP_TEMPLATES comes first in the search path, the shipped folder after it.
        let env = ["SOP_TEMPLATES": shadow.url.path + ":" + Paths.templatesDirectory.path]
        var r = try t.sop(["new", "a", "--name", "A", "--email", "a@a.example"], environment: env)
        #expect(r.status == 0, "an identical copy is fine: \(r.stderr)")
        let changed = try String(contentsOf: shipped, encoding: .utf8) + "\n<!-- a local change -->\n"
        try Data(changed.utf8).write(to: shadow.path("aws-account/1.2.0.md"))
        r = try t.sop(["new", "b", "--name", "B", "--email", "b@b.example"], environment: env)
        #expect(r.status == 2)
        #expect(r.stderr.contains("is defined twice with different content"), "\(r.stderr)")
        r = try t.sop(["template", "list"], environment: env)
        #expect(r.stderr.contains("defined twice"), "\(r.stderr)")
    }
}

/// A not-applicable item asks for no sign-off (issue 11, class 11).
@Suite struct NotApplicableSignoffTests {
    @Test func notApplicableItemsHaveNoPendingOrMissingSignoffs() throws {
        let t = TrackerFixture()
        // No compliance regimes: the HIPAA and GDPR items, which ask for sign-offs, are n/a.
        let r = try t.sop([
            "new", "acme", "--name", "Acme", "--email", "root@acme.example", "--template", "aws-account@1.0.0",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let report = t.json(try t.sop(["status", "acme", "--json"]))
        let items = try #require(report["items"] as? [[String: Any]])
        let notApplicable = items.filter { $0["status"] as? String == "n/a" }
        let withRoles = notApplicable.filter { !(($0["required_signoffs"] as? [String]) ?? []).isEmpty }
        #expect(!withRoles.isEmpty, "the fixture has n/a items that name sign-off roles")
        for item in notApplicable {
            let states = ((item["signoffs"] as? [[String: Any]]) ?? []).compactMap { $0["state"] as? String }
            #expect(!states.contains("missing"), "\(item["id"] ?? "?") asks for a sign-off although n/a")
        }
        let packet = t.directory.path("packet")
        #expect(try t.sop(["handover", "acme", "--out", packet.path]).status == 0)
        let markdown = try String(contentsOf: packet.appendingPathComponent("handover.md"), encoding: .utf8)
        for item in withRoles {
            let id = item["id"] as? String ?? "?"
            let missingLine = markdown.split(separator: "\n").first { $0.contains(id) && $0.contains("Missing") }
            #expect(missingLine == nil, "\(id) listed as a missing sign-off: \(missingLine ?? "")")
        }
    }
}

/// `sop log` summarizes nested event data instead of dumping it (issue 11, class 10d).
@Suite struct LogSummaryTests {
    @Test func theUpgradeEventReadsAsCountsNotADump() throws {
        let t = TrackerFixture()
        try FileManager.default.copyItem(
            at: Paths.repositoryRoot.appendingPathComponent("Tests/SOPStoreTests/Fixtures/release-0.1.0.db"),
            to: URL(fileURLWithPath: t.db))
        let r = try t.sop(["log", "acme"])
        #expect(r.status == 0, "\(r.stderr)")
        let upgrade = try #require(r.stdout.split(separator: "\n").first { $0.contains("customer.upgrade") })
        #expect(upgrade.contains("added=3 entries"), "\(upgrade)")
        #expect(!upgrade.contains("[[") && !upgrade.contains("\": "), "no dictionary dump: \(upgrade)")
    }
}
