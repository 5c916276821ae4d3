import Foundation
import GRDB
import SOPCore

extension Store {
    /// Records a verification run for a customer, in one transaction with one audit event.
    ///
    /// Each result becomes `check` evidence on each of its items (content: canonical
    /// JSON, hashed). Fully automated items (whose only evidence kind is `check`) move to
    /// `done` when every check they list has passed and to `failed` on any failure;
    /// items with manual evidence keep their status and show the outcome. Returns the
    /// changes since the previous recorded outcomes of the same checks.
    @discardableResult
    public func recordCheckResults(customer slug: String, run: VerificationRun, by actor: String) throws -> RecordedVerification {
        try write { db in
            let customer = try customerRecord(db, slug)
            guard let customerID = customer.id else { throw StoreError(.integrity, "customer row has no id") }
            let now = nowString
            let content = CanonicalJSON.encode(run)
            var runRecord = VerificationRunRecord(
                id: nil, customerId: customerID, startedAt: Timestamps.string(run.startedAt),
                finishedAt: Timestamps.string(run.finishedAt), recordedAt: now, recordedBy: actor, account: run.account,
                passed: run.count(.pass), failed: run.count(.fail), errors: run.count(.error),
                notApplicable: run.count(.notApplicable), content: content, sha256: Hashing.sha256(content))
            try runRecord.insert(db)
            guard let runID = runRecord.id else { throw StoreError(.integrity, "verification run has no id") }

            let items = try ItemRecord.filter(ItemRecord.Columns.customerId == customerID
                && ItemRecord.Columns.archivedAt == nil).fetchAll(db)
            var itemsByID: [String: ItemRecord] = [:]
            for item in items { itemsByID[item.itemId] = item }
            var states: [String: CheckStateRecord] = [:]
            for state in try CheckStateRecord.filter(CheckStateRecord.Columns.customerId == customerID).fetchAll(db) {
                states["\(state.itemId) \(state.checkId)@\(state.region)"] = state
            }
            // Baseline: the previous outcome of each check@region, from the stored state.
            var earlier: [String: CheckOutcome] = [:]
            for state in states.values {
                let key = "\(state.checkId)@\(state.region.isEmpty ? "global" : state.region)"
                if let outcome = CheckOutcome(rawValue: state.outcome), earlier[key] != .fail { earlier[key] = outcome }
            }
            let changes = VerificationChanges.between(earlier: earlier, now: run.results)

            var unknown: Set<String> = []
            var evidenceRefs: [String] = []
            var touched: Set<String> = []
            for result in run.results {
                let resultJSON = CanonicalJSON.encode(CheckEvidence(account: run.account, run: "V\(runID)",
                                                                    checkedAt: Timestamps.string(run.finishedAt), result: result))
                for itemID in Set(result.itemIds).sorted() {
                    guard itemsByID[itemID] != nil else { unknown.insert(itemID); continue }
                    var evidence = EvidenceRecord(
                        id: nil, customerId: customerID, itemId: itemID, kind: EvidenceKind.check.rawValue,
                        text: resultJSON, blobSha256: nil, sha256: Hashing.sha256(resultJSON), fileName: nil,
                        mediaType: "application/json", size: resultJSON.utf8.count, addedBy: actor, addedAt: now,
                        expires: nil, internal: false, checkId: result.checkId, checkRegion: result.region,
                        checkOutcome: result.outcome.rawValue, verificationRunId: runID, retractedAt: nil,
                        retractedBy: nil, retractedReason: nil)
                    try evidence.insert(db)
                    guard let evidenceID = evidence.id else { continue }
                    evidenceRefs.append("E\(evidenceID):\(evidence.sha256)")
                    let region = result.region ?? ""
                    let key = "\(itemID) \(result.checkId)@\(region)"
                    let previous = states[key]
                    let state = CheckStateRecord(
                        customerId: customerID, itemId: itemID, checkId: result.checkId, region: region,
                        outcome: result.outcome.rawValue, summary: result.summary, verificationRunId: runID,
                        evidenceId: evidenceID,
                        since: previous?.outcome == result.outcome.rawValue ? (previous?.since ?? now) : now,
                        updatedAt: now)
                    try state.save(db)
                    states[key] = state
                    touched.insert(itemID)
                }
            }

            // Move fully automated items by the latest outcome of every check they list.
            var transitions: [String: ItemStatus] = [:]
            for itemID in touched.sorted() {
                guard var item = itemsByID[itemID], item.evidenceKinds == [EvidenceKind.check.rawValue],
                      let current = ItemStatus(rawValue: item.status), current != .notApplicable
                else { continue }
                let itemStates = states.values.filter { $0.itemId == itemID }
                let outcomes = itemStates.compactMap { CheckOutcome(rawValue: $0.outcome) }
                var target: ItemStatus?
                if outcomes.contains(.fail) {
                    target = .failed
                } else {
                    let checked = Set(itemStates.filter { $0.outcome == CheckOutcome.pass.rawValue
                        || $0.outcome == CheckOutcome.notApplicable.rawValue }.map(\.checkId))
                    let required = item.checks.isEmpty ? Set(itemStates.map(\.checkId)) : Set(item.checks)
                    if !outcomes.contains(.error), outcomes.contains(.pass), required.isSubset(of: checked) {
                        target = .done
                    }
                }
                if let target, target != current {
                    item.status = target.rawValue
                    item.statusReason = target == .failed ? "verification failed" : "verified"
                    item.updatedAt = now
                    item.updatedBy = actor
                    try item.update(db)
                    transitions[itemID] = target
                }
            }

            let after = CanonicalJSON.encode(VerificationAuditSummary(
                run: "V\(runID)", sha256: runRecord.sha256, account: run.account, passed: runRecord.passed,
                failed: runRecord.failed, errors: runRecord.errors, notApplicable: runRecord.notApplicable,
                evidence: evidenceRefs, transitions: transitions.mapValues(\.rawValue)))
            try audit(db, customer: slug, actor: actor, action: "verification.record", target: "V\(runID)", after: after)
            let stored = StoredVerificationRun(runRecord, run: run)
            return RecordedVerification(run: stored, changes: changes, itemTransitions: transitions,
                                        unknownItems: unknown.sorted())
        }
    }

    /// What `sop verify` needs before its first AWS call: the customer (AWS settings, regions,
    /// template pin, parameters) and the ids of the checklist items that apply to them. Two
    /// small queries, unlike ``customerReport(slug:)``, which reads every evidence row and
    /// every earlier run.
    public func verificationSubject(customer slug: String) throws -> VerificationSubject {
        try read { db in
            let customer = try customerRecord(db, slug)
            let applicable = try String.fetchAll(db, sql: """
                SELECT item_id FROM item WHERE customer_id = ? AND archived_at IS NULL AND status <> ?
                """, arguments: [customer.id, ItemStatus.notApplicable.rawValue])
            return VerificationSubject(customer: CustomerInfo(customer), applicableItems: Set(applicable))
        }
    }

    /// The most recent run recorded for a customer, or nil before the first.
    public func lastVerification(customer slug: String) throws -> StoredVerificationRun? {
        try verificationRuns(customer: slug, limit: 1).first
    }

    /// Every recorded run of a customer, newest first.
    public func verificationHistory(customer slug: String) throws -> [StoredVerificationRun] {
        try verificationRuns(customer: slug, limit: nil)
    }

    private func verificationRuns(customer slug: String, limit: Int?) throws -> [StoredVerificationRun] {
        try read { db in
            let customer = try customerRecord(db, slug)
            return try Self.verificationRuns(db, customerID: customer.id ?? 0, limit: limit)
        }
    }

    static func verificationRuns(_ db: Database, customerID: Int64, limit: Int?) throws -> [StoredVerificationRun] {
        var request = VerificationRunRecord.filter(VerificationRunRecord.Columns.customerId == customerID)
            .order(VerificationRunRecord.Columns.id.desc)
        if let limit { request = request.limit(limit) }
        return try request.fetchAll(db).compactMap { record in
            guard let run = VerificationRun.decodeStored(Data(record.content.utf8)) else { return nil }
            return StoredVerificationRun(record, run: run)
        }
    }
}

extension StoredVerificationRun {
    init(_ record: VerificationRunRecord, run: VerificationRun) {
        self.init(id: "V\(record.id ?? 0)", recordedAt: record.recordedAt, recordedBy: record.recordedBy,
                  passed: record.passed, failed: record.failed, errors: record.errors,
                  notApplicable: record.notApplicable, sha256: record.sha256, run: run)
    }
}

/// A customer as `sop verify` sees it before verifying.
public struct VerificationSubject: Sendable, Equatable {
    public var customer: CustomerInfo
    /// Ids of the customer's current checklist items that are not `n/a`.
    public var applicableItems: Set<String>
}

/// The content of one `check` evidence row.
private struct CheckEvidence: Encodable {
    var account: String?
    var run: String
    var checkedAt: String
    var result: CheckResultRecord
}

private struct VerificationAuditSummary: Encodable {
    var run: String
    var sha256: String
    var account: String?
    var passed: Int
    var failed: Int
    var errors: Int
    var notApplicable: Int
    var evidence: [String]
    var transitions: [String: String]
}
