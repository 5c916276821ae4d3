import SOPCore
import Testing

@testable import SOPStore

/// When a sign-off stands, decided from hashes alone; and what the hash covers. No database.
@Suite struct SignoffStalenessTests {
    typealias Rule = SignoffStaleness

    static let sha = String(repeating: "1", count: 64)
    static let evidence = [Rule.Evidence(item: "a", number: 1, kind: "note", sha256: sha, retracted: false)]
    static let checks = [Rule.CheckResult(item: "a", check: "iam_root_mfa_enabled", region: "", outcome: "pass")]
    static let requirements = [
        Rule.Requirements(
            item: "a", evidenceKinds: ["note", "check"], signoffRoles: ["Security Lead"],
            checks: ["iam_root_mfa_enabled"], condition: nil)
    ]
    static var hash: String { Rule.hash(evidence: evidence, checks: checks, requirements: requirements) }

    @Test func stateFollowsTheLatestSignoffAndTheHash() {
        #expect(Rule.state(latest: nil, currentHash: "h") == .missing)
        #expect(Rule.state(latest: .init(evidenceHash: "h", revoked: false), currentHash: "h") == .valid)
        #expect(Rule.state(latest: .init(evidenceHash: "h", revoked: false), currentHash: "g") == .stale)
        #expect(Rule.state(latest: .init(evidenceHash: "h", revoked: true), currentHash: "h") == .revoked)
        #expect(Rule.state(latest: .init(evidenceHash: "h", revoked: true), currentHash: "g") == .revoked)
    }

    /// Frozen: sign-offs in existing databases pin this exact form.
    @Test func hashIsTheKnownAnswer() {
        #expect(Self.hash == "b6583679b14259a4074c8a83249182c25809696ed020bbe27e7e7d9ad8573f7c")
        #expect(
            Rule.hash(evidence: [], checks: [], requirements: [])
                == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func orderDoesNotMatterAndStoredCheckRowsAndRetractionsDropOut() {
        let other = Rule.Evidence(item: "a", number: 2, kind: "file", sha256: Self.sha, retracted: false)
        #expect(
            Rule.hash(evidence: Self.evidence + [other], checks: Self.checks, requirements: Self.requirements)
                == Rule.hash(evidence: [other] + Self.evidence, checks: Self.checks, requirements: Self.requirements))
        var retracted = other
        retracted.retracted = true
        #expect(
            Rule.hash(evidence: Self.evidence + [retracted], checks: Self.checks, requirements: Self.requirements)
                == Self.hash)
        let storedCheck = Rule.Evidence(item: "a", number: 3, kind: "check", sha256: Self.sha, retracted: false)
        #expect(
            Rule.hash(evidence: Self.evidence + [storedCheck], checks: Self.checks, requirements: Self.requirements)
                == Self.hash, "check results count through their outcome, not their stored rows")
        #expect(
            Rule.hash(evidence: Self.evidence + [other], checks: Self.checks, requirements: Self.requirements)
                != Self.hash)
    }

    @Test func aChangedOutcomeOrRequirementMakesItStale() {
        var failing = Self.checks
        failing[0].outcome = "fail"
        #expect(Rule.hash(evidence: Self.evidence, checks: failing, requirements: Self.requirements) != Self.hash)
        #expect(
            Rule.hash(evidence: Self.evidence, checks: Self.checks, requirements: Self.requirements) == Self.hash,
            "the same results again keep it valid")
        var edits: [Rule.Requirements] = []
        for change in 0..<4 {
            var changed = Self.requirements[0]
            switch change {
            case 0: changed.evidenceKinds.append("file")
            case 1: changed.signoffRoles.append("Project Manager")
            case 2: changed.checks = []
            default: changed.condition = "compliance has hipaa"
            }
            edits.append(changed)
        }
        for changed in edits {
            #expect(Rule.hash(evidence: Self.evidence, checks: Self.checks, requirements: [changed]) != Self.hash)
        }
        var reordered = Self.requirements[0]
        reordered.evidenceKinds.reverse()
        #expect(Rule.hash(evidence: Self.evidence, checks: Self.checks, requirements: [reordered]) == Self.hash)
    }
}
