import Foundation
import TestSupport
import Testing

@testable import SOPCore

/// Due rules and validity periods: parsing, working-day arithmetic, chains, the customer's due
/// date, and lint naming the line of every bad value, unknown anchor and cycle.
@Suite struct DueRuleTests {
    // MARK: Parsing

    @Test func parsesTheThreeForms() throws {
        #expect(try DueRule.parse("start+5wd") == .start(DueOffset(count: 5, unit: .workingDays)))
        #expect(try DueRule.parse("start + 0d") == .start(DueOffset(count: 0, unit: .days)))
        #expect(
            try DueRule.parse("after prep.root-email +3d")
                == .after(item: "prep.root-email", DueOffset(count: 3, unit: .days)))
        #expect(try DueRule.parse("after a+2wd") == .after(item: "a", DueOffset(count: 2, unit: .workingDays)))
        #expect(try DueRule.parse("customer-due-2wd") == .customerDue(DueOffset(count: 2, unit: .workingDays)))
        #expect(try DueRule.parse("customer-due-0d").description == "customer-due-0d")
        #expect(try DueRule.parse("after  x.y   +1wd").description == "after x.y +1wd")
    }

    @Test(arguments: [
        ("start-5wd", "needs '+'"), ("start+5", "unit ''"), ("start+5h", "unit 'h'"), ("start+wd", "whole number"),
        ("start+-1d", "whole number"), ("start+99999d", "whole number"), ("after +3d", "not an item id"),
        ("after Prep +3d", "not an item id"), ("after prep.email", "names no offset"),
        ("customer-due+2wd", "needs '-'"), ("2026-05-01", "not a due rule"), ("", "not a due rule"),
        ("tomorrow", "not a due rule"),
    ])
    func refusesMalformedRules(_ text: String, _ fragment: String) {
        #expect {
            try DueRule.parse(text)
        } throws: { error in
            (error as? MetadataValueError)?.description.contains(fragment) == true
        }
    }

    @Test func parsesValidityPeriods() throws {
        #expect(try ValidityPeriod.parse("365d") == ValidityPeriod(count: 365, unit: .days))
        #expect(try ValidityPeriod.parse("12w").unit == .weeks)
        #expect(try ValidityPeriod.parse("6m").description == "6m")
        #expect(try ValidityPeriod.parse("1y").unit == .years)
        for bad in ["0d", "365", "d", "1.5y", "-3d", "3 days", "10000d", ""] {
            #expect(throws: MetadataValueError.self, "\(bad)") { try ValidityPeriod.parse(bad) }
        }
    }

    @Test func validityPeriodEnds() throws {
        let start = try #require(Timestamps.parseInstant("2026-02-28T10:00:00Z"))
        func end(_ text: String) throws -> String { Timestamps.string(try ValidityPeriod.parse(text).end(from: start)) }
        #expect(try end("365d") == "2027-02-28T10:00:00Z")
        #expect(try end("2w") == "2026-03-14T10:00:00Z")
        #expect(try end("1m") == "2026-03-28T10:00:00Z")
        #expect(try end("1y") == "2027-02-28T10:00:00Z")
        let january = try #require(Timestamps.parseInstant("2026-01-31T00:00:00Z"))
        #expect(Timestamps.string(ValidityPeriod(count: 1, unit: .months).end(from: january)) == "2026-02-28T00:00:00Z")
    }

    // MARK: Working days

    /// 2026-05-01 is a Friday.
    @Test func workingDaysSkipWeekends() throws {
        func add(_ n: Int, _ day: String, backwards: Bool = false) throws -> String {
            WorkingDays.text(WorkingDays.adding(n, to: try #require(WorkingDays.dayNumber(day)), backwards: backwards))
        }
        #expect(WorkingDays.weekday(try #require(WorkingDays.dayNumber("2026-05-01"))) == 4)
        #expect(WorkingDays.weekday(try #require(WorkingDays.dayNumber("1970-01-01"))) == 3)
        #expect(try add(1, "2026-05-01") == "2026-05-04", "Friday + 1wd is Monday")
        #expect(try add(0, "2026-05-02") == "2026-05-04", "Saturday + 0wd rolls forward to Monday")
        #expect(try add(1, "2026-05-02") == "2026-05-04", "Saturday + 1wd is Monday, as from Friday")
        #expect(try add(2, "2026-05-03") == "2026-05-05", "Sunday + 2wd is Tuesday")
        #expect(try add(5, "2026-05-04") == "2026-05-11", "a working week")
        #expect(try add(12, "2026-05-06") == "2026-05-22")
        #expect(try add(2, "2026-05-04", backwards: true) == "2026-04-30", "Monday - 2wd is Thursday")
        #expect(try add(0, "2026-05-03", backwards: true) == "2026-05-01", "Sunday - 0wd rolls back to Friday")
        #expect(try add(260, "2026-01-01") == "2026-12-31")
        #expect(try add(3, "2026-12-31") == "2027-01-05", "across the year end")
    }

    // MARK: Schedules

    func item(_ id: String, _ rule: String?) throws -> Item {
        Item(id: id, section: "1", title: id, due: try rule.map { try DueRule.parse($0) })
    }

    @Test func computesChainsInAnyOrder() throws {
        let items = [
            try item("c", "after b +2d"), try item("b", "after a +1wd"), try item("a", "start+2wd"),
            try item("plain", nil), try item("d", "start+0d"),
        ]
        // Thursday 2026-04-30: +2wd → Mon 05-04, +1wd → Tue 05-05, +2d → Thu 05-07.
        let due = DueSchedule.compute(items, start: "2026-04-30", customerDue: nil)
        #expect(due == ["a": "2026-05-04", "b": "2026-05-05", "c": "2026-05-07", "d": "2026-04-30"])
    }

    @Test func customerDueRulesNeedTheCustomersDate() throws {
        let items = [
            try item("handover", "customer-due-0wd"), try item("review", "customer-due-3wd"),
            try item("approve", "after review +1wd"), try item("early", "customer-due-10d"),
        ]
        // 2026-06-14 is a Sunday: -0wd is Friday 06-12, -3wd is Wednesday 06-10.
        let due = DueSchedule.compute(items, start: "2026-05-01", customerDue: "2026-06-14")
        #expect(
            due == ["handover": "2026-06-12", "review": "2026-06-10", "approve": "2026-06-11", "early": "2026-06-04"])
        #expect(DueSchedule.compute(items, start: "2026-05-01", customerDue: nil).isEmpty, "no customer date, no dates")
    }

    @Test func anchorsWithoutDatesLeaveTheChainUndated() throws {
        let items = [try item("a", nil), try item("b", "after a +1d"), try item("c", "after b +1d")]
        #expect(DueSchedule.compute(items, start: "2026-05-01", customerDue: nil).isEmpty)
        let cycle = [try item("x", "after y +1d"), try item("y", "after x +1d"), try item("z", "start+1d")]
        #expect(DueSchedule.compute(cycle, start: "2026-05-01", customerDue: nil) == ["z": "2026-05-02"])
    }

    @Test func longChainsResolve() throws {
        var items = [try item("i0", "start+0d")]
        for n in 1..<2000 { items.append(try item("i\(n)", "after i\(n - 1) +1d")) }
        let due = DueSchedule.compute(items.reversed(), start: "2026-01-01", customerDue: nil)
        #expect(due["i1999"] == WorkingDays.text(try #require(WorkingDays.dayNumber("2026-01-01")) + 1999))
    }

    // MARK: Lint

    static let template = """
        ---
        id: demo
        version: 1.0.0
        title: Demo SOP
        roles: [Project Manager]
        ---

        # Demo SOP

        ## 1. Preparation

        - [ ] **Email:** Obtain the root email.
          <!-- sop
          id: prep.email
          evidence: [note]
          due: start+2wd
          -->
        - [ ] **Policy:** Write the policy.
          <!-- sop
          id: prep.policy
          evidence: [note]
          due: after prep.email +3d
          valid_for: 365d
          -->
        - [ ] **Handover:** Hand over.
          <!-- sop
          id: handover
          evidence: [note]
          due: customer-due-1wd
          -->
        """

    func lint(_ text: String) -> [Diagnostic] {
        TemplateParser().check(data: Data(text.utf8), path: "t.md").1
    }

    @Test func theTemplateParsesWithItsRules() throws {
        let template = try TemplateParser().parse(data: Data(Self.template.utf8), path: "t.md")
        #expect(template.item("prep.policy")?.due == .after(item: "prep.email", DueOffset(count: 3, unit: .days)))
        #expect(template.item("prep.policy")?.validFor == ValidityPeriod(count: 365, unit: .days))
        #expect(template.item("handover")?.due == .customerDue(DueOffset(count: 1, unit: .workingDays)))
        #expect(template.item("prep.email")?.validFor == nil)
        let json = String(decoding: try TemplateJSON(template).encoded(), as: UTF8.self)
        #expect(json.contains(#""due" : "after prep.email +3d""#))
        #expect(json.contains(#""valid_for" : "365d""#))
        #expect(json.contains(#""valid_for" : null"#))
    }

    @Test(arguments: [
        ("malformed due", "due: start+2wd", "due: start+2weeks", 16, "bad due rule: 'start+2weeks' has unit 'weeks'"),
        ("due not text", "due: start+2wd", "due: [start+2wd]", 16, "due must be a rule"),
        (
            "unknown anchor", "due: after prep.email +3d", "due: after prep.ghost +3d", 22,
            "item 'prep.policy' is due after unknown item 'prep.ghost'"
        ),
        ("self anchor", "due: after prep.email +3d", "due: after prep.policy +3d", 22, "is due after itself"),
        ("malformed valid_for", "valid_for: 365d", "valid_for: 365", 23, "valid_for '365' is not a period"),
        ("zero valid_for", "valid_for: 365d", "valid_for: 0d", 23, "valid_for '0d' is not a period"),
        ("valid_for not text", "valid_for: 365d", "valid_for: {a: 1}", 23, "valid_for must be a period"),
    ])
    func lintNamesTheLine(_ name: String, _ old: String, _ new: String, _ line: Int, _ fragment: String) {
        #expect(Self.template.contains(old))
        let diagnostics = lint(Self.template.replacingOccurrences(of: old, with: new))
        #expect(
            diagnostics.contains { $0.position.line == line && $0.message.contains(fragment) },
            "\(name): \(diagnostics.map(\.description))")
        #expect(diagnostics.allSatisfy { !$0.description.contains("\n") })
    }

    @Test func lintNamesTheCycleOnce() {
        let text = Self.template.replacingOccurrences(of: "due: start+2wd", with: "due: after handover +1d")
            .replacingOccurrences(of: "due: customer-due-1wd", with: "due: after prep.policy +1d")
        let diagnostics = lint(text)
        #expect(diagnostics.count == 1, "\(diagnostics.map(\.description))")
        #expect(diagnostics.first?.position.line == 16)
        #expect(
            diagnostics.first?.message == "due-rule cycle: prep.email → handover → prep.policy → prep.email",
            "\(diagnostics.map(\.description))")
    }

    @Test func shippedTemplateRulesResolve() throws {
        let template = try TemplateParser().parse(
            fileAt: Paths.templatesDirectory.appendingPathComponent("aws-account/1.2.0.md"))
        #expect(template.items.filter { $0.due != nil }.count >= 10)
        #expect(template.item("training.security")?.validFor == ValidityPeriod(count: 365, unit: .days))
        // Monday 2026-05-04, customer due Friday 2026-06-26.
        let due = DueSchedule.compute(template.items, start: "2026-05-04", customerDue: "2026-06-26")
        #expect(due["prep.root-email"] == "2026-05-06")
        #expect(due["root.mfa"] == "2026-05-11")
        #expect(due["handover.walkthrough"] == "2026-06-26")
        #expect(due["final.stakeholder-approval"] == "2026-06-24")
        #expect(due["gov.access-control"] == nil)
    }
}
