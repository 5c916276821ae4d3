import SOPCore

/// Whether an item may be marked done, what stands in the way, and what an override permits.
///
/// Pure: the store gathers the facts (the item's evidence, its check results, the status
/// of each `depends` item) and these functions decide, so the rule is tested without a
/// database and is the same for every front end and storage engine.
enum DoneGate {
    /// One piece of evidence, as far as counting it is concerned.
    struct Evidence: Sendable, Equatable {
        var kind: String
        var retracted: Bool
        /// The last day (YYYY-MM-DD) it counts; nil for no end.
        var expires: String?
    }

    /// What a request to move an item is missing before any row is read, so that bad
    /// input is refused with nothing changed. A reason is needed to block an item, to
    /// call it not applicable, and to override the gate; `failed` belongs to verification.
    static func requestProblem(item: String, status: ItemStatus, reason: String?, force: Bool) -> StoreError? {
        if status == .failed { return .badInput("'failed' is set by 'sop verify', not by hand") }
        if (status == .blocked || status == .notApplicable) && reason == nil {
            return .problem(.reasonRequired(.mark(item: item, status: status)))
        }
        if force && reason == nil { return .problem(.reasonRequired(.override)) }
        return nil
    }

    /// Required evidence kinds without current evidence, in the order required.
    ///
    /// Retracted evidence and evidence past its expiry day do not count. `check` is
    /// satisfied by automated results only: at least one, none failing, one passing.
    static func missingEvidence(
        required: [String], evidence: [Evidence], checkOutcomes: [String],
        today: String
    ) -> [String] {
        var missing: [String] = []
        for kind in required {
            if kind == EvidenceKind.check.rawValue {
                if checkOutcomes.isEmpty {
                    missing.append("check (run 'sop verify')")
                } else if checkOutcomes.contains(CheckOutcome.fail.rawValue) {
                    missing.append("check (failing)")
                } else if !checkOutcomes.contains(CheckOutcome.pass.rawValue) {
                    missing.append("check (no passing result)")
                }
                continue
            }
            let present = evidence.contains {
                $0.kind == kind && !$0.retracted && ($0.expires.map { $0 >= today } ?? true)
            }
            if !present { missing.append(kind) }
        }
        return missing
    }

    /// The `depends` items that are not settled (done or not applicable), in the order listed.
    ///
    /// `statuses` holds the status of every depended-on item the customer has; an id it
    /// lacks counts as not done, so a dependency on an unknown item cannot be skipped.
    static func openDependencies(_ depends: [String], statuses: [String: String]) -> [String] {
        depends.filter { id in !(statuses[id].flatMap(ItemStatus.init(rawValue:))?.isSettled ?? false) }
    }

    /// Everything missing, worded as the refusal and the audit event's `forced_over` state it.
    static func blockers(missingEvidence: [String], openDependencies: [String]) -> [String] {
        var blockers: [String] = []
        if !missingEvidence.isEmpty { blockers.append("evidence (\(missingEvidence.joined(separator: ", ")))") }
        if !openDependencies.isEmpty {
            blockers.append("depends on \(openDependencies.joined(separator: ", ")) (not done)")
        }
        return blockers
    }

    /// What happens to a request to move an item to `status`.
    enum Verdict: Sendable, Equatable {
        /// Nothing stands in the way.
        case allowed
        /// Done although `over` is missing: permitted by an override, and recorded as such.
        case forced(over: [String])
        /// Refused: `missing` stands in the way and there is no override.
        case refused(missing: [String])
    }

    /// Only `done` is gated. An override (which `requestProblem` makes come with a reason)
    /// lets an item be done with something missing; with nothing missing it changes nothing.
    static func verdict(status: ItemStatus, blockers: [String], force: Bool) -> Verdict {
        guard status == .done, !blockers.isEmpty else { return .allowed }
        return force ? .forced(over: blockers) : .refused(missing: blockers)
    }
}
