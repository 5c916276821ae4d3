import Foundation
import GRDB
import SOPCore
import Testing

@testable import SOPStore

/// The hand-written `init(row:)` of each record must read exactly what its Codable
/// encoding writes: each record goes to a row the way the store inserts it, and back.
@Suite struct RowDecodingTests {
    static let awkward = [
        "", "plain", "quote \" inside", "back\\slash", "comma, and ]bracket[", "ünïcødé ✓", "line\nbreak",
        "tab\tand \u{1}control",
    ]

    func roundTrip<R: EncodableRecord & FetchableRecord & Equatable>(_ record: R) throws -> R {
        try R(row: Row(record.databaseDictionary))
    }

    @Test func itemsAndSections() throws {
        for steps in [[], ["one"], Self.awkward] {
            let item = ItemRecord(
                customerId: 7, itemId: "root.mfa", ordinal: 3, section: "3.1", title: "Enable \"root\" MFA",
                steps: steps, evidenceKinds: ["note", "check"], signoffRoles: ["Security Lead"],
                checks: steps, depends: [], whenCondition: "compliance has hipaa", ownerRole: nil,
                status: "todo", statusReason: nil, assignee: "Dana", due: "2026-05-01",
                updatedAt: "2026-03-02T09:00:00Z", updatedBy: "dana", archivedAt: nil)
            #expect(try roundTrip(item) == item)
            let section = SectionRecord(
                customerId: 7, number: "3", ordinal: 2, title: "Root", level: 2, signoffRoles: steps,
                archivedAt: "2026-03-02T09:00:00Z")
            #expect(try roundTrip(section) == section)
        }
    }

    @Test func customersWithEveryParameterKind() throws {
        let customer = CustomerRecord(
            id: 3, slug: "acme", name: "Acme", email: "root@acme.example", address: nil,
            phone: "+1 555", contacts: Self.awkward, owner: "Dana", due: nil,
            compliance: ["hipaa", "gdpr"], regions: [], awsProfile: nil,
            roleArn: "arn:aws:iam::111111111111:role/Audit", externalId: "x-1",
            parameters: [
                "min": .integer(14), "name": .string("Security \"OU\""),
                "strict": .boolean(true),
            ],
            templateId: "aws-account", templateVersion: "1.1.0",
            templateSha256: String(repeating: "b", count: 64), templateTitle: "AWS account",
            createdAt: "2026-03-02T09:00:00Z", createdBy: "dana",
            lastActivityAt: "2026-03-03T09:00:00Z")
        #expect(try roundTrip(customer) == customer)
        var bare = customer
        bare.parameters = [:]
        bare.contacts = []
        #expect(try roundTrip(bare) == bare)
    }

    @Test func evidenceSignoffsChecksAndEvents() throws {
        let evidence = EvidenceRecord(
            id: 9, customerId: 3, itemId: "root.mfa", kind: "file", text: nil,
            blobSha256: String(repeating: "c", count: 64), sha256: String(repeating: "c", count: 64),
            fileName: "mfa.png", mediaType: "image/png", size: 1234, addedBy: "dana",
            addedAt: "2026-03-02T09:00:00Z", expires: "2027-01-01", internal: true,
            checkId: nil, checkRegion: nil, checkOutcome: nil, verificationRunId: nil,
            retractedAt: nil, retractedBy: nil, retractedReason: nil)
        #expect(try roundTrip(evidence) == evidence)
        let signoff = SignoffRecord(
            id: 2, customerId: 3, target: "3", targetKind: "section", role: "Security Lead",
            signedBy: "Sam", signedAt: "2026-03-02T09:00:00Z", note: "ok", evidenceHash: "abc",
            revokedAt: "2026-03-03T09:00:00Z", revokedBy: "Sam", revokedReason: "redo")
        #expect(try roundTrip(signoff) == signoff)
        let check = CheckStateRecord(
            customerId: 3, itemId: "root.mfa", checkId: "iam_root_mfa_enabled", region: "",
            outcome: "pass", summary: "root MFA is on", verificationRunId: 4, evidenceId: 9,
            since: "2026-03-02T09:00:00Z", updatedAt: "2026-03-02T09:00:00Z")
        #expect(try roundTrip(check) == check)
        let event = AuditEventRecord(
            seq: 12, customer: nil, actor: "dana", at: "2026-03-02T09:00:00Z", action: "item.mark",
            target: "root.mfa", before: "{}", after: "{\"status\":\"done\"}", prevHash: "p", hash: "h")
        #expect(try roundTrip(event) == event)
    }

    @Test func plainListsMatchJSONSerialization() throws {
        for text in ["[\"a\"]", "[\"a\",\"b\"]", "[\"\"]", "[\"\",\"\"]", "[\"ünï ✓\",\"x y\"]"] {
            let expected = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String])
            #expect(RowJSON.plainStrings(text) == expected, "\(text)")
        }
        // Anything the fast path does not understand is left to JSONSerialization.
        for text in ["[\"a\\\"b\"]", "[ \"a\"]", "[\"a\",]", "[\"a\"", "[1]", "[\"a\" ,\"b\"]", "[,]", "{}"] {
            #expect(RowJSON.plainStrings(text) == nil, "\(text)")
        }
    }

    @Test func corruptColumnsAreErrorsNotTraps() throws {
        var columns: [String: (any DatabaseValueConvertible)?] = [
            "customer_id": 1, "item_id": "x", "ordinal": "not a number", "section": "1", "title": "t",
            "steps": "[\"a\"", "evidence_kinds": "[]", "signoff_roles": "[]", "checks": "[]", "depends": "[]",
            "status": "todo", "updated_at": "2026-03-02T09:00:00Z", "updated_by": "d",
        ]
        #expect(throws: (any Error).self) { try ItemRecord(row: Row(columns)) }
        columns["ordinal"] = 1
        #expect(throws: StoreError.self) { try ItemRecord(row: Row(columns)) }
        columns["steps"] = "[\"a\"]"
        #expect(try ItemRecord(row: Row(columns)).steps == ["a"])
        let missing: Row = ["customer_id": 1]
        #expect(throws: (any Error).self) { try SignoffRecord(row: missing) }
    }
}

/// The bounded reads behind the site and packets.
@Suite struct HistoryReadTests {
    @Test func recentEventsAndForcedItems() throws {
        let test = try TestStore.withAcme()
        let store = test.store
        try store.mark(
            customer: "acme", item: "root-vault", status: .done, reason: "checked by hand", force: true, by: "dana")
        try store.mark(
            customer: "acme", item: "order-form", status: .done, reason: "signed on paper", force: true, by: "dana")
        try store.mark(customer: "acme", item: "order-form", status: .inProgress, by: "dana")
        let all = try store.log(customer: "acme")
        let recent = try store.log(customer: "acme", limit: 2)
        #expect(recent == Array(all.suffix(2)))
        #expect(try store.log(customer: "acme", limit: 0).isEmpty)
        #expect(try store.log(customer: "acme", limit: 1_000) == all)
        // order-form's latest mark was not forced; root-vault's was.
        #expect(try store.forcedItems(customer: "acme") == ["root-vault"])
        #expect(throws: StoreError.self) { try store.forcedItems(customer: "nobody") }
        #expect(throws: StoreError.self) { try store.log(customer: "nobody", limit: 5) }
    }
}

/// Stored runs decode the same on the fast path as through Codable.
@Suite struct VerificationRunDecodingTests {
    static func run(account: String?, results: [CheckResultRecord]) -> VerificationRun {
        VerificationRun(
            account: account, regions: ["eu-west-1", "us-east-1"],
            startedAt: Date(timeIntervalSince1970: 1_772_442_000),
            finishedAt: Date(timeIntervalSince1970: 1_772_442_003),
            callsMade: 117, results: results)
    }

    @Test func storedRunsRoundTrip() throws {
        let results = [
            CheckResultRecord(
                checkId: "iam_root_mfa_enabled", title: "Root user has MFA", itemIds: ["root.mfa"],
                sections: ["3.1"], outcome: .pass, summary: "meets the criterion",
                calls: ["iam:GetAccountSummary"]),
            CheckResultRecord(
                checkId: "s3_bucket_encryption", itemIds: ["s3.encrypt", "s3.policy"], region: "eu-west-1",
                outcome: .fail, summary: "2 buckets \"unencrypted\"", resources: ["arn:aws:s3:::a", "ünï/✓"]),
            CheckResultRecord(
                checkId: "guardduty_enabled", itemIds: [], region: "us-east-1", outcome: .notApplicable,
                summary: ""),
        ]
        for run in [
            Self.run(account: "111111111111", results: results), Self.run(account: nil, results: []),
            Self.run(account: nil, results: results),
        ] {
            let stored = Data(CanonicalJSON.encode(run).utf8)
            #expect(VerificationRun.decodeStored(stored) == run)
        }
    }

    @Test func unexpectedShapesFallBackOrFail() throws {
        let run = Self.run(
            account: "1", results: [CheckResultRecord(checkId: "c", itemIds: ["i"], outcome: .pass, summary: "s")])
        // Fractional seconds are not the stored form: the Codable path decides.
        let fractional = Data(CanonicalJSON.encode(run).replacingOccurrences(of: ":00Z", with: ":00.5Z").utf8)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        #expect(
            VerificationRun.decodeStored(fractional) == (try? decoder.decode(VerificationRun.self, from: fractional)))
        // Unknown outcome, missing fields, not JSON: no run.
        for text in [
            CanonicalJSON.encode(run).replacingOccurrences(of: "\"pass\"", with: "\"maybe\""),
            "{\"regions\":[]}", "not json", "[]",
        ] {
            #expect(VerificationRun.decodeStored(Data(text.utf8)) == nil, "\(text)")
        }
        // Extra keys (a newer writer) are ignored by both paths.
        let extra = CanonicalJSON.encode(run).replacingOccurrences(
            of: "{\"account\"", with: "{\"zz_new\":1,\"account\"")
        #expect(VerificationRun.decodeStored(Data(extra.utf8)) == run)
    }
}
