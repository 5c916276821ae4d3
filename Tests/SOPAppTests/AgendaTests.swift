import Foundation
import SOPCore
import SOPStore
import TestSupport
import Testing

@testable import SOPApp

/// `sop agenda` and `sop digest` across several customers: every entry kind, the owner filter,
/// the window, and the four renderings as golden files (the calendar also read back by the
/// `icalendar` package, a real RFC 5545 parser).
@Suite struct AgendaTests {
    /// Three customers, created on different days, then looked at on Monday 2026-05-04:
    /// - acme (owner dana, due Fri 2026-05-15), created Mon 2026-04-27 on the shipped template
    ///   (1.2.0's due rules): its preparation items are overdue, root MFA is due today, training
    ///   (customer-due-5wd) on Fri 05-08; one item blocked, one evidence expiring on Thu 05-07
    ///   (another in June, outside the window; a retracted one in the window), a stale item sign-off
    ///   and a stale section sign-off (15.1).
    /// - globex (owner lee, no due date), created Fri 2026-05-01: preparation due Tue 05-05 and
    ///   later; prep.company-details assigned to dana with its due date moved to Sat 05-09; root
    ///   MFA's check failing.
    /// - initech (owner dana) on 1.0.0, which has no due rules: nothing on the agenda.
    static func portfolio() throws -> AppFixture {
        var fixture = try AppFixture()
        func create(_ slug: String, owner: String, due: String?, template: String, on day: String) throws {
            fixture.environment["SOP_NOW"] = "\(day)T09:00:00Z"
            _ = try fixture.app.createCustomer(
                CreateCustomerRequest(
                    customer: NewCustomer(
                        slug: slug, name: "\(slug.capitalized) Corp", email: "root@\(slug).example", owner: owner,
                        due: due),
                    template: template))
        }
        try create("acme", owner: "dana", due: "2026-05-15", template: "aws-account", on: "2026-04-27")
        try create("globex", owner: "lee", due: nil, template: "aws-account", on: "2026-05-01")
        try create("initech", owner: "dana", due: nil, template: "aws-account@1.0.0", on: "2026-05-01")

        fixture.environment["SOP_NOW"] = "2026-05-02T10:00:00Z"
        let app = fixture.app
        _ = try app.mark(slug: "acme", item: "prep.root-email", state: "done", reason: "given", force: true, by: nil)
        _ = try app.mark(
            slug: "acme", item: "prep.billing-info", state: "blocked",
            reason: "waiting for the customer's purchase order; finance, legal", force: false, by: nil)
        _ = try app.addEvidence(
            slug: "acme", item: "prep.company-details", input: .note("registry extract"), by: nil,
            expires: "2026-05-07", internal: false)
        _ = try app.addEvidence(
            slug: "acme", item: "prep.company-details", input: .note("insurance"), by: nil, expires: "2026-06-01",
            internal: false)
        _ = try app.addEvidence(
            slug: "acme", item: "gov.access-control", input: .note("admins only"), by: nil, expires: nil,
            internal: false)
        _ = try app.mark(
            slug: "acme", item: "gov.access-control", state: "in-progress", reason: "test set-up", force: true, by: nil)
        _ = try app.signoff(
            slug: "acme", target: "gov.access-control", role: "Customer Stakeholder", by: "wile", note: nil)
        _ = try app.addEvidence(
            slug: "acme", item: "gov.access-control", input: .link("https://wiki.example/acme/access"), by: nil,
            expires: nil, internal: false)
        // A section sign-off made stale by evidence added after it.
        for item in ["final.review-checklist", "final.stakeholder-approval"] {
            _ = try app.mark(slug: "acme", item: item, state: "done", reason: "test set-up", force: true, by: nil)
        }
        _ = try app.signoff(slug: "acme", target: "15.1", role: "Security Lead", by: "priya", note: nil)
        _ = try app.addEvidence(
            slug: "acme", item: "final.review-checklist", input: .note("one more finding"), by: nil, expires: nil,
            internal: false)
        // Retracted evidence no longer expires.
        let retracted = try app.addEvidence(
            slug: "acme", item: "prep.compliance", input: .note("old register"), by: nil, expires: "2026-05-06",
            internal: false)
        _ = try app.retractEvidence(slug: "acme", evidence: retracted.id, reason: "superseded", by: nil)

        try app.assign(slug: "globex", item: "prep.company-details", to: "dana", due: "2026-05-09", by: nil)
        let store = try fixture.app.context.openStore()
        defer { store.close() }
        // globex's accepted run had a strong password policy; the latest has a weak one (a
        // regression), root MFA failing, and console MFA failing under an approved waiver that
        // ends on Wed 05-06.
        let policy = "iam_password_policy_strong"
        try store.recordCheckResults(
            customer: "globex",
            run: VerificationRun(
                account: "123456789012", regions: [], startedAt: Date(), finishedAt: Date(), callsMade: 1,
                results: [
                    CheckResultRecord(
                        checkId: policy, itemIds: ["iam.password-policy"], outcome: .pass, summary: "strong",
                        observed: ["password minimum length": "16"])
                ]),
            by: "tester")
        try store.setBaseline(customer: "globex", run: "V1", by: "lee")
        try store.recordCheckResults(
            customer: "globex",
            run: VerificationRun(
                account: "123456789012", regions: [], startedAt: Date(), finishedAt: Date(), callsMade: 1,
                results: [
                    CheckResultRecord(
                        checkId: "iam_root_mfa_enabled", itemIds: ["root.mfa"], outcome: .fail,
                        summary: "root user has no MFA device"),
                    CheckResultRecord(
                        checkId: policy, itemIds: ["iam.password-policy"], outcome: .fail, summary: "too weak",
                        resources: ["account-password-policy"], observed: ["password minimum length": "8"]),
                    CheckResultRecord(
                        checkId: "iam_user_console_mfa_enabled", itemIds: ["iam.user-mfa"], outcome: .fail,
                        summary: "1 console user without MFA", resources: ["arn:aws:iam::123456789012:user/ops"]),
                ]),
            by: "tester")
        let waiver = try store.requestWaiver(
            WaiverRequest(
                customer: "globex", target: "iam.user-mfa", reason: "ops user leaves on Friday", expires: "2026-05-06"),
            checks: [], by: "lee")
        try store.decideWaiver(
            customer: "globex", id: waiver.id, decision: .approve, role: "Security Lead", note: nil, by: "priya")
        fixture.environment["SOP_NOW"] = "2026-05-04T09:00:00Z"
        return fixture
    }

    @Test func everyKindAcrossCustomersMostUrgentFirst() throws {
        let fixture = try Self.portfolio()
        let agenda = try fixture.app.agenda(AgendaRequest())
        #expect(agenda.today == "2026-05-04")
        #expect(agenda.lastDay == "2026-05-10")
        let kinds = Set(agenda.entries.map(\.kind))
        #expect(
            kinds == [
                .overdue, .due, .blocked, .evidenceExpiring, .staleSignoff, .failingCheck, .waiverExpiring, .regression,
            ])
        #expect(!agenda.entries.contains { $0.customer == "initech" }, "1.0.0 has no due rules")
        #expect(agenda.entries.first?.kind == .overdue)
        // acme's overdue preparation, oldest first; prep.root-email is done, so not overdue.
        let overdue = agenda.entries.filter { $0.kind == .overdue }
        #expect(
            overdue.map { "\($0.customer) \($0.item ?? "") \($0.date)" } == [
                "acme prep.company-details 2026-04-29", "acme account.registration 2026-04-30",
                "acme prep.compliance 2026-04-30",
            ])
        #expect(overdue.first?.detail == "due 2026-04-29, 5 days overdue (todo)")
        let due = agenda.entries.filter { $0.kind == .due }.map { "\($0.date) \($0.customer) \($0.item ?? "")" }
        #expect(due.contains("2026-05-04 acme root.mfa"))
        #expect(due.contains("2026-05-08 acme training.security"), "customer-due-5wd of Fri 05-15")
        #expect(due.contains("2026-05-09 globex prep.company-details"), "sop assign --due overrides the rule")
        #expect(due.contains("2026-05-05 globex prep.root-email"))
        #expect(!due.contains { $0.hasPrefix("2026-05-11") }, "the window ends on day 7")
        #expect(
            !agenda.entries.contains { $0.customer == "acme" && $0.item == "prep.billing-info" && $0.kind != .blocked })
        let blocked = try #require(agenda.entries.first { $0.kind == .blocked })
        #expect(
            blocked.detail
                == "blocked: waiting for the customer's purchase order; finance, legal; due 2026-04-30, 4 days overdue")
        let expiring = agenda.entries.filter { $0.kind == .evidenceExpiring }
        #expect(expiring.map(\.date) == ["2026-05-07"], "the June expiry is outside the window")
        #expect(agenda.entries.contains { $0.kind == .staleSignoff && $0.item == "gov.access-control" })
        let section = try #require(agenda.entries.first { $0.kind == .staleSignoff && $0.item == "15.1" })
        #expect(section.title == "Confirm Security Measures")
        #expect(section.detail == "section sign-off of Security Lead by priya on 2026-05-02 is stale; sign again")
        let failing = agenda.entries.filter { $0.kind == .failingCheck }
        #expect(
            failing.map { "\($0.customer) \($0.item ?? "")" } == ["globex iam.password-policy", "globex root.mfa"],
            "the waived console-MFA failure is not listed")
        let waiverEntry = try #require(agenda.entries.first { $0.kind == .waiverExpiring })
        #expect(
            waiverEntry.date == "2026-05-06" && waiverEntry.customer == "globex" && waiverEntry.item == "iam.user-mfa")
        #expect(waiverEntry.detail == "W-1 of iam.user-mfa (approved by priya) ends after 2026-05-06")
        #expect(waiverEntry.title == "W-1: ops user leaves on Friday")
        let regression = try #require(agenda.entries.first { $0.kind == .regression })
        #expect(regression.customer == "globex" && regression.item == "iam.password-policy")
        #expect(
            regression.detail
                == "iam_password_policy_strong@global pass → fail against the baseline: "
                + "password minimum length 16 → 8; account-password-policy (new)")
        // Sorted: overdue, then by day, kind, customer, item.
        let rest = agenda.entries.filter { $0.kind != .overdue }
        #expect(rest.map(\.date) == rest.map(\.date).sorted())
    }

    @Test func ownerFilterKeepsOwnedCustomersAndAssignedItems() throws {
        let fixture = try Self.portfolio()
        let dana = try fixture.app.agenda(AgendaRequest(owner: "dana"))
        #expect(Set(dana.entries.map(\.customer)) == ["acme", "globex"])
        #expect(dana.entries.filter { $0.customer == "globex" }.map(\.item) == ["prep.company-details"])
        let lee = try fixture.app.agenda(AgendaRequest(owner: "lee"))
        #expect(Set(lee.entries.map(\.customer)) == ["globex"])
        #expect(lee.entries.contains { $0.item == "prep.company-details" }, "lee owns globex")
        #expect(try fixture.app.agenda(AgendaRequest(owner: "nobody")).entries.isEmpty)
        #expect(try fixture.app.agenda(AgendaRequest(owner: "nobody")).text().hasSuffix("Nothing needs attention."))
    }

    @Test func theWindowIsTheDaysAsked() throws {
        let fixture = try Self.portfolio()
        let one = try fixture.app.agenda(AgendaRequest(days: 1))
        #expect(one.lastDay == "2026-05-04")
        #expect(!one.entries.contains { $0.kind == .due && $0.date != "2026-05-04" })
        let fortnight = try fixture.app.agenda(AgendaRequest(days: 14))
        #expect(fortnight.entries.contains { $0.kind == .due && $0.item == "org.create" && $0.date == "2026-05-11" })
        for days in [0, -1, 367] {
            #expect {
                try fixture.app.agenda(AgendaRequest(days: days))
            } throws: { error in
                (error as? AppError)?.message == "--days: \(days) is not a number of days from 1 to 366"
            }
        }
        #expect(throws: AppError.self) { try fixture.app.agenda(AgendaRequest(owner: " ")) }
    }

    @Test func goldenText() throws {
        let agenda = try Self.portfolio().app.agenda(AgendaRequest())
        Golden.assertMatches(agenda.text() + "\n", named: "agenda.txt")
        let red = agenda.text(color: true)
        #expect(red.contains("\u{1B}[31m  overdue: acme prep.company-details"))
        #expect(!agenda.text().contains("\u{1B}"))
    }

    @Test func goldenJSON() throws {
        let agenda = try Self.portfolio().app.agenda(AgendaRequest(owner: "dana"))
        let json = agenda.json()
        Golden.assertMatches(json + "\n", named: "agenda-dana.json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["today"] as? String == "2026-05-04")
        #expect(object["days"] as? Int == 7)
        #expect(object["owner"] as? String == "dana")
        let entries = try #require(object["entries"] as? [[String: Any]])
        #expect(entries.count == agenda.entries.count)
        for entry in entries {
            #expect(Set(entry.keys) == ["date", "kind", "customer", "item", "title", "detail"])
        }
    }

    @Test func goldenDigest() throws {
        let agenda = try Self.portfolio().app.agenda(AgendaRequest())
        Golden.assertMatches(agenda.markdown(), named: "digest.md")
    }

    @Test func calendarIsRFC5545AndReadsBack() throws {
        let fixture = try Self.portfolio()
        let agenda = try fixture.app.agenda(AgendaRequest())
        let path = fixture.directory.appendingPathComponent("week.ics").path
        try fixture.app.writeAgendaCalendar(agenda, to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let text = String(decoding: bytes, as: UTF8.self)
        Golden.assertMatches(text, named: "agenda.ics")
        // CRLF everywhere, no line over 75 octets.
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        for line in text.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 75, "\(line)") }
        #expect(text.contains("\r\n "), "long summaries are folded")

        // A real parser: every event is there with its date, UID and text unescaped.
        let script = """
            import sys, icalendar
            cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
            assert cal['VERSION'] == '2.0'
            for e in cal.walk('VEVENT'):
                print(e['UID'], e.decoded('DTSTART').isoformat(), e.decoded('DTEND').isoformat(),
                      e['DTSTAMP'].dt.isoformat(), str(e['CATEGORIES'].cats[0]), '|', str(e['SUMMARY']), '|',
                      str(e['DESCRIPTION']), sep='\\t')
            """
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, path])
        #expect(result.status == 0, "\(result.stderr)")
        let events = result.stdout.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        #expect(events.count == agenda.entries.count)
        #expect(Set(events.map { $0[0] }).count == events.count, "UIDs are unique")
        #expect(events.allSatisfy { $0[0].hasSuffix("@sop") && $0[3] == "2026-05-04T09:00:00+00:00" })
        let overdue = try #require(events.first { $0[4] == "overdue" })
        #expect(overdue[1] == "2026-05-04" && overdue[2] == "2026-05-05", "overdue sits on today, all day")
        let blocked = try #require(events.first { $0[4] == "blocked" })
        #expect(blocked[8].hasPrefix("blocked: waiting for the customer's purchase order; finance, legal; due"))
        #expect(events.contains { $0[4] == "due" && $0[1] == "2026-05-08" && $0[6].contains("training.security") })

        // Stable: the same agenda a day later keeps the UIDs of what is still there.
        var later = fixture
        later.environment["SOP_NOW"] = "2026-05-05T09:00:00Z"
        let next = try later.app.agenda(AgendaRequest())
        let uid = { (a: Agenda, item: String, kind: Agenda.Kind) in
            a.calendar().components(separatedBy: "BEGIN:VEVENT").first {
                $0.contains("CATEGORIES:\(kind.rawValue)")
                    && $0.replacingOccurrences(of: "\r\n ", with: "").contains(item)
            }?.components(separatedBy: "\r\n").first { $0.hasPrefix("UID:") }
        }
        #expect(uid(agenda, "prep.compliance", .overdue) != nil)
        #expect(uid(agenda, "prep.compliance", .overdue) == uid(next, "prep.compliance", .overdue))
        #expect(uid(agenda, "prep.billing-info", .blocked) == uid(next, "prep.billing-info", .blocked))
    }

    @Test func calendarTextIsEscapedAndFolded() {
        #expect(Agenda.icsText("a,b;c\\d\ne\u{7}\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf")
        #expect(Agenda.icsText("txt\u{202E}exe.pdf") == "txt\u{FFFD}exe.pdf")
        let long = "SUMMARY:" + String(repeating: "é", count: 60)
        let folded = Agenda.fold(long)
        let lines = folded.components(separatedBy: "\r\n")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.utf8.count <= 75 })
        #expect(lines[1].hasPrefix(" "))
        #expect(lines[0] + lines[1].dropFirst() == long, "no UTF-8 sequence is split")
        #expect(Agenda.fold("SHORT") == "SHORT")
    }

    @Test func calendarRefusesWhatIsNotAFile() throws {
        let fixture = try Self.portfolio()
        let agenda = try fixture.app.agenda(AgendaRequest())
        let folder = fixture.directory.appendingPathComponent("folder")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        #expect {
            try fixture.app.writeAgendaCalendar(agenda, to: folder.path)
        } throws: { error in
            (error as? AppError)?.message == "--ics \(folder.path): is a directory"
        }
        let link = fixture.directory.appendingPathComponent("link.ics")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "/dev/null")
        #expect(throws: AppError.self) { try fixture.app.writeAgendaCalendar(agenda, to: link.path) }
        let missing = fixture.directory.appendingPathComponent("no-such-folder/week.ics").path
        #expect {
            try fixture.app.writeAgendaCalendar(agenda, to: missing)
        } throws: { error in
            (error as? AppError)?.message
                == "--ics \(missing): cannot write the file (is its folder there and writable?)"
        }
        #expect(throws: AppError.self) { try fixture.app.writeAgendaCalendar(agenda, to: "") }
        // An existing calendar file is replaced whole.
        let file = fixture.directory.appendingPathComponent("week.ics")
        try Data("old".utf8).write(to: file)
        try fixture.app.writeAgendaCalendar(agenda, to: file.path)
        #expect(try String(contentsOf: file, encoding: .utf8).hasPrefix("BEGIN:VCALENDAR\r\n"))
    }

    /// Titles read as `sop status SLUG` shows them: the customer's parameter values filled in.
    @Test func titlesShowTheCustomersParameterValues() throws {
        var fixture = try AppFixture()
        let folder = fixture.directory.appendingPathComponent("templates")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("demo"), withIntermediateDirectories: true)
        try Data(
            """
            ---
            id: demo
            version: 1.0.0
            title: Demo
            roles: [Project Manager]
            provider: none
            email: optional
            parameters:
              team:
                default: platform
                description: Who runs the kick-off.
            ---

            ## 1. Start

            - [ ] **Kick-off:** Call the ${team} team.
              <!-- sop
              id: kickoff
              evidence: [note]
              due: start+0d
              -->
            """.utf8
        ).write(to: folder.appendingPathComponent("demo/1.0.0.md"))
        fixture.environment["SOP_TEMPLATES"] = folder.path
        _ = try fixture.app.createCustomer(
            CreateCustomerRequest(
                customer: NewCustomer(slug: "acme", name: "Acme", email: "", parameters: ["team=security"]),
                template: "demo"))
        let agenda = try fixture.app.agenda(AgendaRequest())
        #expect(agenda.entries.map(\.title) == ["Kick-off: Call the security team."])
        #expect(agenda.entries.map(\.kind) == [.due])
        #expect(agenda.entries.map(\.date) == ["2026-03-02"])
    }

    @Test func waiversAreAKindOfTheirOwn() {
        #expect(Agenda.Kind.waiverExpiring.rawValue == "waiver-expiring")
        #expect(Agenda.Kind.allCases.count == 8)
        #expect(Agenda.Kind.regression.rawValue == "regression")
    }

    /// Due dates are written at `sop new`, in the customer's creation event.
    @Test func newComputesDueDatesInTheCreatingEvent() throws {
        let fixture = try Self.portfolio()
        let acme = try fixture.app.customerStatus(slug: "acme")
        let due = Dictionary(uniqueKeysWithValues: acme.items.map { ($0.id, $0.due) })
        #expect(due["prep.company-details"] == "2026-04-29")
        #expect(due["root.mfa"] == "2026-05-04")
        #expect(due["handover.walkthrough"] == "2026-05-15")
        #expect(due["final.stakeholder-approval"] == "2026-05-13")
        #expect(due["gov.access-control"] == .some(nil))
        let globex = try fixture.app.customerStatus(slug: "globex")
        #expect(globex.items.first { $0.id == "handover.walkthrough" }?.due == nil, "no customer due date")
        #expect(acme.items.filter { $0.status == .notApplicable }.allSatisfy { $0.due == nil })
        let store = try fixture.app.context.openStore()
        defer { store.close() }
        #expect(try store.verifyAudit().problems == [], "the dates are in the trail's row images")
    }
}
