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
    /// The chain head as the trail holds it: what a packet records and a later verify compares,
    /// so a trail cut short and re-headed shows against an earlier head.
    public var head: AuditHead
    /// The rows that differ from the state the trail describes (also among `problems`).
    public var differences: [StateDifference]

    public var isIntact: Bool { problems.isEmpty }
}

/// The last event of the chain: its number and hash.
public struct AuditHead: Sendable, Codable, Equatable {
    public var events: Int64
    public var hash: String

    /// `42:9f86d081…` with the whole hash, as packets and `sop audit verify` print it and
    /// `sop audit verify --head` takes it back.
    public var line: String { "\(events):\(hash)" }
}

extension Store {
    /// Recomputes the audit chain and every stored hash, rebuilds the tracked state from the
    /// trail and compares it with every row.
    ///
    /// Detects events changed (hash mismatch), deleted (a gap in `seq`, or fewer events
    /// than the chain head records — so deleting the newest event is caught too) and
    /// inserted (beyond the head, or not chained to its predecessor); blobs, evidence
    /// and verification runs whose content no longer matches their SHA-256; and every row of
    /// every tracked table that no event wrote, that an event wrote but is gone, or whose
    /// columns differ from the image the trail holds (``StateReplay``). Cutting the newest
    /// events together with the rows they wrote and re-heading the chain leaves a consistent
    /// but shorter trail; ``AuditReport/head`` is what shows it, against the head a packet or
    /// an earlier verify recorded.
    ///
    /// `earlierHead` is a head recorded before (by a packet, or an earlier verify), as
    /// `HASH` or `EVENTS:HASH`: the trail must still hold that event, or it was cut short or
    /// rewritten since.
    public func verifyAudit(earlierHead: String? = nil) throws -> AuditReport {
        let earlier = try earlierHead.map(Self.parseHead)
        // On PostgreSQL: one consistent snapshot, replayed offline by this same verifier.
        if let server { return try TrackerCopy.verifyAudit(server, earlierHead: earlierHead) }
        return try readSQLite { db in
            var problems: [String] = []
            let head = try ChainHeadRecord.fetchOne(db, key: 1)
            if head == nil { problems.append("chain head: missing") }
            let headCount = head?.count ?? 0

            var expected: Int64 = 1
            var previousHash = Hashing.zero
            var lastHash = Hashing.zero
            var lastSeq: Int64 = 0
            var events = 0
            var state = StateReplay()
            var earlierFound = false
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
                state.apply(event)
                if let wanted = earlier, event.hash == wanted.hash, wanted.events.map({ $0 == event.seq }) ?? true {
                    earlierFound = true
                }
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

            if let earlier, !earlierFound {
                problems.append(
                    "head \(earlier.events.map { "\($0):" } ?? "")\(earlier.hash): not in the audit trail "
                        + "(the trail was cut short or rewritten after that head was recorded)")
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
            let evidenceCursor = try Row.fetchCursor(
                db, sql: "SELECT id, blob_sha256, text, sha256 FROM evidence ORDER BY id")
            while let row = try evidenceCursor.next() {
                evidenceCount += 1
                let id: Int64 = row["id"] ?? 0
                let sha: String? = row["sha256"]
                if let blob = row["blob_sha256"] as String? {
                    if blob != sha { problems.append("evidence E\(id): content changed") }
                } else if Hashing.sha256(row["text"] as String? ?? "") != sha {
                    problems.append("evidence E\(id): content changed")
                }
            }
            for seq in state.unreadable { problems.append("event \(seq): row images unreadable") }
            let differences = try state.differences(db)
            problems += differences.map(\.line)

            let runCursor = try VerificationRunRecord.fetchCursor(db)
            while let run = try runCursor.next() {
                if Hashing.sha256(run.content) != run.sha256 {
                    problems.append("verification run V\(run.id ?? 0): content changed")
                }
            }
            return AuditReport(
                events: events, blobs: blobs, evidence: evidenceCount, problems: problems,
                head: AuditHead(events: head?.count ?? 0, hash: head?.lastHash ?? Hashing.zero),
                differences: differences)
        }
    }

    /// `HASH` or `EVENTS:HASH` (what ``AuditHead/line`` shows), or a one-line error.
    static func parseHead(_ text: String) throws -> (events: Int64?, hash: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        let hash = parts.last.map { $0.lowercased() } ?? ""
        let events = parts.count == 2 ? Int64(parts[0]) : nil
        guard parts.count <= 2, parts.count == 1 || events.map({ $0 > 0 }) == true, hash.count == 64,
            hash.allSatisfy(\.isHexDigit)
        else {
            throw StoreError.badInput(
                "--head '\(text.prefix(80))' is not an audit head (64 hex digits, or EVENTS:HASH as a packet states it)"
            )
        }
        return (events, hash)
    }
}
