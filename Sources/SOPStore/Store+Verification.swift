import Foundation
import SOPCore
import SOPJSON

extension Store {
    /// Records a verification run for a customer, in one transaction with one audit event.
    ///
    /// Each result becomes `check` evidence on each of its items (content: canonical
    /// JSON, hashed). Fully automated items (whose only evidence kind is `check`) move to
    /// `done` when every check they list has passed and to `failed` on any failure;
    /// items with manual evidence keep their status and show the outcome. Returns the
    /// changes since the previous recorded outcomes of the same checks.
    @discardableResult
    public func recordCheckResults(customer slug: String, run: VerificationRun, by actor: String) throws
        -> RecordedVerification
    {
        try write { db in
            let customer = try customerRecord(db, slug)
            guard let customerID = customer.id else { throw StoreError(.integrity, "customer row has no id") }
            let now = nowString
            let content = CheckEvidenceJSON.encode(run)
            var runRecord = VerificationRunRecord(
                id: nil, customerId: customerID, startedAt: Timestamps.string(run.startedAt),
                finishedAt: Timestamps.string(run.finishedAt), recordedAt: now, recordedBy: actor, account: run.account,
                passed: run.count(.pass), failed: run.count(.fail), errors: run.count(.error),
                notApplicable: run.count(.notApplicable), content: content, sha256: Hashing.sha256(content))
            try db.insert(&runRecord)
            guard let runID = runRecord.id else { throw StoreError(.integrity, "a verification run has no id") }

            let items = try db.records(
                ItemRecord.self, "SELECT * FROM item WHERE customer_id = ? AND archived_at IS NULL",
                [.integer(customerID)])
            var itemsByID: [String: ItemRecord] = [:]
            for item in items { itemsByID[item.itemId] = item }
            var states: [String: CheckStateRecord] = [:]
            for state in try db.records(
                CheckStateRecord.self, "SELECT * FROM check_state WHERE customer_id = ?", [.integer(customerID)])
            {
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
            // One prepared statement each, reused for every row (the run writes hundreds).
            let insertEvidence = CheckEvidenceRows.insertEvidence(db)
            let upsertState = """
                INSERT INTO check_state (customer_id, item_id, check_id, region, outcome, summary, verification_run_id,
                    evidence_id, since, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (customer_id, item_id, check_id, region) DO UPDATE SET
                    outcome = excluded.outcome, summary = excluded.summary,
                    verification_run_id = excluded.verification_run_id, evidence_id = excluded.evidence_id,
                    since = excluded.since, updated_at = excluded.updated_at
                """
            let checkedAt = Timestamps.string(run.finishedAt)
            for result in run.results {
                let resultJSON = CheckEvidenceJSON.encode(
                    account: run.account, run: "V\(runID)", checkedAt: checkedAt,
                    result: result)
                let resultHash = Hashing.sha256(resultJSON)
                let region = result.region ?? ""
                for itemID in Set(result.itemIds).sorted() {
                    guard itemsByID[itemID] != nil else {
                        unknown.insert(itemID)
                        continue
                    }
                    let evidenceID = try db.integer(
                        insertEvidence,
                        [
                            .integer(customerID), .text(itemID), .text(EvidenceKind.check.rawValue), .text(resultJSON),
                            .text(resultHash), .text("application/json"), SQLValue(resultJSON.utf8.count), .text(actor),
                            .text(now), .text(result.checkId), SQLValue(result.region), .text(result.outcome.rawValue),
                            .integer(runID),
                        ])
                    evidenceRefs.append("E\(evidenceID):\(resultHash)")
                    let key = "\(itemID) \(result.checkId)@\(region)"
                    let previous = states[key]
                    let state = CheckStateRecord(
                        customerId: customerID, itemId: itemID, checkId: result.checkId, region: region,
                        outcome: result.outcome.rawValue, summary: result.summary, verificationRunId: runID,
                        evidenceId: evidenceID,
                        since: previous?.outcome == result.outcome.rawValue ? (previous?.since ?? now) : now,
                        updatedAt: now)
                    try db.execute(
                        upsertState,
                        [
                            .integer(state.customerId), .text(state.itemId), .text(state.checkId), .text(state.region),
                            .text(state.outcome), .text(state.summary), .integer(state.verificationRunId),
                            .integer(state.evidenceId), .text(state.since), .text(state.updatedAt),
                        ])
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
                    let checked = Set(
                        itemStates.filter {
                            $0.outcome == CheckOutcome.pass.rawValue
                                || $0.outcome == CheckOutcome.notApplicable.rawValue
                        }.map(\.checkId))
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
                    try db.update(item)
                    transitions[itemID] = target
                }
            }

            let after = CheckEvidenceJSON.encode(
                VerificationAuditSummary(
                    run: "V\(runID)", sha256: runRecord.sha256, account: run.account, passed: runRecord.passed,
                    failed: runRecord.failed, errors: runRecord.errors, notApplicable: runRecord.notApplicable,
                    evidence: evidenceRefs, transitions: transitions.mapValues(\.rawValue)))
            try audit(
                db, customer: slug, actor: actor, action: "verification.record", target: "V\(runID)", after: after)
            let stored = StoredVerificationRun(runRecord, run: run)
            return RecordedVerification(
                run: stored, changes: changes, itemTransitions: transitions,
                unknownItems: unknown.sorted())
        }
    }

    /// What `sop verify` needs before its first AWS call: the customer (AWS settings, regions,
    /// template pin, parameters) and their checklist (each current item's section, checks and
    /// whether it applies). Two small queries, unlike ``customerReport(slug:)``, which reads
    /// every evidence row and every earlier run.
    public func verificationSubject(customer slug: String) throws -> VerificationSubject {
        try read { db in
            let customer = try customerRecord(db, slug)
            let rows = try db.rows(
                """
                SELECT item_id, section, checks, status FROM item
                WHERE customer_id = ? AND archived_at IS NULL ORDER BY ordinal
                """, [SQLValue(customer.id)])
            var items: [VerificationSubject.Item] = []
            items.reserveCapacity(rows.count)
            let decoder = JSONDecoder()
            for row in rows {
                guard let checks = try? decoder.decode([String].self, from: Data(row.string("checks").utf8)) else {
                    throw StoreError(.integrity, "item \(row.string("item_id")) of \(slug) has unreadable checks")
                }
                let status = row.string("status")
                items.append(
                    VerificationSubject.Item(
                        id: row.string("item_id"), section: row.string("section"), checks: checks,
                        applies: status != ItemStatus.notApplicable.rawValue))
            }
            return VerificationSubject(customer: CustomerInfo(customer), items: items)
        }
    }

    /// Copies what the write-ahead log holds into the database file (a PASSIVE checkpoint: it
    /// never waits for other processes); errors are ignored.
    ///
    /// Why: the pool closes its writer before its read-only readers, and a read-only last
    /// connection cannot remove the log, so the log outlives every process. Each later open
    /// rebuilds its index from every frame still in it, and each commit past 1,000 frames
    /// copies all of them again (2,500 frames after a few dozen verifications: tens of
    /// milliseconds per run). Once a checkpoint has copied everything, the next write in the
    /// same process starts the log over, so the log only ever holds the last run's pages.
    /// `sop verify` calls this on its own thread while its first AWS calls are on the wire.
    public func checkpointWriteAheadLog() {
        _ = try? pool?.writeWithoutTransaction { db in try db.checkpoint(.passive) }
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

    static func verificationRuns(_ source: some RecordReading, customerID: Int64, limit: Int?) throws
        -> [StoredVerificationRun]
    {
        let sql = "SELECT * FROM verification_run WHERE customer_id = ? ORDER BY id DESC"
        let records =
            try limit.map {
                try source.records(
                    VerificationRunRecord.self, sql + " LIMIT ?", [.integer(customerID), .integer(Int64($0))])
            } ?? source.records(VerificationRunRecord.self, sql, [.integer(customerID)])
        return storedRuns(records)
    }

    /// The runs whose stored content decodes, in the order given.
    static func storedRuns(_ records: [VerificationRunRecord]) -> [StoredVerificationRun] {
        records.compactMap { record in
            guard let run = VerificationRun.decodeStored(Data(record.content.utf8)) else { return nil }
            return StoredVerificationRun(record, run: run)
        }
    }
}

/// The statements a run repeats for every result.
enum CheckEvidenceRows {
    /// Inserts one `check` evidence row and returns its id; on PostgreSQL the id is the next
    /// after the largest, as ``StoreSession/insert(_:)-swift.method`` numbers rows.
    static func insertEvidence(_ db: StoreSession) -> String {
        let id = db.isPostgres ? "(SELECT COALESCE(max(id), 0) + 1 FROM evidence), " : ""
        return """
            INSERT INTO evidence (\(db.isPostgres ? "id, " : "")customer_id, item_id, kind, text, blob_sha256, sha256,
                file_name, media_type, size, added_by, added_at, expires, internal, check_id, check_region,
                check_outcome, verification_run_id, retracted_at, retracted_by, retracted_reason)
            VALUES (\(id)?, ?, ?, ?, NULL, ?, NULL, ?, ?, ?, ?, NULL, FALSE, ?, ?, ?, ?, NULL, NULL, NULL)
            RETURNING id
            """
    }
}

extension StoredVerificationRun {
    init(_ record: VerificationRunRecord, run: VerificationRun) {
        self.init(
            id: "V\(record.id ?? 0)", recordedAt: record.recordedAt, recordedBy: record.recordedBy,
            passed: record.passed, failed: record.failed, errors: record.errors,
            notApplicable: record.notApplicable, sha256: record.sha256, run: run)
    }
}

/// A customer as `sop verify` sees it before verifying: their settings and checklist.
public struct VerificationSubject: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public var id: String
        /// The SOP section number (`"5.2"`).
        public var section: String
        /// The automated checks the item names.
        public var checks: [String]
        /// False when the item is `n/a` for this customer.
        public var applies: Bool
    }

    public var customer: CustomerInfo
    /// The customer's current (not archived) checklist items, in template order.
    public var items: [Item]

    /// Ids of the items that apply to the customer.
    public var applicableItems: Set<String> { Set(items.filter(\.applies).map(\.id)) }
}

/// The canonical JSON of check evidence, of a recorded run and of its audit summary.
///
/// Written member by member through `CanonicalJSONWriter` rather than through
/// `CanonicalJSONValue(encoding:)`: a run writes one evidence document per result, hundreds per
/// run, and the Codable path costs about five times more. The members are the snake_case names
/// and the omitted nils of the types' synthesized `Encodable` (``CheckEvidence``,
/// ``CheckResultRecord``, ``VerificationRun``, ``VerificationAuditSummary``), in canonical
/// order; `CanonicalHashKnownAnswerTests` holds both paths to the same frozen bytes.
enum CheckEvidenceJSON {
    static func encode(account: String?, run: String, checkedAt: String, result: CheckResultRecord) -> String {
        var writer = CanonicalJSONWriter(capacity: 512)
        writer.object { object in
            if let account { object.member("account") { $0.string(account) } }
            object.member("checked_at") { $0.string(checkedAt) }
            object.member("result") { write(result, to: &$0) }
            object.member("run") { $0.string(run) }
        }
        return writer.text
    }

    /// Once per run: the transitions' keys are item ids, so the tree sorts them.
    static func encode(_ summary: VerificationAuditSummary) -> String {
        var members: [String: CanonicalJSONValue] = [
            "errors": .int(summary.errors), "evidence": .strings(summary.evidence), "failed": .int(summary.failed),
            "not_applicable": .int(summary.notApplicable), "passed": .int(summary.passed), "run": .string(summary.run),
            "sha256": .string(summary.sha256),
            "transitions": .object(summary.transitions.mapValues(CanonicalJSONValue.string)),
        ]
        if let account = summary.account { members["account"] = .string(account) }
        return CanonicalJSONValue.object(members).text
    }

    static func encode(_ run: VerificationRun) -> String {
        var writer = CanonicalJSONWriter(capacity: 512 * (run.results.count + 1))
        writer.object { object in
            if let account = run.account { object.member("account") { $0.string(account) } }
            object.member("calls_made") { $0.int(run.callsMade) }
            object.member("finished_at") { $0.value(.date(run.finishedAt)) }
            object.member("regions") { $0.strings(run.regions) }
            object.member("results") { $0.array(run.results) { writer, result in write(result, to: &writer) } }
            object.member("started_at") { $0.value(.date(run.startedAt)) }
        }
        return writer.text
    }

    private static func write(_ result: CheckResultRecord, to writer: inout CanonicalJSONWriter) {
        writer.object { object in
            object.member("calls") { $0.strings(result.calls) }
            object.member("check_id") { $0.string(result.checkId) }
            object.member("item_ids") { $0.strings(result.itemIds) }
            if let observed = result.observed {
                object.member("observed") { writer in
                    writer.object { values in
                        for key in observed.keys.sorted() { values.member(key) { $0.string(observed[key] ?? "") } }
                    }
                }
            }
            object.member("outcome") { $0.string(result.outcome.rawValue) }
            if let region = result.region { object.member("region") { $0.string(region) } }
            object.member("resources") { $0.strings(result.resources) }
            object.member("sections") { $0.strings(result.sections) }
            object.member("summary") { $0.string(result.summary) }
            if let title = result.title { object.member("title") { $0.string(title) } }
        }
    }
}

/// The content of one `check` evidence row.
struct CheckEvidence: Encodable {
    var account: String?
    var run: String
    var checkedAt: String
    var result: CheckResultRecord
}

struct VerificationAuditSummary: Encodable {
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
