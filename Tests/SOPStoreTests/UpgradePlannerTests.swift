import SOPCore
import Testing

@testable import SOPStore

/// Upgrade planning as a pure function of the customer's rows and the target template. No database.
@Suite struct UpgradePlannerTests {
    static let now = "2026-04-01T10:00:00Z"
    static let hipaa = Condition.has(attribute: "compliance", value: "hipaa")

    static func template(_ version: String, _ items: [Item], sections: [Section]? = nil) -> Template {
        Template(
            id: "t", version: SemanticVersion(version) ?? SemanticVersion(0, 0, 0), title: "T \(version)", roles: [],
            releaseNotes: nil, parameters: [],
            sections: sections ?? [Section(number: "1", title: "One", level: 2, position: .start)],
            items: items, path: "", sha256: "sha-\(version)", body: "")
    }

    static func customer(version: String = "1.0.0", compliance: [String] = []) -> CustomerRecord {
        CustomerRecord(
            id: 1, slug: "acme", name: "Acme", email: "a@acme.example", address: nil, phone: nil, contacts: [],
            owner: nil, due: nil, compliance: compliance, regions: [], awsProfile: nil, roleArn: nil,
            externalId: nil, parameters: [:], templateId: "t", templateVersion: version,
            templateSha256: "sha-\(version)", templateTitle: "T \(version)", createdAt: "2026-03-01T09:00:00Z",
            createdBy: "dana", lastActivityAt: "2026-03-01T09:00:00Z")
    }

    static func row(
        _ id: String, ordinal: Int = 0, section: String = "1", evidence: [String] = ["note"],
        signoff: [String] = [], when: String? = nil, status: ItemStatus = .todo, reason: String? = nil,
        cause: String? = nil, assignee: String? = nil, due: String? = nil
    ) -> ItemRecord {
        ItemRecord(
            customerId: 1, itemId: id, ordinal: ordinal, section: section, title: id.uppercased(), steps: [],
            evidenceKinds: evidence, signoffRoles: signoff, checks: [], depends: [], whenCondition: when,
            ownerRole: nil, status: status.rawValue, statusReason: reason, assignee: assignee, due: due,
            updatedAt: "2026-03-01T09:00:00Z", updatedBy: "dana", archivedAt: nil, statusCause: cause)
    }

    static func evidence(_ id: Int64, on item: String, kind: String = "note") -> EvidenceRecord {
        EvidenceRecord(
            id: id, customerId: 1, itemId: item, kind: kind, text: "e\(id)", blobSha256: nil, sha256: "h\(id)",
            fileName: nil, mediaType: nil, size: 2, addedBy: "dana", addedAt: "2026-03-01T09:00:00Z",
            expires: nil, internal: false, checkId: nil, checkRegion: nil, checkOutcome: nil,
            verificationRunId: nil, retractedAt: nil, retractedBy: nil, retractedReason: nil)
    }

    static func signoff(_ id: Int64, on target: String, kind: String = "item", role: String = "Security Lead")
        -> SignoffRecord
    {
        SignoffRecord(
            id: id, customerId: 1, target: target, targetKind: kind, role: role, signedBy: "priya",
            signedAt: "2026-03-01T09:00:00Z", note: nil, evidenceHash: "x", revokedAt: nil, revokedBy: nil,
            revokedReason: nil)
    }

    static func input(
        _ items: [ItemRecord], evidence: [EvidenceRecord] = [], signoffs: [SignoffRecord] = [],
        customer: CustomerRecord = customer()
    ) -> UpgradePlanner.Input {
        UpgradePlanner.Input(
            customer: customer, items: items, evidence: evidence, signoffs: signoffs,
            sections: [
                SectionRecord(
                    customerId: 1, number: "1", ordinal: 0, title: "One", level: 2,
                    signoffRoles: [], archivedAt: nil)
            ])
    }

    static func plan(
        _ input: UpgradePlanner.Input, _ target: Template,
        through intermediates: [Template] = []
    ) throws(StoreError) -> UpgradePlanner.Planned {
        try UpgradePlanner.plan(input, to: target, through: intermediates, actor: "sam", now: now)
    }

    static func written(_ planned: UpgradePlanner.Planned, _ id: String) -> ItemRecord? {
        for write in planned.itemWrites {
            switch write {
            case .insert(let row), .update(let row): if row.itemId == id && row.archivedAt == nil { return row }
            }
        }
        return nil
    }

    @Test func refusesAnotherTemplateADowngradeAndTheSameVersion() throws {
        let input = Self.input([], customer: Self.customer(version: "1.1.0"))
        var other = Self.template("2.0.0", [])
        other.id = "other"
        for target in [other, Self.template("1.0.0", []), Self.template("1.1.0", [])] {
            #expect(throws: StoreError.self) { try Self.plan(input, target) }
            do { _ = try Self.plan(input, target) } catch { #expect(error.kind == .refused) }
        }
        #expect(throws: StoreError.self) {
            try Self.plan(Self.input([], customer: Self.customer(version: "one")), Self.template("1.1.0", []))
        }
    }

    /// The column decides, not the prose: a person's n/a that happens to read like a condition stays.
    @Test func aConditionThatNowHoldsBringsTheItemBack() throws {
        let rows = [
            Self.row(
                "baa", when: "compliance has hipaa", status: .notApplicable,
                reason: "applies only when compliance has hipaa", cause: Applicability.conditionCause),
            Self.row("extra", ordinal: 1, status: .notApplicable, reason: "applies only when the customer asks"),
        ]
        let target = Self.template(
            "1.1.0",
            [
                Item(id: "baa", section: "1", title: "BAA", evidence: [.note]),
                Item(id: "extra", section: "1", title: "EXTRA", evidence: [.note]),
            ])
        let planned = try Self.plan(Self.input(rows), target)
        let baa = try #require(planned.plan.changed.first { $0.id == "baa" })
        #expect(baa.statusBefore == "n/a" && baa.statusAfter == "todo")
        #expect(baa.reason == "now applies to this customer")
        #expect(Self.written(planned, "baa")?.statusCause == nil)
        #expect(Self.written(planned, "baa")?.statusReason == nil)
        #expect(planned.plan.unchanged == ["extra"])
        #expect(Self.written(planned, "extra")?.status == "n/a")
    }

    @Test func aConditionThatNoLongerHoldsRulesTheItemOut() throws {
        let target = Self.template(
            "1.1.0", [Item(id: "baa", section: "1", title: "BAA", evidence: [.note], when: Self.hipaa)])
        let planned = try Self.plan(Self.input([Self.row("baa", status: .inProgress)]), target)
        let baa = try #require(planned.plan.changed.first)
        #expect(baa.statusAfter == "n/a" && baa.reason == "applies only when compliance has hipaa")
        #expect(baa.changes.contains("applies when: always → compliance has hipaa"))
        #expect(Self.written(planned, "baa")?.statusCause == Applicability.conditionCause)

        let holds = try Self.plan(
            Self.input(
                [Self.row("baa", status: .inProgress)],
                customer: Self.customer(compliance: ["hipaa"])), target)
        #expect(holds.plan.changed.first?.statusAfter == "in-progress")
    }

    @Test func aDoneItemWhoseRequirementsGrewReopensAndItsSignoffsGoStale() throws {
        let rows = [Self.row("sg", signoff: ["Security Lead"], status: .done, assignee: "sam", due: "2026-05-01")]
        let target = Self.template(
            "1.1.0",
            [
                Item(
                    id: "sg", section: "1", title: "SG", evidence: [.note, .file],
                    signoff: ["Security Lead"])
            ])
        let planned = try Self.plan(
            Self.input(
                rows, evidence: [Self.evidence(1, on: "sg")],
                signoffs: [Self.signoff(1, on: "sg")]), target)
        let sg = try #require(planned.plan.changed.first)
        #expect(sg.statusAfter == "in-progress")
        #expect(sg.reason == "reopened by t@1.1.0: needs file evidence")
        #expect(sg.staleSignoffs == ["Security Lead by priya"])
        #expect(planned.plan.reopened.map(\.id) == ["sg"])
        let row = try #require(Self.written(planned, "sg"))
        #expect(row.assignee == "sam" && row.due == "2026-05-01" && row.updatedAt == Self.now && row.updatedBy == "sam")
    }

    @Test func anUntouchedItemKeepsItsRowStamps() throws {
        let target = Self.template("1.1.0", [Item(id: "a", section: "1", title: "A", evidence: [.note])])
        let planned = try Self.plan(Self.input([Self.row("a", status: .done)]), target)
        #expect(planned.plan.unchanged == ["a"])
        #expect(Self.written(planned, "a")?.updatedAt == "2026-03-01T09:00:00Z")
        #expect(Self.written(planned, "a")?.updatedBy == "dana")
    }

    @Test func splitsAndMergesInheritStatusEvidenceAndAssignment() throws {
        let rows = [
            Self.row("old-a", status: .done, assignee: "sam", due: "2026-06-01"),
            Self.row("old-b", ordinal: 1, status: .todo, due: "2026-05-01"),
        ]
        let target = Self.template(
            "1.1.0",
            [
                Item(id: "merged", section: "1", title: "Merged", evidence: [.note], replaces: ["old-a", "old-b"]),
                Item(id: "half", section: "1", title: "Half", evidence: [.note], replaces: ["old-a"]),
            ])
        let evidence = [
            Self.evidence(1, on: "old-a"), Self.evidence(2, on: "old-a", kind: "check"), Self.evidence(3, on: "old-b"),
        ]
        let planned = try Self.plan(Self.input(rows, evidence: evidence), target)
        let merged = try #require(planned.plan.inherited.first { $0.id == "merged" })
        #expect(merged.statusAfter == "in-progress" && merged.statusBefore == nil && merged.evidenceCarried == 2)
        let half = try #require(planned.plan.inherited.first { $0.id == "half" })
        #expect(half.statusBefore == "done" && half.statusAfter == "done")
        #expect(Self.written(planned, "merged")?.assignee == "sam")
        #expect(Self.written(planned, "merged")?.due == "2026-05-01")
        #expect(
            planned.evidenceCopies.map { "\($0.itemId) \($0.sha256) \($0.id.map(String.init) ?? "new")" }
                == ["merged h1 new", "merged h3 new", "half h1 new"], "manual evidence only, in order, without ids")
        #expect(planned.plan.archived.map(\.id) == ["old-a", "old-b"])
        #expect(planned.plan.archived.allSatisfy { $0.reason == "history inherited by its successor" })
    }

    @Test func anInheritedDoneItemMissingNewEvidenceIsInProgress() throws {
        let target = Self.template(
            "1.1.0", [Item(id: "new", section: "1", title: "New", evidence: [.file], replaces: ["old"])])
        let planned = try Self.plan(
            Self.input(
                [Self.row("old", status: .done)], evidence: [Self.evidence(1, on: "old")],
                signoffs: [Self.signoff(1, on: "old")]), target)
        let new = try #require(planned.plan.inherited.first)
        #expect(new.statusAfter == "in-progress")
        #expect(new.reason == "inherited as done, but t@1.1.0 needs file evidence")
        #expect(new.staleSignoffs == ["Security Lead by priya (given on old)"])
    }

    @Test func replacesChainsAreFollowedThroughIntermediates() throws {
        let v2 = Self.template("1.1.0", [Item(id: "b", section: "1", title: "B", replaces: ["a"])])
        let v3 = Self.template("1.2.0", [Item(id: "c", section: "1", title: "C", replaces: ["b"])])
        #expect(UpgradePlanner.ancestry(v3, [v2]) == ["c": ["b", "a"]])
        #expect(UpgradePlanner.ancestry(v3, []) == ["c": ["b"]])
        let planned = try Self.plan(Self.input([Self.row("a", status: .done)]), v3, through: [v2])
        #expect(planned.plan.inherited.map(\.inheritsFrom) == [["a"]])
    }

    @Test(arguments: [
        (["done", "done"], "done"), (["done", "n/a"], "done"), (["n/a", "n/a"], "n/a"),
        (["done", "todo"], "in-progress"),
        (["todo", "todo"], "todo"), (["blocked", "done"], "blocked"), (["failed", "todo"], "in-progress"),
        (["in-progress"], "in-progress"), (["garbage", "todo"], "todo"),
    ])
    func mergedStatusIsTheLeastAdvanced(_ statuses: [String], _ expected: String) {
        #expect(UpgradePlanner.inheritedStatus(statuses) == expected)
    }

    @Test func newItemsStartAsTodoOrRuledOutByTheirCondition() throws {
        let target = Self.template(
            "1.1.0",
            [
                Item(id: "plain", section: "1", title: "Plain"),
                Item(id: "baa", section: "1", title: "BAA", when: Self.hipaa),
            ])
        let planned = try Self.plan(Self.input([]), target)
        #expect(planned.plan.added.map(\.statusAfter) == ["todo", "n/a"])
        #expect(planned.plan.added.map(\.reason) == [nil, "applies only when compliance has hipaa"])
        #expect(Self.written(planned, "baa")?.statusCause == Applicability.conditionCause)
        #expect(Self.written(planned, "plain")?.statusCause == nil)
    }

    @Test func sectionsAreAddedRestoredRetiredAndTheirSignoffsGoStale() throws {
        var input = Self.input(
            [Self.row("a", section: "2.1")],
            signoffs: [
                Self.signoff(1, on: "2", kind: "section"),
                Self.signoff(2, on: "1", kind: "section"),
            ])
        input.sections = [
            SectionRecord(
                customerId: 1, number: "1", ordinal: 0, title: "One", level: 2, signoffRoles: [], archivedAt: nil),
            SectionRecord(
                customerId: 1, number: "2", ordinal: 1, title: "Two", level: 2, signoffRoles: ["Security Lead"],
                archivedAt: nil),
            SectionRecord(
                customerId: 1, number: "4", ordinal: 2, title: "Four", level: 2, signoffRoles: [],
                archivedAt: "2026-02-01T09:00:00Z"),
        ]
        let sections = [
            Section(
                number: "2", title: "Two", level: 2, signoff: ["Security Lead", "Project Manager"],
                position: .start),
            Section(number: "3", title: "Three", level: 2, position: .start),
            Section(number: "4", title: "Four", level: 2, position: .start),
        ]
        let target = Self.template(
            "1.1.0", [Item(id: "a", section: "2.1", title: "A", evidence: [.note, .file])],
            sections: sections)
        let planned = try Self.plan(input, target)
        #expect(
            planned.plan.sections == [
                "* 2 sign-off: Security Lead → Security Lead, Project Manager", "+ 3 Three",
                "+ 4 Four (restored)", "- 1 One (archived)",
            ])
        #expect(
            planned.plan.staleSectionSignoffs == ["2: Security Lead by priya"],
            "an item of 2.1 changed; section 1 did not")
        let kinds = planned.sectionWrites.map { write -> String in
            switch write {
            case .insert(let row): "insert \(row.number)"
            case .update(let row): "update \(row.number)\(row.archivedAt == nil ? "" : " archived")"
            }
        }
        #expect(kinds == ["update 2", "insert 3", "update 4", "update 1 archived"])
    }

    @Test func writesComeInTemplateOrderThenArchivalsAndTheCustomerIsRepinned() throws {
        let rows = [Self.row("gone"), Self.row("kept", ordinal: 1)]
        let target = Self.template(
            "1.1.0",
            [
                Item(id: "new", section: "1", title: "New"),
                Item(id: "kept", section: "1", title: "KEPT", evidence: [.note]),
            ])
        let planned = try Self.plan(Self.input(rows), target)
        let order = planned.itemWrites.map { write -> String in
            switch write {
            case .insert(let row): "insert \(row.itemId) #\(row.ordinal)"
            case .update(let row): "update \(row.itemId) #\(row.ordinal)\(row.archivedAt == nil ? "" : " archived")"
            }
        }
        #expect(order == ["insert new #0", "update kept #1", "update gone #0 archived"])
        #expect(planned.customer.templateVersion == "1.1.0" && planned.customer.templateSha256 == "sha-1.1.0")
        #expect(planned.customer.templateTitle == "T 1.1.0" && planned.customer.lastActivityAt == Self.now)
        #expect(planned.plan.from == "t@1.0.0" && planned.plan.to == "t@1.1.0")
        #expect(planned.plan.unchanged == ["kept"] && planned.plan.added.map(\.id) == ["new"])
    }
}
