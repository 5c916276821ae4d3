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
    init(row: Row) throws { try self.init(columns: row) }

    init(columns row: some ColumnReader) throws {
        customerId = try row.value("customer_id")
        itemId = try row.value("item_id")
        ordinal = try row.value("ordinal")
        section = try row.value("section")
        title = try row.value("title")
        steps = try RowJSON.strings(row, "steps")
        evidenceKinds = try RowJSON.strings(row, "evidence_kinds")
        signoffRoles = try RowJSON.strings(row, "signoff_roles")
        checks = try RowJSON.strings(row, "checks")
        depends = try RowJSON.strings(row, "depends")
        whenCondition = try row.value("when_condition")
        ownerRole = try row.value("owner_role")
        status = try row.value("status")
        statusReason = try row.value("status_reason")
        assignee = try row.value("assignee")
        due = try row.value("due")
        updatedAt = try row.value("updated_at")
        updatedBy = try row.value("updated_by")
        archivedAt = try row.value("archived_at")
        statusCause = try row.value("status_cause")
    }
}

extension EvidenceRecord {
    init(row: Row) throws { try self.init(columns: row) }

    init(columns row: some ColumnReader) throws {
        id = try row.value("id")
        customerId = try row.value("customer_id")
        itemId = try row.value("item_id")
        kind = try row.value("kind")
        text = try row.value("text")
        blobSha256 = try row.value("blob_sha256")
        sha256 = try row.value("sha256")
        fileName = try row.value("file_name")
        mediaType = try row.value("media_type")
        size = try row.value("size")
        addedBy = try row.value("added_by")
        addedAt = try row.value("added_at")
        expires = try row.value("expires")
        `internal` = try row.value("internal")
        checkId = try row.value("check_id")
        checkRegion = try row.value("check_region")
        checkOutcome = try row.value("check_outcome")
        verificationRunId = try row.value("verification_run_id")
        retractedAt = try row.value("retracted_at")
        retractedBy = try row.value("retracted_by")
        retractedReason = try row.value("retracted_reason")
    }
}

extension CustomerRecord {
    init(row: Row) throws { try self.init(columns: row) }

    init(columns row: some ColumnReader) throws {
        id = try row.value("id")
        slug = try row.value("slug")
        name = try row.value("name")
        email = try row.value("email")
        address = try row.value("address")
        phone = try row.value("phone")
        contacts = try RowJSON.strings(row, "contacts")
        owner = try row.value("owner")
        due = try row.value("due")
        compliance = try RowJSON.strings(row, "compliance")
        regions = try RowJSON.strings(row, "regions")
        awsProfile = try row.value("aws_profile")
        roleArn = try row.value("role_arn")
        externalId = try row.value("external_id")
        parameters = try RowJSON.decode([String: ParameterValue].self, row, "parameters") ?? [:]
        templateId = try row.value("template_id")
        templateVersion = try row.value("template_version")
        templateSha256 = try row.value("template_sha256")
        templateTitle = try row.value("template_title")
        createdAt = try row.value("created_at")
        createdBy = try row.value("created_by")
        lastActivityAt = try row.value("last_activity_at")
    }
}

extension SectionRecord {
    init(row: Row) throws { try self.init(columns: row) }

    init(columns row: some ColumnReader) throws {
        customerId = try row.value("customer_id")
        number = try row.value("number")
        ordinal = try row.value("ordinal")
        title = try row.value("title")
        level = try row.value("level")
        signoffRoles = try RowJSON.strings(row, "signoff_roles")
        archivedAt = try row.value("archived_at")
    }
}

extension SignoffRecord {
    init(row: Row) throws { try self.init(columns: row) }

    init(columns row: some ColumnReader) throws {
        id = try row.value("id")
        customerId = try row.value("customer_id")
        target = try row.value("target")
        targetKind = try row.value("target_kind")
        role = try row.value("role")
        signedBy = try row.value("signed_by")
        signedAt = try row.value("signed_at")
        note = try row.value("note")
        evidenceHash = try row.value("evidence_hash")
        revokedAt = try row.value("revoked_at")
        revokedBy = try row.value("revoked_by")
        revokedReason = try row.value("revoked_reason")
    }
}

extension CheckStateRecord {
    init(row: Row) throws { try self.init(columns: row) }

    init(columns row: some ColumnReader) throws {
        customerId = try row.value("customer_id")
        itemId = try row.value("item_id")
        checkId = try row.value("check_id")
        region = try row.value("region")
        outcome = try row.value("outcome")
        summary = try row.value("summary")
        verificationRunId = try row.value("verification_run_id")
        evidenceId = try row.value("evidence_id")
        since = try row.value("since")
        updatedAt = try row.value("updated_at")
    }
}

extension AuditEventRecord {
    init(row: Row) throws { try self.init(columns: row) }

    init(columns row: some ColumnReader) throws {
        seq = try row.value("seq")
        customer = try row.value("customer")
        actor = try row.value("actor")
        at = try row.value("at")
        action = try row.value("action")
        target = try row.value("target")
        before = try row.value("before")
        after = try row.value("after")
        prevHash = try row.value("prev_hash")
        hash = try row.value("hash")
        rowImages = try row.value("row_images")
    }
}

extension ChainHeadRecord {
    init(row: Row) throws { try self.init(columns: row) }

    init(columns row: some ColumnReader) throws {
        id = try row.value("id")
        count = try row.value("count")
        lastHash = try row.value("last_hash")
    }
}

extension VerificationRunRecord {
    init(row: Row) throws { try self.init(columns: row) }

    init(columns row: some ColumnReader) throws {
        id = try row.value("id")
        customerId = try row.value("customer_id")
        startedAt = try row.value("started_at")
        finishedAt = try row.value("finished_at")
        recordedAt = try row.value("recorded_at")
        recordedBy = try row.value("recorded_by")
        account = try row.value("account")
        passed = try row.value("passed")
        failed = try row.value("failed")
        errors = try row.value("errors")
        notApplicable = try row.value("not_applicable")
        content = try row.value("content")
        sha256 = try row.value("sha256")
    }
}

/// JSON text columns, as Codable encoding writes them.
enum RowJSON {
    /// A list of strings. Lists without escapes (nearly all: ids, roles, regions) are split
    /// by hand; anything else goes through JSONSerialization.
    static func strings(_ row: some ColumnReader, _ column: String) throws -> [String] {
        guard let text: String = try row.value(column), !text.isEmpty, text != "[]" else { return [] }
        if let list = plainStrings(text) { return list }
        guard let list = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String] else {
            throw StoreError(.integrity, "column \(column) does not hold a list of strings")
        }
        return list
    }

    /// Any other JSON column, nil when NULL or empty.
    static func decode<T: Decodable>(_ type: T.Type, _ row: some ColumnReader, _ column: String) throws -> T? {
        guard let text: String = try row.value(column), !text.isEmpty else { return nil }
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
