import Foundation
import TestSupport
import Testing

/// `sop handover`, `sop site build` and `sop publish` end to end, through the built binary,
/// on a real database file.
@Suite(.serialized) struct RenderCommandsTests {
    let dir = TemporaryDirectory("sop-render-cli")
    /// A file, or a fresh PostgreSQL database under `SOP_TEST_ENGINE=postgresql`: the golden
    /// pages are the same bytes on both engines.
    let db: String
    var env: [String: String] {
        ["SOP_DB": db, "SOP_USER": "dana", "SOP_NOW": "2026-05-04T09:00:00Z"]
    }

    init() throws {
        db = try TestEngine.freshTracker(file: dir.path("sop.sqlite"))
    }

    @discardableResult
    func sop(
        _ args: [String], extra: [String: String] = [:], expect status: Int32 = 0,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ProcessResult {
        let result = try runSOP(args, environment: env.merging(extra) { $1 })
        #expect(
            result.status == status, "sop \(args.joined(separator: " ")): \(result.stdout)\(result.stderr)",
            sourceLocation: sourceLocation)
        return result
    }

    /// A customer with a hostile name, a file, a public note, an internal note and a done item.
    func seed() throws {
        try sop([
            "new", "acme", "--name", "Acme <script>alert(1)</script> {{x}} [[Category:y]]", "--email",
            "aws-root@acme.example",
            "--compliance", "hipaa", "--regions", "us-east-1",
        ])
        let file = try dir.write("order form.pdf", "%PDF-1.4 signed order form\n")
        try sop(["evidence", "add", "acme", "prep.company-details", "--file", file.path])
        try sop(["evidence", "add", "acme", "prep.root-email", "--note", "\"><img src=x onerror=alert(1)> group list"])
        try sop(["evidence", "add", "acme", "prep.root-email", "--note", "INTERNAL-ONLY remark", "--internal"])
        try sop(["mark", "acme", "prep.root-email", "done"])
    }

    @Test func handoverPacketPassesSha256sumAndHidesInternalNotes() throws {
        try seed()
        let out = dir.path("packet")
        let result = try sop(["handover", "acme", "--out", out.path])
        #expect(result.stdout.contains("handover.html"))
        let check = try runProcess(
            URL(fileURLWithPath: "/usr/bin/sha256sum"), ["-c", "MANIFEST.sha256"], currentDirectory: out)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("evidence/order_form.pdf: OK"))
        let html = try String(contentsOf: out.appendingPathComponent("handover.html"), encoding: .utf8)
        let markdown = try String(contentsOf: out.appendingPathComponent("handover.md"), encoding: .utf8)
        #expect(!html.contains("INTERNAL-ONLY") && !markdown.contains("INTERNAL"))
        #expect(!html.contains("<script>") && !html.contains("<img"))
        #expect(html.contains("@media print"))

        // The internal audience shows it; a previous packet is replaced without --force.
        try sop(["handover", "acme", "--out", out.path, "--audience", "internal"])
        #expect(
            try String(contentsOf: out.appendingPathComponent("handover.md"), encoding: .utf8).contains(
                "INTERNAL\\-ONLY")
                || (try String(contentsOf: out.appendingPathComponent("handover.md"), encoding: .utf8)).contains(
                    "INTERNAL-ONLY")
        )

        // Someone else's folder is refused (exit 2, one line) and left alone.
        try dir.write("mine/notes.txt", "keep")
        let refused = try sop(["handover", "acme", "--out", dir.path("mine").path], expect: 2)
        #expect(refused.stderr.contains("--force"))
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(FileManager.default.fileExists(atPath: dir.path("mine/notes.txt").path))

        try sop(["handover", "nobody", "--out", dir.path("x").path], expect: 2)
        try sop(["handover", "acme", "--out", dir.path("y").path, "--audience", "everyone"], expect: 2)
    }

    @Test func siteBuildWritesRelativeLinkedPages() throws {
        try seed()
        let out = dir.path("site")
        let result = try sop(["site", "build", "--out", out.path])
        #expect(result.stdout.contains("index.html"))
        for page in [
            "index.html", "activity.html", "customers/acme.html", "theme/sop.css",
            "templates/aws-account-1.0.0.html", "templates/aws-account-1.1.0.html",
        ] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(page).path), "missing \(page)")
        }
        let index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("href=\"customers/acme.html\""))
        #expect(index.contains("href=\"theme/sop.css\""))
        let customer = try String(contentsOf: out.appendingPathComponent("customers/acme.html"), encoding: .utf8)
        #expect(customer.contains("href=\"../theme/sop.css\""))
        #expect(customer.contains("INTERNAL-ONLY"), "the internal site shows internal evidence")
        for text in [index, customer] {
            #expect(!text.contains("href=\"/") && !text.contains("file://") && !text.contains("<script"))
        }
        // Rebuilding swaps the folder whole and leaves no temporary folders behind.
        try sop(["site", "build", "--out", out.path])
        let siblings = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter {
            $0.hasPrefix(".site")
        }
        #expect(siblings.isEmpty)
    }

    @Test func publishToGitWikiThenUnchanged() throws {
        try seed()
        let bare = dir.path("wiki.git")
        _ = try runProcess(URL(fileURLWithPath: "/usr/bin/git"), ["init", "--quiet", "--bare", bare.path])
        let first = try sop(["publish", "acme", "--git-wiki", bare.path])
        #expect(first.stdout.hasPrefix("published "))
        let second = try sop(["publish", "acme", "--git-wiki", bare.path])
        #expect(second.stdout.hasPrefix("unchanged"))
        let count = try runProcess(
            URL(fileURLWithPath: "/usr/bin/git"), ["--git-dir", bare.path, "rev-list", "--all", "--count"])
        #expect(count.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
    }

    @Test func publishUsageErrors() throws {
        try seed()
        try sop(["publish", "acme"], expect: 2)
        try sop(
            [
                "publish", "acme", "--mediawiki", "http://127.0.0.1:9/api.php", "--user", "a@b", "--password-env",
                "SOP_NO_SUCH_VAR",
            ], expect: 2)
        try sop(
            ["publish", "acme", "--mediawiki", "javascript:alert(1)", "--user", "a@b", "--password-env", "X"], expect: 2
        )
        let unreachable = try sop(
            [
                "publish", "acme", "--mediawiki", "http://127.0.0.1:9/api.php", "--user", "a@b",
                "--password-env", "WIKI_PASS",
            ], extra: ["WIKI_PASS": "s3cret-value-123"], expect: 1)
        #expect(!unreachable.stderr.contains("s3cret-value-123") && !unreachable.stdout.contains("s3cret-value-123"))
    }

    @Test func publishToMediaWikiThenUnchanged() throws {
        try seed()
        let server = try MediaWikiServer()
        defer { server.stop() }
        let args = [
            "publish", "acme", "--mediawiki", server.apiURL.absoluteString, "--user", server.user,
            "--password-env", "WIKI_PASS", "--page", "SOP/CLI \(UUID().uuidString.prefix(8))",
        ]
        let first = try sop(args, extra: ["WIKI_PASS": server.password])
        #expect(first.stdout.hasPrefix("published "))
        #expect(!first.stdout.contains(server.password) && !first.stderr.contains(server.password))
        let second = try sop(args, extra: ["WIKI_PASS": server.password])
        #expect(second.stdout.hasPrefix("unchanged"))
        let wrong = try sop(args, extra: ["WIKI_PASS": "wrong-password-xyz"], expect: 1)
        #expect(wrong.stderr.contains("login failed") && !wrong.stderr.contains("wrong-password-xyz"))
    }
}

extension RenderCommandsTests {
    @Test func siteBuildRefusesForeignFolders() throws {
        try seed()
        try dir.write("docs/readme.txt", "keep")
        let refused = try sop(["site", "build", "--out", dir.path("docs").path], expect: 2)
        #expect(refused.stderr.contains("--force"))
        #expect(FileManager.default.fileExists(atPath: dir.path("docs/readme.txt").path))
        // A folder holding only the theme (the repository's site/) is fine.
        try dir.write("themed/theme/sop.css", "old")
        try sop(["site", "build", "--out", dir.path("themed").path])
        #expect(FileManager.default.fileExists(atPath: dir.path("themed/index.html").path))
    }
}
