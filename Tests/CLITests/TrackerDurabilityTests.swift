import Foundation
import TestSupport
import Testing

/// Concurrency and crash safety of the tracker database, with real processes.
@Suite(.serialized) struct TrackerDurabilityTests {
    /// 8 processes each adding 100 pieces of evidence at once: every one is stored, none fails.
    @Test func concurrentWritersAllSucceed() throws {
        let t = TrackerFixture()
        #expect(try t.createAcme().status == 0)
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for n in 0..<100 {
                do {
                    let r = try t.sop([
                        "evidence", "add", "acme", "prep.root-email", "--note", "worker \(worker) note \(n)",
                    ])
                    if r.status != 0 { failures.add("worker \(worker) #\(n): exit \(r.status) \(r.stderr)") }
                } catch {
                    failures.add("worker \(worker) #\(n): \(error)")
                }
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all.prefix(3))")
        #expect(
            try t.sqlite("SELECT COUNT(*) FROM evidence").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                == "800")
        #expect(
            try t.sqlite("SELECT COUNT(DISTINCT text) FROM evidence").stdout.trimmingCharacters(
                in: .whitespacesAndNewlines) == "800")
        let audit = try t.sop(["audit", "verify"])
        #expect(audit.status == 0, "\(audit.stdout)")
        #expect(audit.stdout.contains("801 events"))
    }

    /// Writers killed with SIGKILL at random moments: the database stays intact and every
    /// write whose command exited 0 is present.
    @Test func killedWritersLoseNothingAcknowledged() throws {
        let t = TrackerFixture()
        #expect(try t.createAcme().status == 0)
        // A larger file makes each write take long enough to be interrupted.
        let payload = t.directory.path("payload.bin")
        try Data((0..<(3 * 1024 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 7) }).write(to: payload)
        var acknowledged: [String] = []
        var killed = 0
        var generator = SystemRandomNumberGenerator()
        for round in 0..<24 {
            let note = "round \(round)"
            let args =
                round % 2 == 0
                ? ["evidence", "add", "acme", "prep.company-details", "--note", note]
                : ["evidence", "add", "acme", "prep.company-details", "--file", payload.path, "--by", note]
            let process = Process()
            process.executableURL = Paths.sopExecutable
            process.arguments = args
            var env = t.environment
            env["PATH"] = ProcessInfo.processInfo.environment["PATH"]
            env["NO_COLOR"] = "1"
            env["SOP_TEMPLATES"] = Paths.templatesDirectory.path
            process.environment = env
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 5_000...60_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .exit && process.terminationStatus == 0 {
                acknowledged.append(round % 2 == 0 ? "note:\(note)" : "by:\(note)")
            } else {
                killed += 1
            }
        }
        let integrity = try t.sqlite("PRAGMA integrity_check").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(integrity == "ok")
        let stored = try t.sqlite(
            "SELECT 'note:' || text FROM evidence WHERE kind = 'note' UNION ALL SELECT 'by:' || added_by FROM evidence WHERE kind = 'file'"
        )
        .stdout.split(separator: "\n").map(String.init)
        for write in acknowledged { #expect(stored.contains(write), "acknowledged write \(write) missing") }
        #expect(killed > 0, "no writer was interrupted; the test proves nothing")
        let audit = try t.sop(["audit", "verify"])
        #expect(audit.status == 0, "\(audit.stdout)")
        #expect(try t.sop(["evidence", "add", "acme", "prep.root-email", "--note", "after the crashes"]).status == 0)
    }
}

extension TrackerDurabilityTests {
    /// A backup taken while other processes write is a consistent, verifiable database.
    @Test func backupWhileWriting() throws {
        let t = TrackerFixture()
        #expect(try t.createAcme().status == 0)
        let failures = Failures()
        let group = DispatchGroup()
        for worker in 0..<2 {
            group.enter()
            DispatchQueue.global().async {
                defer { group.leave() }
                for n in 0..<25 {
                    let r = try? t.sop(["evidence", "add", "acme", "prep.root-email", "--note", "w\(worker) n\(n)"])
                    if r?.status != 0 { failures.add("worker \(worker) #\(n): \(r?.stderr ?? "did not run")") }
                }
            }
        }
        usleep(300_000)
        let backup = t.directory.path("live-backup.sqlite").path
        let r = try t.sop(["backup", backup])
        group.wait()
        #expect(r.status == 0, "\(r.stderr)")
        #expect(failures.all.isEmpty, "\(failures.all.prefix(3))")
        let audit = try t.sop(["audit", "verify"], environment: ["SOP_DB": backup])
        #expect(audit.status == 0, "\(audit.stdout)")
        let integrity = try runProcess(URL(fileURLWithPath: "/usr/bin/sqlite3"), [backup, "PRAGMA integrity_check"])
        #expect(integrity.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "ok")
    }
}

/// Thread-safe list of failure messages.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []
    func add(_ message: String) {
        lock.lock()
        messages.append(message)
        lock.unlock()
    }
    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return messages
    }
}
