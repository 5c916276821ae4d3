import Foundation
import SOPCore
import TestSupport

@testable import SOPStore

/// A small template built by hand: sections with sign-offs, manual and automated items,
/// a HIPAA-only item, dependencies.
func sampleTemplate(version: String = "1.0.0", sha: String = String(repeating: "a", count: 64)) -> Template {
    let sections = [
        Section(number: "1", title: "Preparation", level: 2, position: .start),
        Section(number: "1.1", title: "Gather information", level: 3, position: .start),
        Section(number: "3", title: "Secure the root user", level: 2, signoff: ["Security Lead"], position: .start),
        Section(number: "3.1", title: "Root MFA", level: 3, position: .start),
        Section(number: "5", title: "Identity", level: 2, position: .start),
    ]
    let items = [
        Item(id: "root-email", section: "1.1", title: "Obtain the root email", evidence: [.note]),
        Item(
            id: "order-form", section: "1.1", title: "Signed order form", evidence: [.file],
            signoff: ["Project Manager"]),
        Item(
            id: "hipaa-baa", section: "1.1", title: "Sign the BAA", evidence: [.file],
            when: .has(attribute: "compliance", value: "hipaa")),
        Item(
            id: "root-mfa", section: "3.1", title: "Enable root MFA", evidence: [.check],
            checks: ["iam_root_mfa_enabled"], depends: ["root-email"]),
        Item(
            id: "root-vault", section: "3.1", title: "Store root credentials", evidence: [.note, .check],
            checks: ["iam_root_access_keys_absent"]),
        Item(
            id: "password-policy", section: "5", title: "Password policy", evidence: [.check],
            checks: ["iam_password_policy_strong"]),
    ]
    return Template(
        id: "aws-account", version: SemanticVersion(version) ?? SemanticVersion(1, 0, 0), title: "AWS account",
        roles: ["Project Manager", "Security Lead"], releaseNotes: nil,
        parameters: [Parameter(name: "password_min_length", defaultValue: .integer(14))],
        sections: sections, items: items, path: "sample.md", sha256: sha, body: "")
}

/// A store on a fresh tracker with a fixed clock: a temporary file, or under
/// `SOP_TEST_ENGINE=postgresql` a fresh database (see ``TestEngine``).
final class TestStore: @unchecked Sendable {
    let directory = TemporaryDirectory("sop-store")
    let store: Store
    var path: String { store.path }
    /// The tracker as given to the store: a file path or a connection string (with its password).
    let trackerLocation: String

    /// `postgreSQL: true` puts the tracker on the test server whatever the engine of the run.
    init(
        now: String = "2026-03-02T09:00:00Z", maxEvidenceBytes: Int = Store.defaultMaxEvidenceBytes,
        postgreSQL: Bool = TestEngine.isPostgreSQL
    ) throws {
        let date = Timestamps.parseInstant(now) ?? Date()
        let tracker = try TestEngine.freshTracker(file: directory.path("sop.sqlite"), postgreSQL: postgreSQL)
        trackerLocation = tracker
        switch TrackerLocation(tracker) {
        case .server(let connection):
            store = try Store.open(server: connection, now: { date }, maxEvidenceBytes: maxEvidenceBytes)
        case .file(let path):
            store = try Store.open(path: path, now: { date }, maxEvidenceBytes: maxEvidenceBytes)
        }
    }

    /// A store with customer `acme` already created.
    static func withAcme(compliance: [String] = [], postgreSQL: Bool = TestEngine.isPostgreSQL) throws -> TestStore {
        let test = try TestStore(postgreSQL: postgreSQL)
        try test.store.createCustomer(
            NewCustomer(
                slug: "acme", name: "Acme Corp", email: "root@acme.example",
                compliance: compliance, regions: ["eu-west-1"]),
            template: sampleTemplate(), by: "dana")
        return test
    }
}
