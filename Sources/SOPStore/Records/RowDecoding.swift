import Foundation
import GRDB
import SOPCore

/// Hand-written row decoding for the tables every report and site build reads in bulk.
///
/// Codable decoding through GRDB (snake-case key conversion, one JSONDecoder per JSON
/// column) was about half of building a customer report; reading columns by name is
/// several times cheaper. `decode(forColumn:)` throws on a NULL or mistyped value (a
/// database edited by hand) where the subscript would trap. Encoding still goes through Codable, and a test decodes every
/// table both ways to keep the two in step (`RowDecodingTests`).
extension ItemRecord {
    init(row: Row) throws {
        customerId = try row.decode(forColumn: "customer_id")
        itemId = try row.decode(forColumn: "item_id")
        ordinal = try row.decode(forColumn: "ordinal")
        section = try row.decode(forColumn: "section")
        title = try row.decode(forColumn: "title")
        steps = try RowJSON.strings(row, "steps")
        evidenceKinds = try RowJSON.strings(row, "evidence_kinds")
        signoffRoles = try RowJSON.strings(row, "signoff_roles")
        checks = try RowJSON.strings(row, "checks")
        depends = try RowJSON.strings(row, "depends")
        whenCondition = try row.decode(forColumn: "when_condition")
        ownerRole = try row.decode(forColumn: "owner_role")
        status = try row.decode(forColumn: "status")
        statusReason = try row.decode(forColumn: "status_reason")
        assignee = try row.decode(forColumn: "assignee")
        due = try row.decode(forColumn: "due")
        updatedAt = try row.decode(forColumn: "updated_at")
        updatedBy = try row.decode(forColumn: "updated_by")
        archivedAt = try row.decode(forColumn: "archived_at")
        statusCause = try row.decode(forColumn: "status_cause")
    }
}

extension EvidenceRecord {
    init(row: Row) throws {
        id = try row.decode(forColumn: "id")
        customerId = try row.decode(forColumn: "customer_id")
        itemId = try row.decode(forColumn: "item_id")
        kind = try row.decode(forColumn: "kind")
        text = try row.decode(forColumn: "text")
        blobSha256 = try row.decode(forColumn: "blob_sha256")
        sha256 = try row.decode(forColumn: "sha256")
        fileName = try row.decode(forColumn: "file_name")
        mediaType = try row.decode(forColumn: "media_type")
        size = try row.decode(forColumn: "size")
        addedBy = try row.decode(forColumn: "added_by")
        addedAt = try row.decode(forColumn: "added_at")
        expires = try row.decode(forColumn: "expires")
        `internal` = try row.decode(forColumn: "internal")
        checkId = try row.decode(forColumn: "check_id")
        checkRegion = try row.decode(forColumn: "check_region")
        checkOutcome = try row.decode(forColumn: "check_outcome")
        verificationRunId = try row.decode(forColumn: "verification_run_id")
        retractedAt = try row.decode(forColumn: "retracted_at")
        retractedBy = try row.decode(forColumn: "retracted_by")
        retractedReason = try row.decode(forColumn: "retracted_reason")
    }
}

extension CustomerRecord {
    init(row: Row) throws {
        id = try row.decode(forColumn: "id")
        slug = try row.decode(forColumn: "slug")
        name = try row.decode(forColumn: "name")
        email = try row.decode(forColumn: "email")
        address = try row.decode(forColumn: "address")
        phone = try row.decode(forColumn: "phone")
        contacts = try RowJSON.strings(row, "contacts")
        owner = try row.decode(forColumn: "owner")
        due = try row.decode(forColumn: "due")
        compliance = try RowJSON.strings(row, "compliance")
        regions = try RowJSON.strings(row, "regions")
        awsProfile = try row.decode(forColumn: "aws_profile")
        roleArn = try row.decode(forColumn: "role_arn")
        externalId = try row.decode(forColumn: "external_id")
        parameters = try RowJSON.decode([String: ParameterValue].self, row, "parameters") ?? [:]
        templateId = try row.decode(forColumn: "template_id")
        templateVersion = try row.decode(forColumn: "template_version")
        templateSha256 = try row.decode(forColumn: "template_sha256")
        templateTitle = try row.decode(forColumn: "template_title")
        createdAt = try row.decode(forColumn: "created_at")
        createdBy = try row.decode(forColumn: "created_by")
        lastActivityAt = try row.decode(forColumn: "last_activity_at")
    }
}

extension SectionRecord {
    init(row: Row) throws {
        customerId = try row.decode(forColumn: "customer_id")
        number = try row.decode(forColumn: "number")
        ordinal = try row.decode(forColumn: "ordinal")
        title = try row.decode(forColumn: "title")
        level = try row.decode(forColumn: "level")
        signoffRoles = try RowJSON.strings(row, "signoff_roles")
        archivedAt = try row.decode(forColumn: "archived_at")
    }
}

extension SignoffRecord {
    init(row: Row) throws {
        id = try row.decode(forColumn: "id")
        customerId = try row.decode(forColumn: "customer_id")
        target = try row.decode(forColumn: "target")
        targetKind = try row.decode(forColumn: "target_kind")
        role = try row.decode(forColumn: "role")
        signedBy = try row.decode(forColumn: "signed_by")
        signedAt = try row.decode(forColumn: "signed_at")
        note = try row.decode(forColumn: "note")
        evidenceHash = try row.decode(forColumn: "evidence_hash")
        revokedAt = try row.decode(forColumn: "revoked_at")
        revokedBy = try row.decode(forColumn: "revoked_by")
        revokedReason = try row.decode(forColumn: "revoked_reason")
    }
}

extension CheckStateRecord {
    init(row: Row) throws {
        customerId = try row.decode(forColumn: "customer_id")
        itemId = try row.decode(forColumn: "item_id")
        checkId = try row.decode(forColumn: "check_id")
        region = try row.decode(forColumn: "region")
        outcome = try row.decode(forColumn: "outcome")
        summary = try row.decode(forColumn: "summary")
        verificationRunId = try row.decode(forColumn: "verification_run_id")
        evidenceId = try row.decode(forColumn: "evidence_id")
        since = try row.decode(forColumn: "since")
        updatedAt = try row.decode(forColumn: "updated_at")
    }
}

extension AuditEventRecord {
    init(row: Row) throws {
        seq = try row.decode(forColumn: "seq")
        customer = try row.decode(forColumn: "customer")
        actor = try row.decode(forColumn: "actor")
        at = try row.decode(forColumn: "at")
        action = try row.decode(forColumn: "action")
        target = try row.decode(forColumn: "target")
        before = try row.decode(forColumn: "before")
        after = try row.decode(forColumn: "after")
        prevHash = try row.decode(forColumn: "prev_hash")
        hash = try row.decode(forColumn: "hash")
        rowImages = try row.decode(forColumn: "row_images")
    }
}

/// JSON text columns, as Codable encoding writes them.
enum RowJSON {
    /// A list of strings. Lists without escapes (nearly all: ids, roles, regions) are split
    /// by hand; anything else goes through JSONSerialization.
    static func strings(_ row: Row, _ column: String) throws -> [String] {
        guard let text = try row.decode(String?.self, forColumn: column), !text.isEmpty, text != "[]" else { return [] }
        if let list = plainStrings(text) { return list }
        guard let list = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String] else {
            throw StoreError(.integrity, "column \(column) does not hold a list of strings")
        }
        return list
    }

    /// Any other JSON column, nil when NULL or empty.
    static func decode<T: Decodable>(_ type: T.Type, _ row: Row, _ column: String) throws -> T? {
        guard let text = try row.decode(String?.self, forColumn: column), !text.isEmpty else { return nil }
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw StoreError(.integrity, "column \(column) does not hold valid JSON")
        }
    }

    /// `["a","b"]` exactly (no whitespace, no escapes) → its strings; nil for anything else.
    static func plainStrings(_ text: String) -> [String]? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "["), bytes[bytes.count - 1] == UInt8(ascii: "]") else {
            return nil
        }
        var list: [String] = []
        var index = 1
        let end = bytes.count - 1
        while index < end {
            guard bytes[index] == UInt8(ascii: "\"") else { return nil }
            var close = index + 1
            while close < end, bytes[close] != UInt8(ascii: "\""), bytes[close] != UInt8(ascii: "\\") { close += 1 }
            guard close < end, bytes[close] == UInt8(ascii: "\"") else { return nil }
            list.append(String(decoding: bytes[(index + 1)..<close], as: UTF8.self))
            index = close + 1
            if index < end {
                guard bytes[index] == UInt8(ascii: ","), index + 1 < end else { return nil }
                index += 1
            }
        }
        return list
    }
}
