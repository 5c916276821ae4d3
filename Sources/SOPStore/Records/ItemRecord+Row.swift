import Foundation
import GRDB

/// Hand-written row decoding for the two tables every report reads in bulk.
///
/// Codable decoding through GRDB (snake-case key conversion, one JSONDecoder per JSON
/// column) was about half of building a customer report; reading columns by name is
/// several times cheaper. Encoding still goes through Codable.
extension ItemRecord {
    init(row: Row) throws {
        customerId = row["customer_id"]
        itemId = row["item_id"]
        ordinal = row["ordinal"]
        section = row["section"]
        title = row["title"]
        steps = try RowJSON.strings(row, "steps")
        evidenceKinds = try RowJSON.strings(row, "evidence_kinds")
        signoffRoles = try RowJSON.strings(row, "signoff_roles")
        checks = try RowJSON.strings(row, "checks")
        depends = try RowJSON.strings(row, "depends")
        whenCondition = row["when_condition"]
        ownerRole = row["owner_role"]
        status = row["status"]
        statusReason = row["status_reason"]
        assignee = row["assignee"]
        due = row["due"]
        updatedAt = row["updated_at"]
        updatedBy = row["updated_by"]
        archivedAt = row["archived_at"]
    }
}

extension EvidenceRecord {
    init(row: Row) throws {
        id = row["id"]
        customerId = row["customer_id"]
        itemId = row["item_id"]
        kind = row["kind"]
        text = row["text"]
        blobSha256 = row["blob_sha256"]
        sha256 = row["sha256"]
        fileName = row["file_name"]
        mediaType = row["media_type"]
        size = row["size"]
        addedBy = row["added_by"]
        addedAt = row["added_at"]
        expires = row["expires"]
        `internal` = row["internal"]
        checkId = row["check_id"]
        checkRegion = row["check_region"]
        checkOutcome = row["check_outcome"]
        verificationRunId = row["verification_run_id"]
        retractedAt = row["retracted_at"]
        retractedBy = row["retracted_by"]
        retractedReason = row["retracted_reason"]
    }
}

/// JSON text columns holding a list of strings, as Codable encoding writes them.
enum RowJSON {
    static func strings(_ row: Row, _ column: String) throws -> [String] {
        guard let text: String = row[column], !text.isEmpty, text != "[]" else { return [] }
        guard let list = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String] else {
            throw StoreError(.integrity, "column \(column) does not hold a list of strings")
        }
        return list
    }
}
