import SOPCore

/// When a sign-off still stands: what its hash covers, and valid, stale, revoked or missing.
///
/// A sign-off pins one SHA-256 over the evidence it saw and over what its items
/// required at the time. Anything that changes either (new, retracted or edited
/// evidence, a changed check outcome, an upgrade that changes the requirements) gives
/// a different hash, and the sign-off is stale until it is given again. Pure, so the
/// rule is tested without a database and does not depend on how rows are stored.
enum SignoffStaleness {
    /// A piece of evidence, as the hash counts it.
    struct Evidence: Sendable, Equatable {
        var item: String
        var number: Int64
        var kind: String
        var sha256: String
        var retracted: Bool
    }

    /// The latest result of one check on one item (region "" for global checks).
    struct CheckResult: Sendable, Equatable {
        var item: String
        var check: String
        var region: String
        var outcome: String
    }

    /// What an item requires to be complete.
    struct Requirements: Sendable, Equatable {
        var item: String
        var evidenceKinds: [String]
        var signoffRoles: [String]
        var checks: [String]
        var condition: String?
    }

    /// The hash a sign-off of these items pins, and compares with later.
    ///
    /// Manual evidence counts by id and content hash; retracted evidence drops out (so
    /// retracting makes a sign-off stale), and stored check results are left to
    /// `checks`, which count by outcome only, so re-running verification with the same
    /// results keeps a sign-off valid. Lines are sorted: row order does not matter.
    static func hash(evidence: [Evidence], checks: [CheckResult], requirements: [Requirements]) -> String {
        var lines: [String] = []
        for row in evidence where !row.retracted && row.kind != "check" {
            lines.append("\(row.item) E\(row.number) \(row.sha256)")
        }
        for row in checks {
            lines.append("\(row.item) check \(row.check)@\(row.region) \(row.outcome)")
        }
        for item in requirements {
            lines.append(
                "\(item.item) requires \(item.evidenceKinds.sorted().joined(separator: ","))|"
                    + "\(item.signoffRoles.sorted().joined(separator: ","))|\(item.checks.sorted().joined(separator: ","))|"
                    + "\(item.condition ?? "")")
        }
        return Hashing.sha256(lines.sorted().joined(separator: "\n"))
    }

    /// A role's latest sign-off on a target, as far as its state is concerned.
    struct Given: Sendable, Equatable {
        var evidenceHash: String
        var revoked: Bool
    }

    /// The state of a required role whose latest sign-off is `latest` (nil: never given),
    /// against the hash of the target's evidence and requirements now. `standing` says whether
    /// the work signed off is still in a state one can sign off (``canBeSignedOff(item:)``,
    /// ``canBeSignedOff(section:)``): a target reopened since is stale, whatever its evidence.
    static func state(latest: Given?, currentHash: String, standing: Bool = true) -> SignoffState {
        guard let latest else { return .missing }
        if latest.revoked { return .revoked }
        return latest.evidenceHash == currentHash && standing ? .valid : .stale
    }

    /// An item can be signed off while it is in progress or done: a sign-off approves work
    /// that was done, not work still to do, blocked or failing.
    static func canBeSignedOff(item status: ItemStatus) -> Bool {
        status == .inProgress || status == .done
    }

    /// A section can be signed off when every item in it (subsections included) is done or not
    /// applicable; the items that are not are what the refusal names.
    static func openItems(section statuses: [(id: String, status: ItemStatus)]) -> [String] {
        statuses.filter { !$0.status.isSettled }.map { "\($0.id) \($0.status.rawValue)" }
    }
}
