import Foundation
import GRDB
import SOPCore

/// The result of `sop audit verify`.
public struct AuditReport: Sendable, Codable, Equatable {
    public var events: Int
    public var blobs: Int
    public var evidence: Int
    /// One line per problem, naming the row: `event 42: content changed`.
    public var problems: [String]

    public var isIntact: Bool { problems.isEmpty }
}

extension Store {
    /// Recomputes the audit chain and every stored hash, and cross-checks tracked rows
    /// against the events that created them.
    ///
    /// Detects events changed (hash mismatch), deleted (a gap in `seq`, or fewer events
    /// than the chain head records — so deleting the newest event is caught too) and
    /// inserted (beyond the head, or not chained to its predecessor); blobs, evidence
    /// and verification runs whose content no longer matches their SHA-256; evidence and
    /// sign-offs that no event created, or that an event created but are gone; item
    /// statuses that differ from what the trail says they were set to.
    public func verifyAudit() throws -> AuditReport {
        try read { db in
            var problems: [String] = []
            let head = try ChainHeadRecord.fetchOne(db, key: 1)
            if head == nil { problems.append("chain head: missing") }
            let headCount = head?.count ?? 0

            var expected: Int64 = 1
            var previousHash = Hashing.zero
            var lastHash = Hashing.zero
            var lastSeq: Int64 = 0
            var events = 0
            var evidenceInTrail: [Int64: String] = [:]
            var signoffsInTrail: Set<Int64> = []
            var statuses = ItemStatusReplay()
            let cursor = try AuditEventRecord.order(AuditEventRecord.Columns.seq).fetchCursor(db)
            while let event = try cursor.next() {
                events += 1
                if event.seq > headCount {
                    problems.append("event \(event.seq): inserted (the chain head ends at event \(headCount))")
                    continue
                }
                var gap = false
                if event.seq != expected {
                    gap = true
                    problems.append(
                        expected == event.seq - 1
                            ? "event \(expected): deleted"
                            : "events \(expected)-\(event.seq - 1): deleted")
                }
                if !gap && event.prevHash != previousHash {
                    problems.append("event \(event.seq): not chained to event \(event.seq - 1) (inserted or reordered)")
                }
                if AuditChain.hash(of: event, prevHash: event.prevHash) != event.hash {
                    problems.append("event \(event.seq): content changed")
                }
                Self.collectReferences(event, evidence: &evidenceInTrail, signoffs: &signoffsInTrail)
                statuses.apply(event)
                previousHash = event.hash
                lastHash = event.hash
                lastSeq = event.seq
                expected = event.seq + 1
            }
            if lastSeq < headCount {
                problems.append(
                    lastSeq + 1 == headCount
                        ? "event \(headCount): deleted (the chain head records \(headCount) events)"
                        : "events \(lastSeq + 1)-\(headCount): deleted (the chain head records \(headCount) events)")
            } else if let head, headCount > 0, lastHash != head.lastHash {
                problems.append("chain head: last hash does not match event \(headCount)")
            }

            var blobs = 0
            let blobCursor = try BlobRecord.fetchCursor(db)
            while let blob = try blobCursor.next() {
                blobs += 1
                if Hashing.sha256(blob.bytes) != blob.sha256 || blob.bytes.count != blob.size {
                    problems.append("blob \(blob.sha256.prefix(12)): content changed")
                }
            }

            var evidenceCount = 0
            let evidenceCursor = try EvidenceRecord.order(EvidenceRecord.Columns.id).fetchCursor(db)
            var seen: Set<Int64> = []
            while let row = try evidenceCursor.next() {
                evidenceCount += 1
                let id = row.id ?? 0
                seen.insert(id)
                if let blob = row.blobSha256 {
                    if blob != row.sha256 { problems.append("evidence E\(id): content changed") }
                } else if Hashing.sha256(row.text ?? "") != row.sha256 {
                    problems.append("evidence E\(id): content changed")
                }
                switch evidenceInTrail[id] {
                case nil: problems.append("evidence E\(id): not in the audit trail (inserted)")
                case let sha? where sha != row.sha256:
                    problems.append("evidence E\(id): content changed since it was recorded")
                default: break
                }
            }
            for id in evidenceInTrail.keys.sorted() where !seen.contains(id) {
                problems.append("evidence E\(id): deleted")
            }

            let signoffIDs = Set(try Int64.fetchAll(db, sql: "SELECT id FROM signoff"))
            for id in signoffIDs.sorted() where !signoffsInTrail.contains(id) {
                problems.append("sign-off S\(id): not in the audit trail (inserted)")
            }
            for id in signoffsInTrail.sorted() where !signoffIDs.contains(id) {
                problems.append("sign-off S\(id): deleted")
            }

            problems += try statuses.mismatches(db)

            let runCursor = try VerificationRunRecord.fetchCursor(db)
            while let run = try runCursor.next() {
                if Hashing.sha256(run.content) != run.sha256 {
                    problems.append("verification run V\(run.id ?? 0): content changed")
                }
            }
            return AuditReport(events: events, blobs: blobs, evidence: evidenceCount, problems: problems)
        }
    }

    /// Evidence and sign-off ids an event created, read from its `after` JSON.
    private static func collectReferences(
        _ event: AuditEventRecord, evidence: inout [Int64: String],
        signoffs: inout Set<Int64>
    ) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(event.after.utf8)) as? [String: Any] else {
            return
        }
        switch event.action {
        case "evidence.add":
            if let id = (object["evidence"] as? String).flatMap(EvidenceInfo.number(from:)),
                let sha = object["sha256"] as? String
            {
                evidence[id] = sha
            }
        case "verification.record", "customer.upgrade":
            for reference in object["evidence"] as? [String] ?? [] {
                let parts = reference.split(separator: ":", maxSplits: 1)
                if parts.count == 2, let id = EvidenceInfo.number(from: String(parts[0])) {
                    evidence[id] = String(parts[1])
                }
            }
        case "signoff.add":
            if let text = object["signoff"] as? String, text.hasPrefix("S"), let id = Int64(text.dropFirst()) {
                signoffs.insert(id)
            }
        default: break
        }
    }
}

/// Replays item statuses from the audit trail, to find statuses changed behind sop's back.
///
/// The trail states statuses in three shapes, which later event kinds (template
/// upgrades) should reuse: `not_applicable: [item ids]` (set n/a, e.g. on creation),
/// `transitions: {item id: status}` (several items at once), and `status` on an event
/// whose target is the item. Items never mentioned are expected to be `todo`.
struct ItemStatusReplay {
    private var expected: [String: [String: String]] = [:]

    mutating func apply(_ event: AuditEventRecord) {
        guard let customer = event.customer,
            let object = try? JSONSerialization.jsonObject(with: Data(event.after.utf8)) as? [String: Any]
        else { return }
        var statuses = expected[customer] ?? [:]
        for id in object["not_applicable"] as? [String] ?? [] { statuses[id] = ItemStatus.notApplicable.rawValue }
        for (id, status) in object["transitions"] as? [String: String] ?? [:] { statuses[id] = status }
        if event.action.hasPrefix("item."), let status = object["status"] as? String { statuses[event.target] = status }
        expected[customer] = statuses
    }

    func mismatches(_ db: Database) throws -> [String] {
        var problems: [String] = []
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT c.slug, i.item_id, i.status FROM item i JOIN customer c ON c.id = i.customer_id
                WHERE i.archived_at IS NULL ORDER BY c.slug, i.ordinal
                """)
        for row in rows {
            let slug: String = row["slug"]
            let item: String = row["item_id"]
            let status: String = row["status"]
            let want = expected[slug]?[item] ?? ItemStatus.todo.rawValue
            if want != status {
                problems.append(
                    "item \(slug)/\(item): status '\(status)' is not in the audit trail (expected '\(want)')")
            }
        }
        return problems
    }
}
