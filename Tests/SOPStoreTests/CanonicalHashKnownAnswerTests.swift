import Foundation
import Testing

@testable import SOPStore

/// Fixed events, evidence and runs with their canonical JSON and SHA-256 written out.
///
/// Every expected value below was computed once with the store's JSONEncoder-based writer
/// (`.sortedKeys`, `.withoutEscapingSlashes`, snake_case keys, ISO-8601 dates; Swift 6.3.1)
/// before SOPJSON replaced it, so they are the bytes existing databases hold. If one of these
/// fails, the canonical form changed and old databases would stop verifying: fix the writer,
/// never the expected value.
@Suite struct CanonicalHashKnownAnswerTests {
    /// Quotes, backslashes, `/`, control characters, DEL, non-ASCII, emoji (a ZWJ sequence too),
    /// U+2028 and U+2029.
    static let tricky =
        "quote \" backslash \\ slash / tab\t newline\n cr\r nul\u{0} bell\u{7} esc\u{1b} us\u{1f} "
        + "del\u{7f} é 漢字 🧾👩‍💻 ls\u{2028} ps\u{2029}"
    static let trickyJSON =
        #"quote \" backslash \\ slash / tab\t newline\n cr\r nul\u0000 bell\u0007 esc\u001b us\u001f "#
        + "del\u{7f} é 漢字 🧾👩‍💻 ls\u{2028} ps\u{2029}"

    struct Creation: Encodable {
        var slug: String
        var name: String
        var templateSha256: String
        var items: Int
        var notApplicable: [String]
        var regions: [String]
    }

    struct Numbers: Encodable {
        var integers: [Int]
        var doubles: [Double]
        var flag: Bool
        var missing: String?
        var nested: [String: [Int]]
        var at: Date
    }

    static let summary = VerificationAuditSummary(
        run: "V1", sha256: String(repeating: "b", count: 64), account: "111111111111", passed: 1, failed: 1, errors: 0,
        notApplicable: 1,
        evidence: ["E1:" + String(repeating: "c", count: 64), "E2:" + String(repeating: "d", count: 64)],
        transitions: ["root-mfa": "failed", "1.10": "done", "1.2": "done", "Zed": "failed", "é": "done"])

    static let results = [
        CheckResultRecord(
            checkId: "iam_root_mfa_enabled", title: "Root user has MFA", itemIds: ["root-mfa"], sections: ["3.1"],
            outcome: .pass, summary: "meets the criterion", calls: ["iam:GetAccountSummary"]),
        CheckResultRecord(
            checkId: "s3_bucket_encryption", itemIds: ["s3.encrypt", "s3.policy"], region: "eu-west-1",
            outcome: .fail, summary: tricky, resources: ["arn:aws:s3:::a/b", "ünï/✓"]),
        CheckResultRecord(
            checkId: "guardduty_enabled", title: "GuardDuty \"on\"", itemIds: [], region: "us-east-1",
            outcome: .notApplicable, summary: ""),
    ]

    struct Event {
        var seq: Int64
        var customer: String?
        var actor: String
        var at: String
        var action: String
        var target: String
        var before: String
        var after: String
    }

    static let events = [
        Event(
            seq: 1, customer: "acme", actor: "dana", at: "2026-03-02T09:00:00Z", action: "customer.create",
            target: "acme",
            before: "{}",
            after: CanonicalJSON.encode(
                Creation(
                    slug: "acme", name: "Acme \"Corp\" / Ünïcødé 🧾", templateSha256: String(repeating: "a", count: 64),
                    items: 6,
                    notApplicable: ["hipaa-baa"], regions: ["eu-west-1", "us-east-1"]))),
        Event(
            seq: 2, customer: "acme", actor: "dana", at: "2026-03-02T09:01:00Z", action: "item.mark",
            target: "root-email",
            before: CanonicalJSON.object(["status": "todo", "reason": nil]),
            after: CanonicalJSON.object(["status": "done", "reason": tricky])),
        Event(
            seq: 3, customer: nil, actor: "sam\\ops", at: "2026-03-02T09:02:00Z", action: "template.note",
            target: "a/b",
            before: "{}",
            after: CanonicalJSON.encode(
                Numbers(
                    integers: [0, -1, 42, Int.max, Int.min],
                    doubles: [0.1, 1e21, -2.5, 1.0, 1e-7, -0.0, 123.456, .leastNonzeroMagnitude],
                    flag: true, missing: nil, nested: ["b": [2], "a": [1], "B": [], "a10": [10], "a9": [9]],
                    at: Date(timeIntervalSince1970: 1_772_442_000.75)))),
        Event(
            seq: 4, customer: "acme", actor: "verify-bot", at: "2026-03-02T09:03:00Z", action: "verification.record",
            target: "V1", before: "{}", after: CheckEvidenceJSON.encode(summary)),
        Event(
            seq: 5, customer: "acme", actor: "dana", at: "2026-03-02T09:04:00Z", action: "evidence.retract",
            target: "E1",
            before: CanonicalJSON.object(["evidence": "E1"]),
            after: CanonicalJSON.object(["evidence": "E1", "reason": tricky])),
    ]

    @Test func beforeAndAfterJSON() {
        let after = Self.events.map(\.after)
        #expect(
            after[0] == #"{"items":6,"name":"Acme \"Corp\" / Ünïcødé 🧾","not_applicable":["hipaa-baa"],"#
                + #""regions":["eu-west-1","us-east-1"],"slug":"acme","template_sha256":"#
                + #""aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}"#)
        #expect(Self.events[1].before == #"{"status":"todo"}"#)
        #expect(after[1] == #"{"reason":""# + Self.trickyJSON + #"","status":"done"}"#)
        #expect(
            after[2]
                == #"{"at":"2026-03-02T09:00:00Z","doubles":[0.1,1e+21,-2.5,1,1e-07,-0,123.456,5e-324],"flag":true,"#
                + #""integers":[0,-1,42,9223372036854775807,-9223372036854775808],"#
                + #""nested":{"B":[],"a":[1],"a10":[10],"a9":[9],"b":[2]}}"#)
        #expect(
            after[3] == #"{"account":"111111111111","errors":0,"evidence":["#
                + #""E1:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","#
                + #""E2:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"],"failed":1,"not_applicable":1,"#
                + #""passed":1,"run":"V1","sha256":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","#
                + #""transitions":{"1.10":"done","1.2":"done","Zed":"failed","root-mfa":"failed","é":"done"}}"#)
        #expect(after[4] == #"{"evidence":"E1","reason":""# + Self.trickyJSON + #""}"#)
        // The hand-built summary and the Codable path agree.
        #expect(CanonicalJSON.encode(Self.summary) == after[3])
    }

    @Test func eventHashes() {
        let expected = [
            "ccf3ea8b7590d018a82fc38dfae32a1200ff2842fb2ea15f2ce264d378d82b2f",
            "2c7da8c449aab80804ecdefb876901ad8598564d8043679ef60a624825bb4515",
            "6e5470456085b9233dcddea82c0ab9bd325d1a0d83f230c8ef731bf0cc0ac1f6",
            "608f6096cfc71c778589285acdd88b3b0dd726c25b1a8dde3b506e824bb6431d",
            "a5d97ee9eef405c506abd850361a661fd40882592c437ac42a51e716afe0bd5e",
        ]
        var previous = Hashing.zero
        for (event, expected) in zip(Self.events, expected) {
            let hash = AuditChain.hash(
                prevHash: previous, seq: event.seq, customer: event.customer, actor: event.actor,
                at: event.at, action: event.action, target: event.target, before: event.before,
                after: event.after)
            #expect(hash == expected, "event \(event.seq)")
            previous = hash
        }
    }

    @Test func checkEvidence() {
        let evidence = CheckEvidenceJSON.encode(
            account: "111111111111", run: "V1", checkedAt: "2026-03-02T09:00:03Z",
            result: Self.results[1])
        #expect(
            evidence == #"{"account":"111111111111","checked_at":"2026-03-02T09:00:03Z","result":{"calls":[],"#
                + #""check_id":"s3_bucket_encryption","item_ids":["s3.encrypt","s3.policy"],"outcome":"fail","region":"eu-west-1","#
                + #""resources":["arn:aws:s3:::a/b","ünï/✓"],"sections":[],"summary":""# + Self.trickyJSON
                + #""},"run":"V1"}"#)
        #expect(Hashing.sha256(evidence) == "33edf26dc44553ea1b58c4d3449291a72f2443020253d39f78790f44322d5a87")
        let noAccount = CheckEvidenceJSON.encode(
            account: nil, run: "V2", checkedAt: "2026-03-02T09:00:03Z",
            result: Self.results[0])
        #expect(Hashing.sha256(noAccount) == "23ce57cf025aaa68ec30f6178bc9088f9f786d9eb2151f280d36b569c73cca52")
        #expect(
            CanonicalJSON.encode(
                CheckEvidence(
                    account: "111111111111", run: "V1", checkedAt: "2026-03-02T09:00:03Z",
                    result: Self.results[1])) == evidence)
    }

    @Test func recordedRuns() {
        let run = VerificationRun(
            account: "111111111111", regions: ["eu-west-1", "us-east-1"],
            startedAt: Date(timeIntervalSince1970: 1_772_442_000.4),
            finishedAt: Date(timeIntervalSince1970: 1_772_442_003.999), callsMade: 117,
            results: Self.results)
        let stored = CheckEvidenceJSON.encode(run)
        #expect(Hashing.sha256(stored) == "a75e6420365c0ebae1bd749815101e23db00b80f83d606f60b47236d417c612c")
        #expect(stored.hasPrefix(#"{"account":"111111111111","calls_made":117,"finished_at":"2026-03-02T09:00:03Z","#))
        #expect(stored.hasSuffix(#""title":"GuardDuty \"on\""}],"started_at":"2026-03-02T09:00:00Z"}"#))
        #expect(CanonicalJSON.encode(run) == stored)

        let empty = VerificationRun(
            account: nil, regions: [], startedAt: Date(timeIntervalSince1970: 0),
            finishedAt: Date(timeIntervalSince1970: 1), callsMade: 0, results: [])
        #expect(
            CheckEvidenceJSON.encode(empty)
                == #"{"calls_made":0,"finished_at":"1970-01-01T00:00:01Z","regions":[],"results":[],"started_at":"1970-01-01T00:00:00Z"}"#
        )
        #expect(
            Hashing.sha256(CheckEvidenceJSON.encode(empty))
                == "a689b68491d0e734d28196278a1af6d9752040fd9f64ea46b1eda82a64a2cb36")
        #expect(
            Hashing.sha256(CheckEvidenceJSON.encode(Self.summary))
                == "6b0c1d78b1a2bb2a5bde81ee8ba786deea8549e9db2cdc272b8b59d9cddafbe3")
    }
}
