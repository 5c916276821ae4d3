import Foundation
import TestSupport
import Testing

/// `sop upgrade` and template pinning, end to end through the binary.
@Suite struct UpgradeCLITests {
    func fileBytes(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }

    @Test func dryRunLeavesTheDatabaseByteIdenticalThenUpgradeApplies() throws {
        let t = TrackerFixture()
        try #require(try t.createAcme().status == 0)
        #expect(try t.sop(["evidence", "add", "acme", "cloudtrail.configure", "--note", "trail reviewed"]).status == 0)
        try t.settle(section: "5")
        #expect(try t.sop(["signoff", "acme", "5", "--role", "Security Lead", "--by", "priya"]).status == 0)
        let before = fileBytes(t.db)
        let walBefore = fileBytes(t.db + "-wal")
        let dry = try t.sop(["upgrade", "acme", "--to", "1.1.0", "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("dry run: nothing was changed"))
        #expect(dry.stdout.contains("cloudtrail.all-regions ← cloudtrail.configure"))
        #expect(dry.stdout.contains("section 5: Security Lead by priya"))
        #expect(fileBytes(t.db) == before, "a dry run must not change one byte of the database")
        #expect(fileBytes(t.db + "-wal") == walBefore, "nor of its write-ahead log")

        let json = try t.sop(["upgrade", "acme", "--to", "1.1.0", "--dry-run", "--json"])
        let plan = t.json(json)
        #expect(plan["to"] as? String == "aws-account@1.1.0")
        #expect((plan["added"] as? [[String: Any]])?.count == 3)

        let applied = try t.sop(["upgrade", "acme", "--to", "aws-account@1.1.0"])
        #expect(applied.status == 0)
        let status = t.json(try t.sop(["status", "acme", "--json"]))
        #expect((status["template"] as? [String: Any])?["version"] as? String == "1.1.0")
        #expect(try t.sop(["status", "acme"]).stdout.contains("aws-account@1.1.0"))
        #expect(try t.sop(["audit", "verify"]).status == 0)
        let log = try t.sop(["log", "acme"])
        #expect(log.stdout.contains("customer.upgrade"))

        let down = try t.sop(["upgrade", "acme", "--to", "1.0.0"])
        #expect(down.status == 2)
        #expect(down.stderr.contains("downgrade refused"))
        let bogus = try t.sop(["upgrade", "acme", "--to", "banana"])
        #expect(bogus.status == 2)
    }

    @Test func anEditedTemplateWithTheSameVersionIsRefused() throws {
        let t = TrackerFixture()
        let templates = TemporaryDirectory("sop-templates")
        let folder = templates.path("aws-account")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let original = try Data(contentsOf: Paths.templatesDirectory.appendingPathComponent("aws-account/1.0.0.md"))
        try original.write(to: folder.appendingPathComponent("1.0.0.md"))
        let env = ["SOP_TEMPLATES": templates.url.path]
        #expect(
            try t.sop(
                ["new", "acme", "--name", "Acme", "--email", "a@acme.example", "--template", "aws-account@1.0.0"],
                environment: env
            ).status == 0)
        #expect(try t.sop(["iam-policy", "acme"], environment: env).status == 0)
        var edited = original
        edited.append(Data("\nAn edit made without bumping the version.\n".utf8))
        try edited.write(to: folder.appendingPathComponent("1.0.0.md"))
        let refused = try t.sop(["iam-policy", "acme"], environment: env)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("was edited after acme was pinned"))
        let verify = try t.sop(["verify", "acme"], environment: env)
        #expect(verify.status == 2)
        #expect(
            try t.sop(["status", "acme"], environment: env).status == 0,
            "status reads the pinned snapshot and still works")
    }
}
