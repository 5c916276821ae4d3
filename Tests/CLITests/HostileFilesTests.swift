import Foundation
import TestSupport
import Testing

/// Non-regular files, existing outputs and wrong databases (issue 11, classes 3–5): one line and
/// a non-zero exit, nothing read from a FIFO, nothing overwritten, no tracker created or deleted.
@Suite struct HostileFilesTests {
    /// Runs `sop` under `timeout`: a command that would block on a FIFO fails the test instead
    /// of hanging the run (exit 124).
    func sopWithin(_ t: TrackerFixture, _ arguments: [String], environment extra: [String: String] = [:]) throws
        -> ProcessResult
    {
        var env = ProcessInfo.processInfo.environment.filter { ["PATH", "LANG", "TMPDIR"].contains($0.key) }
        env["HOME"] = FileManager.default.temporaryDirectory.path
        env["NO_COLOR"] = "1"
        env["SOP_TEMPLATES"] = Paths.templatesDirectory.path
        env.merge(t.environment) { _, new in new }
        env.merge(extra) { _, new in new }
        let result = try runProcess(
            URL(fileURLWithPath: "/usr/bin/timeout"), ["20", Paths.sopExecutable.path] + arguments, environment: env)
        #expect(result.status != 124, "sop \(arguments.joined(separator: " ")) hung")
        return result
    }

    func fifo(_ t: TrackerFixture, _ name: String) throws -> String {
        let path = t.directory.path(name).path
        try runProcess(URL(fileURLWithPath: "/usr/bin/mkfifo"), [path])
        return path
    }

    @Test func aFIFOIsNeverReadAsEvidenceABackupOrATemplate() throws {
        let t = TrackerFixture()
        try t.createAcme()
        let pipe = try fifo(t, "pipe")
        var r = try sopWithin(t, ["evidence", "add", "acme", "prep.root-email", "--file", pipe])
        #expect(r.status == 2)
        #expect(r.stderr.contains("is a FIFO, not a regular file"), "\(r.stderr)")
        r = try sopWithin(t, ["restore", pipe, "--force"])
        #expect(r.status == 2)
        // Onto a server `sop restore` is refused before it looks at the file.
        #expect(
            r.stderr.contains(TestEngine.isPostgreSQL ? "`sop restore` replaces a tracker file" : "is a FIFO"),
            "\(r.stderr)")
        r = try sopWithin(t, ["template", "lint", pipe])
        #expect(r.status == 1)
        #expect(r.stdout.contains("\(pipe):1:1: error: is a FIFO"), "\(r.stdout)")
        #expect(try t.sop(["evidence", "list", "acme", "--json"]).stdout.contains("\"evidence\" : [\n\n  ]"))
    }

    @Test func evidenceGetNeverOverwritesWithoutForceNorWritesThroughLinksOrDevices() throws {
        let t = TrackerFixture()
        try t.createAcme()
        try t.sop(["evidence", "add", "acme", "prep.root-email", "--note", "root mailbox owned by IT"])
        let existing = t.directory.path("existing.txt").path
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: existing))
        var r = try sopWithin(t, ["evidence", "get", "acme", "E1", "--out", existing])
        #expect(r.status == 2)
        #expect(r.stderr.contains("exists; add --force to replace it"), "\(r.stderr)")
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep me")
        r = try sopWithin(t, ["evidence", "get", "acme", "E1", "--out", existing, "--force"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "root mailbox owned by IT")

        let target = t.directory.path("target.txt").path
        try Data("untouched".utf8).write(to: URL(fileURLWithPath: target))
        let link = t.directory.path("link.txt").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        r = try sopWithin(t, ["evidence", "get", "acme", "E1", "--out", link, "--force"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("symbolic link"), "\(r.stderr)")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "untouched")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == target, "the link stays a link")

        for special in [try fifo(t, "out-pipe"), "/dev/full"] {
            r = try sopWithin(t, ["evidence", "get", "acme", "E1", "--out", special, "--force"])
            #expect(r.status == 2, "\(special)")
            #expect(r.stderr.contains("sop writes regular files only"), "\(r.stderr)")
            #expect(FileManager.default.fileExists(atPath: special))
        }
        #expect(
            try runProcess(URL(fileURLWithPath: "/usr/bin/test"), ["-p", t.directory.path("out-pipe").path]).status == 0
        )
    }

    @Test func replacingAnOutputFolderNeverDeletesTheTracker() throws {
        let folder = TemporaryDirectory("sop-out")
        let t = TrackerFixture()
        let db = folder.path("sop.sqlite").path
        let env = ["SOP_DB": db]
        var r = try t.sop(["new", "acme", "--name", "Acme", "--email", "root@acme.example"], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        r = try t.sop(["site", "build", "--out", folder.url.path, "--force"], environment: env)
        #expect(r.status == 2)
        #expect(r.stderr.contains("holds the tracker database"), "\(r.stderr)")
        r = try t.sop(["handover", "acme", "--out", folder.url.path, "--force"], environment: env)
        #expect(r.status == 2)
        #expect(FileManager.default.fileExists(atPath: db))
        #expect(try t.sop(["audit", "verify"], environment: env).status == 0)
    }

    @Test func aDatabaseIsCreatedOnlyByCommandsThatCreateDataAndOnlyAsAPlainFile() throws {
        let t = TrackerFixture()
        let missing = t.directory.path("typo/missing.sqlite").path
        var r = try t.sop(["audit", "verify", "--db", missing])
        #expect(r.status == 2)
        #expect(r.stderr.contains("no tracker database at \(missing)"), "\(r.stderr)")
        r = try t.sop(["status", "--db", missing])
        #expect(r.status == 2)
        #expect(!FileManager.default.fileExists(atPath: t.directory.path("typo").path), "no folder created")
        r = try t.sop(["status", "--db", ""])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--db: an empty path"), "\(r.stderr)")
        r = try t.sop(["audit", "verify", "--db", "/dev/null"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("/dev/null is a character device"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/dev/null-journal"))
        #expect(!FileManager.default.fileExists(atPath: "/dev/null-wal"))
        r = try t.sop(["new", "acme", "--name", "Acme", "--email", "root@acme.example", "--db", missing])
        #expect(r.status == 0, "sop new creates the tracker: \(r.stderr)")
        #expect(try t.sop(["audit", "verify", "--db", missing]).status == 0)
    }
}
