import SOPCore
import Testing

@testable import SOPStore

/// The done gate as a pure rule: what a request needs, which evidence counts, which
/// dependencies are open, and what an override permits. No database.
@Suite struct DoneGateTests {
    typealias Evidence = DoneGate.Evidence

    @Test func requestsNeedAReasonToBlockToSkipAndToOverride() {
        #expect(DoneGate.requestProblem(item: "a", status: .failed, reason: "x", force: false)?.kind == .badInput)
        #expect(
            DoneGate.requestProblem(item: "a", status: .blocked, reason: nil, force: false)?.problem
                == .reasonRequired(.mark(item: "a", status: .blocked)))
        #expect(
            DoneGate.requestProblem(item: "a", status: .notApplicable, reason: nil, force: false)?.problem
                == .reasonRequired(.mark(item: "a", status: .notApplicable)))
        #expect(
            DoneGate.requestProblem(item: "a", status: .done, reason: nil, force: true)?.problem
                == .reasonRequired(.override))
        #expect(
            DoneGate.requestProblem(item: "a", status: .todo, reason: nil, force: true)?.problem
                == .reasonRequired(.override), "an override needs a reason whatever the status")
        for status in [ItemStatus.todo, .inProgress, .done] {
            #expect(DoneGate.requestProblem(item: "a", status: status, reason: nil, force: false) == nil)
        }
        #expect(DoneGate.requestProblem(item: "a", status: .done, reason: "checked by hand", force: true) == nil)
        #expect(DoneGate.requestProblem(item: "a", status: .blocked, reason: "waiting", force: false) == nil)
    }

    @Test func retractedAndExpiredEvidenceDoesNotCount() {
        func missing(_ evidence: [Evidence]) -> [String] {
            DoneGate.missingEvidence(
                required: ["note", "file"], evidence: evidence, checkOutcomes: [], today: "2026-03-02")
        }
        #expect(missing([]) == ["note", "file"])
        #expect(missing([Evidence(kind: "note", retracted: false, expires: nil)]) == ["file"])
        #expect(missing([Evidence(kind: "note", retracted: true, expires: nil)]) == ["note", "file"])
        #expect(missing([Evidence(kind: "note", retracted: false, expires: "2026-03-01")]) == ["note", "file"])
        #expect(
            missing([Evidence(kind: "note", retracted: false, expires: "2026-03-02")]) == ["file"],
            "counts on its last day")
        #expect(
            missing([Evidence(kind: "link", retracted: false, expires: nil)]) == ["note", "file"],
            "kinds do not stand in")
        #expect(
            missing([
                Evidence(kind: "file", retracted: false, expires: nil),
                Evidence(kind: "note", retracted: false, expires: nil),
            ]).isEmpty)
    }

    @Test(arguments: [
        ([String](), ["check (run 'sop verify')"]),
        (["pass", "fail"], ["check (failing)"]),
        (["error", "not-applicable"], ["check (no passing result)"]),
        (["pass", "error"], []),
        (["pass"], []),
    ])
    func checksCountByTheirOutcomes(_ outcomes: [String], _ expected: [String]) {
        let manualCheckEvidence = [Evidence(kind: "check", retracted: false, expires: nil)]
        #expect(
            DoneGate.missingEvidence(
                required: ["check"], evidence: manualCheckEvidence, checkOutcomes: outcomes,
                today: "2026-03-02") == expected)
    }

    @Test func dependenciesAreOpenUntilSettled() {
        let statuses = ["a": "done", "b": "n/a", "c": "in-progress", "d": "failed", "e": "blocked"]
        #expect(DoneGate.openDependencies(["a", "b"], statuses: statuses).isEmpty)
        #expect(
            DoneGate.openDependencies(["e", "a", "c", "d"], statuses: statuses) == ["e", "c", "d"],
            "in the order listed")
        #expect(DoneGate.openDependencies(["ghost"], statuses: statuses) == ["ghost"], "an unknown item is not done")
        #expect(DoneGate.openDependencies(["x"], statuses: ["x": "garbage"]) == ["x"])
        #expect(DoneGate.openDependencies([], statuses: [:]).isEmpty)
    }

    @Test func blockersAreWordedAsTheAuditTrailRecordsThem() {
        #expect(DoneGate.blockers(missingEvidence: [], openDependencies: []).isEmpty)
        #expect(
            DoneGate.blockers(missingEvidence: ["note", "check (failing)"], openDependencies: ["root-email", "x"])
                == ["evidence (note, check (failing))", "depends on root-email, x (not done)"])
        #expect(DoneGate.blockers(missingEvidence: [], openDependencies: ["x"]) == ["depends on x (not done)"])
    }

    @Test func onlyDoneIsGatedAndAnOverrideLetsItThrough() {
        let blockers = ["evidence (note)"]
        #expect(DoneGate.verdict(status: .done, blockers: [], force: false) == .allowed)
        #expect(
            DoneGate.verdict(status: .done, blockers: [], force: true) == .allowed,
            "nothing to override: nothing recorded")
        #expect(DoneGate.verdict(status: .done, blockers: blockers, force: false) == .refused(missing: blockers))
        #expect(DoneGate.verdict(status: .done, blockers: blockers, force: true) == .forced(over: blockers))
        for status in [ItemStatus.todo, .inProgress, .blocked, .notApplicable] {
            #expect(DoneGate.verdict(status: status, blockers: blockers, force: false) == .allowed)
        }
    }
}
