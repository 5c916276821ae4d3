import Foundation
import SOPCore

extension Store {
    /// Attaches evidence to an item after scanning it for secrets.
    ///
    /// Files are stored once per SHA-256 in `blob` (deduplicated) with name, size and
    /// media type on the evidence row; notes and links are hashed too. Text files are
    /// scanned like notes; links must be absolute URLs.
    @discardableResult
    public func addEvidence(
        customer slug: String, item itemID: String, content: EvidenceContent, by actor: String,
        expires: String? = nil, internal: Bool = false
    ) throws -> EvidenceInfo {
        let expires = try expires.map { value throws(StoreError) in try Timestamps.validatedDay(value, input: .expires)
        }
        var text: String?
        var data: Data?
        var fileName: String?
        switch content {
        case .note(let note):
            let trimmed = note.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { throw StoreError.problem(.emptyInput(.note)) }
            try SecretScanner.check(note, what: "the note")
            text = note
        case .link(let link):
            let trimmed = link.trimmingCharacters(in: .whitespaces)
            guard Validation.isLink(trimmed) else {
                throw StoreError.problem(.malformedInput(.link, value: trimmed))
            }
            try SecretScanner.check(trimmed, what: "the link")
            text = trimmed
        case .file(let name, let bytes):
            if bytes.count > maxEvidenceBytes {
                throw EvidenceFile.tooLarge(path: name, size: bytes.count, maxBytes: maxEvidenceBytes)
            }
            try SecretScanner.check(name, what: "the file name")
            // Text, UTF-16 text and the text inside gzip and zip files; other binary content is not scanned.
            for text in try ScannableText.texts(in: bytes, name: name, limit: maxEvidenceBytes) {
                try SecretScanner.check(text, what: "file \(name)")
            }
            data = bytes
            fileName = name
        }
        return try write { db in
            let customer = try customerRecord(db, slug)
            guard let customerID = customer.id else { throw StoreError(.integrity, "customer row has no id") }
            _ = try itemRecord(db, customer, itemID)
            var record = EvidenceRecord(
                id: nil, customerId: customerID, itemId: itemID, kind: content.kind, text: text, blobSha256: nil,
                sha256: "", fileName: fileName, mediaType: fileName.map(MediaType.forFileName), size: 0, addedBy: actor,
                addedAt: nowString, expires: expires, internal: `internal`, checkId: nil, checkRegion: nil,
                checkOutcome: nil, verificationRunId: nil, retractedAt: nil, retractedBy: nil, retractedReason: nil)
            if let data {
                let sha = Hashing.sha256(data)
                if try db.integer("SELECT count(*) FROM blob WHERE sha256 = ?", [.text(sha)]) == 0 {
                    try db.insert(BlobRecord(sha256: sha, size: data.count, bytes: data))
                }
                record.blobSha256 = sha
                record.sha256 = sha
                record.size = data.count
            } else if let text {
                record.sha256 = Hashing.sha256(text)
                record.size = text.utf8.count
            }
            try db.insert(&record)
            let info = EvidenceInfo(record)
            try audit(
                db, customer: slug, actor: actor, action: "evidence.add", target: itemID,
                after: CanonicalJSON.object([
                    "evidence": info.id, "kind": info.kind, "sha256": info.sha256,
                    "file_name": info.fileName, "internal": `internal` ? "true" : nil,
                    "expires": expires,
                ]))
            return info
        }
    }

    /// Evidence of a customer (or of one item), oldest first, retracted ones included.
    public func evidence(customer slug: String, item itemID: String? = nil) throws -> [EvidenceInfo] {
        try read { db in
            let customer = try customerRecord(db, slug)
            var sql = "SELECT * FROM evidence WHERE customer_id = ?"
            var arguments: [SQLValue] = [SQLValue(customer.id)]
            if let itemID {
                _ = try itemRecord(db, customer, itemID)
                sql += " AND item_id = ?"
                arguments.append(.text(itemID))
            }
            return try db.records(EvidenceRecord.self, sql + " ORDER BY id", arguments).map(EvidenceInfo.init)
        }
    }

    /// The exact bytes of one piece of evidence, after re-checking their SHA-256.
    public func evidenceContent(customer slug: String, evidence evidenceID: String) throws -> (EvidenceInfo, Data) {
        try read { db in
            let record = try evidenceRecord(db, slug, evidenceID)
            let data: Data
            if let blob = record.blobSha256 {
                guard
                    case .bytes(let bytes) = try db.rows("SELECT bytes FROM blob WHERE sha256 = ?", [.text(blob)])
                        .first?["bytes"]
                else {
                    throw StoreError(.integrity, "evidence E\(record.id ?? 0): its file is missing from the database")
                }
                data = bytes
            } else {
                data = Data((record.text ?? "").utf8)
            }
            guard Hashing.sha256(data) == record.sha256 else {
                throw StoreError(
                    .integrity,
                    "evidence E\(record.id ?? 0): content does not match its SHA-256 (run 'sop audit verify')")
            }
            return (EvidenceInfo(record), data)
        }
    }

    /// Retracts evidence with a reason; it stays in the database and the audit trail.
    @discardableResult
    public func retractEvidence(
        customer slug: String, evidence evidenceID: String, reason: String,
        by actor: String
    ) throws -> EvidenceInfo {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw StoreError.problem(.reasonRequired(.evidenceRetraction)) }
        try SecretScanner.check(reason, what: "the reason")
        return try write { db in
            var record = try evidenceRecord(db, slug, evidenceID)
            if record.retractedAt != nil {
                throw StoreError.badInput("evidence E\(record.id ?? 0) is already retracted")
            }
            record.retractedAt = nowString
            record.retractedBy = actor
            record.retractedReason = reason
            try db.update(record)
            let info = EvidenceInfo(record)
            try audit(
                db, customer: slug, actor: actor, action: "evidence.retract", target: record.itemId,
                before: CanonicalJSON.object(["evidence": info.id]),
                after: CanonicalJSON.object(["evidence": info.id, "reason": reason]))
            return info
        }
    }

    func evidenceRecord(_ db: StoreSession, _ slug: String, _ evidenceID: String) throws -> EvidenceRecord {
        let customer = try customerRecord(db, slug)
        guard let number = EvidenceInfo.number(from: evidenceID) else {
            throw StoreError.badInput("'\(evidenceID)' is not an evidence id (like E12)")
        }
        guard
            let record = try db.record(EvidenceRecord.self, "SELECT * FROM evidence WHERE id = ?", [.integer(number)]),
            record.customerId == customer.id
        else {
            throw StoreError.badInput("unknown evidence '\(evidenceID)' for customer '\(slug)'")
        }
        return record
    }
}

extension Validation {
    static func isLink(_ text: String) -> Bool {
        guard !text.contains(where: { $0.isWhitespace }), let url = URL(string: text),
            let scheme = url.scheme?.lowercased()
        else { return false }
        if scheme == "mailto" { return text.count > 7 }
        return !(url.host ?? "").isEmpty
    }
}
