import Foundation
import SOPCore
import Testing

@testable import SOPApp
@testable import SOPStore

/// The gate's rules (Lula's `evaluate`): pass → fail and a lost result regress; new failures
/// and waived regressions are listed without failing it; each change names what it observed.
@Suite struct RegressionGateTests {
    func baseline(_ results: [CheckResultRecord]) -> StoredVerificationRun {
        StoredVerificationRun(
            id: "V3", recordedAt: "", recordedBy: "", passed: 0, failed: 0, errors: 0, notApplicable: 0, sha256: "",
            run: VerificationRun(
                account: nil, regions: ["eu-west-1"], startedAt: Date(), finishedAt: Date(), callsMade: 0,
                results: results))
    }

    func before(
        _ check: String, _ outcome: CheckOutcome, region: String? = nil, resources: [String] = [],
        observed: [String: String]? = nil
    ) -> CheckResultRecord {
        CheckResultRecord(
            checkId: check, itemIds: ["i"], region: region, outcome: outcome, summary: "\(check) was \(outcome)",
            resources: resources, observed: observed)
    }

    func now(
        _ check: String, _ outcome: CheckOutcome, region: String = "global", resources: [String] = [],
        observed: [String: String] = [:], waiver: String? = nil
    ) -> VerifyReport.Result {
        VerifyReport.Result(
            check: check, title: "", items: ["i"], sections: [], region: region, outcome: outcome.rawValue,
            summary: "\(check) is \(outcome)", resources: resources, observed: observed,
            waiver: waiver.map { VerifyReport.WaiverMark(id: $0, until: "2026-12-31", by: "priya") })
    }

    @Test func passToFailAndLostResultsRegressNewFailuresDoNot() {
        let gate = RegressionGate(
            baseline: baseline([
                before("policy", .pass, observed: ["length": "16"]),
                before("sg", .pass, region: "eu-west-1", resources: ["sg-1"]),
                before("gone", .pass),
                before("unverifiable", .pass),
                before("emulator", .error),
                before("still", .fail, resources: ["a"]),
                before("mended", .fail, resources: ["b"]),
                before("skipped", .notApplicable),
            ]),
            now: [
                now("policy", .fail, observed: ["length": "8"]),
                now("sg", .fail, region: "eu-west-1", resources: ["sg-9"], observed: ["sg-9 opens": "22 to 0.0.0.0/0"]),
                now("unverifiable", .error),
                now("emulator", .error),
                now("still", .fail, resources: ["a"]),
                now("mended", .pass),
                now("skipped", .fail),
                now("brand-new", .fail, resources: ["x"]),
            ])
        #expect(!gate.passed)
        #expect(gate.regressions.map(\.key) == ["gone@global", "policy@global", "sg@eu-west-1", "unverifiable@global"])
        #expect(gate.regressions.first { $0.check == "policy" }?.details == ["length 16 → 8"])
        #expect(gate.regressions.first { $0.check == "sg" }?.details == ["sg-9 opens none → 22 to 0.0.0.0/0 (new)"])
        #expect(gate.regressions.first { $0.check == "gone" }?.details == ["no result (was pass)"])
        #expect(gate.regressions.first { $0.check == "gone" }?.now == nil)
        #expect(gate.newFailures.map(\.key) == ["skipped@global", "brand-new@global"])
        #expect(gate.fixed.map(\.key) == ["mended@global"])
        #expect(gate.fixed.first?.details == ["b (gone)"])
    }

    @Test func aWaivedRegressionIsListedAndDoesNotFailTheGate() {
        let gate = RegressionGate(
            baseline: baseline([before("policy", .pass)]), now: [now("policy", .fail, waiver: "W-2")])
        #expect(gate.passed)
        #expect(gate.regressions.isEmpty)
        #expect(gate.waived.map(\.waiver) == ["W-2"])
        #expect(gate.waived.first?.details == ["policy was pass → policy is fail"], "the summaries, when nothing else")
    }
}
