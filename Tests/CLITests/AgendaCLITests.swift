import Foundation
import TestSupport
import Testing

/// Due dates and the agenda through the built binary: `sop new` refusing a template whose due
/// rules cannot be resolved, lint naming lines, `sop agenda`/`sop digest` and their refusals.
@Suite struct AgendaCLITests {
    static func template(due: String, validFor: String = "365d") -> String {
        """
        ---
        id: demo
        version: 1.0.0
        title: Demo SOP
        roles: [Project Manager]
        subject: engagement
        provider: none
        email: optional
        ---

        # Demo SOP

        ## 1. Preparation

        - [ ] **Kick-off:** Hold the kick-off.
          <!-- sop
          id: kickoff
          evidence: [note]
          due: \(due)
          -->
        - [ ] **Plan:** Write the plan.
          <!-- sop
          id: plan
          evidence: [note]
          due: after kickoff +2wd
          valid_for: \(validFor)
          -->
        """
    }

    @Test func newRefusesATemplateWhoseDueRulesLoop() throws {
        let tracker = TrackerFixture()
        let folder = TemporaryDirectory()
        try FileManager.default.createDirectory(at: folder.path("demo"), withIntermediateDirectories: true)
        let file = try folder.write("demo/1.0.0.md", Self.template(due: "after plan +1d"))
        let result = try tracker.sop([
            "new", "acme", "--name", "Acme", "--template", "demo@1.0.0", "--templates", folder.url.path,
        ])
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("\(file.path):19:3: error: due-rule cycle: kickoff → plan → kickoff"))
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        let customers = try tracker.sop(["customers", "--templates", folder.url.path])
        #expect(!customers.stdout.contains("acme"), "nothing was created: \(customers.stdout)")
    }

    @Test func lintNamesBadDueAndValidForValuesWithTheirLines() throws {
        let folder = TemporaryDirectory()
        let bad = try folder.write("bad.md", Self.template(due: "after ghost +1d", validFor: "forever"))
        let result = try runSOP(["template", "lint", bad.path])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("\(bad.path):19:3: error: item 'kickoff' is due after unknown item 'ghost'"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("\(bad.path):26:3: error: valid_for 'forever' is not a period") })
        let malformed = try folder.write("malformed.md", Self.template(due: "start+2weeks"))
        let second = try runSOP(["template", "lint", malformed.path])
        #expect(second.status == 1)
        #expect(second.stdout.contains("\(malformed.path):19:3: error: bad due rule: 'start+2weeks' has unit 'weeks'"))
        let good = try folder.write("good.md", Self.template(due: "start+1wd"))
        #expect(try runSOP(["template", "lint", good.path]).status == 0)
    }

    @Test func newWritesDueDatesThatStatusAndAgendaShow() throws {
        let tracker = TrackerFixture()
        tracker.now = "2026-05-01T09:00:00Z"  // a Friday
        let folder = TemporaryDirectory()
        try FileManager.default.createDirectory(at: folder.path("demo"), withIntermediateDirectories: true)
        _ = try folder.write("demo/1.0.0.md", Self.template(due: "start+1wd"))
        let templates = ["--templates", folder.url.path]
        let created = try tracker.sop(
            ["new", "acme", "--name", "Acme", "--owner", "dana", "--template", "demo"] + templates)
        #expect(created.status == 0, "\(created.stderr)")
        let show = try tracker.sop(["template", "show", "demo"] + templates)
        #expect(show.stdout.contains("- kickoff: Kick-off: Hold the kick-off.  (due start+1wd)"), "\(show.stdout)")
        #expect(show.stdout.contains("(due after kickoff +2wd; evidence valid 365d)"))
        let status = try tracker.sop(["status", "acme", "--json"] + templates)
        let items = (tracker.json(status)["items"] as? [[String: Any]]) ?? []
        #expect(items.map { $0["due"] as? String } == ["2026-05-04", "2026-05-06"])

        tracker.now = "2026-05-05T09:00:00Z"
        let text = try tracker.sop(["status", "acme"] + templates)
        #expect(
            text.stdout.contains("OVERDUE\n  kickoff  due 2026-05-04  Kick-off: Hold the kick-off."), "\(text.stdout)")
        #expect(text.stdout.contains("plan  Plan: Write the plan.  due 2026-05-06"))
        #expect(!text.stdout.contains("\u{1B}"), "no colour when not a terminal")

        let agenda = try tracker.sop(["agenda", "--days", "3"] + templates)
        #expect(agenda.status == 0, "\(agenda.stderr)")
        #expect(agenda.stdout.hasPrefix("Agenda 2026-05-05 to 2026-05-07 (3 days)\n"))
        #expect(
            agenda.stdout.contains(
                "  overdue: acme kickoff  Kick-off: Hold the kick-off. — due 2026-05-04, 1 day overdue (todo)"))
        #expect(agenda.stdout.contains("WEDNESDAY 2026-05-06\n  due: acme plan"))
        let json = try tracker.sop(["agenda", "--json", "--owner", "dana"] + templates)
        let object = tracker.json(json)
        #expect(object["owner"] as? String == "dana")
        #expect((object["entries"] as? [[String: Any]])?.count == 2)
        #expect(
            (tracker.json(try tracker.sop(["agenda", "--json", "--owner", "lee"] + templates))["entries"] as? [Any])?
                .isEmpty == true)

        let digest = try tracker.sop(["digest", "--markdown"] + templates)
        #expect(digest.status == 0)
        #expect(digest.stdout.hasPrefix("**sop digest** 2026-05-05 to 2026-05-11: 1 overdue, 1 due.\n"))
        #expect(digest.stdout.contains("### Overdue\n\n- **overdue** acme `kickoff`"))
        let noFormat = try tracker.sop(["digest"] + templates)
        #expect(noFormat.status == 2)
        #expect(noFormat.stderr.contains("--markdown"))
    }

    /// Overdue is red only on a terminal, and never with `NO_COLOR` set: run under `script(1)`,
    /// which gives the command a pseudo-terminal.
    @Test func overdueIsRedOnlyOnATerminal() throws {
        let tracker = TrackerFixture()
        tracker.now = "2026-05-01T09:00:00Z"
        let folder = TemporaryDirectory()
        try FileManager.default.createDirectory(at: folder.path("demo"), withIntermediateDirectories: true)
        _ = try folder.write("demo/1.0.0.md", Self.template(due: "start+1wd"))
        let templates = ["--templates", folder.url.path]
        #expect(try tracker.sop(["new", "acme", "--name", "Acme", "--template", "demo"] + templates).status == 0)
        tracker.now = "2026-05-05T09:00:00Z"
        func onTerminal(_ arguments: [String], noColor: String?) throws -> String {
            let command = ([Paths.sopExecutable.path] + arguments + templates).map { "'\($0)'" }.joined(separator: " ")
            var environment = tracker.environment
            environment["PATH"] = ProcessInfo.processInfo.environment["PATH"]
            environment["SOP_TEMPLATES"] = Paths.templatesDirectory.path
            environment["TERM"] = "xterm"
            if let noColor { environment["NO_COLOR"] = noColor }
            let result = try runProcess(
                URL(fileURLWithPath: "/usr/bin/script"), ["-qec", command, "/dev/null"], environment: environment)
            #expect(result.status == 0, "\(result.stdout)")
            return result.stdout
        }
        let red = "\u{1B}[31m"
        let agenda = try onTerminal(["agenda"], noColor: nil)
        #expect(agenda.contains("\(red)  overdue: acme kickoff"), "\(agenda.debugDescription)")
        #expect(!agenda.contains("\(red)  due: acme plan"), "only overdue is red")
        let status = try onTerminal(["status", "acme"], noColor: nil)
        #expect(status.contains("\(red)kickoff  due 2026-05-04"), "\(status.debugDescription)")
        #expect(!(try onTerminal(["agenda"], noColor: "1")).contains(red))
        #expect(!(try onTerminal(["status", "acme"], noColor: "1")).contains(red))
        #expect(!(try tracker.sop(["agenda"] + templates)).stdout.contains("\u{1B}"), "not a terminal")
    }

    @Test func agendaRefusesACalendarPathThatIsADirectory() throws {
        let tracker = TrackerFixture()
        try tracker.createAcme()
        let folder = TemporaryDirectory()
        let result = try tracker.sop(["agenda", "--ics", folder.url.path])
        #expect(result.status == 2)
        #expect(result.stderr == "sop: error: --ics \(folder.url.path): is a directory\n")
        #expect(result.stdout.isEmpty, "nothing printed when the file cannot be written")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).isEmpty, "nothing written")
        let bad = try tracker.sop(["agenda", "--days", "0"])
        #expect(bad.status == 2)
        #expect(bad.stderr == "sop: error: --days: 0 is not a number of days from 1 to 366\n")

        let file = folder.path("week.ics")
        let written = try tracker.sop(["agenda", "--ics", file.path])
        #expect(written.status == 0, "\(written.stderr)")
        let ics = try String(contentsOf: file, encoding: .utf8)
        #expect(ics.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        #expect(ics.hasSuffix("END:VCALENDAR\r\n"))
    }
}
