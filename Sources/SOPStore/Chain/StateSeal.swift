import GRDB
import SOPJSON

/// Seals the rows of a tracker into the chain: one `tracker.seal` event whose `row_images` hold
/// every tracked row as it is. Written with SQL only (no record types), since migration `v4`
/// calls it and must keep meaning what it meant when it shipped.
enum StateSeal {
    static let action = "tracker.seal"

    /// Every tracked row's image, table by table.
    static func images(_ db: Database) throws -> [RowImage] {
        var images: [RowImage] = []
        // Only the tables that exist: `v4` seals before later migrations add theirs.
        for table in TrackedTable.all where try db.tableExists(table.name) {
            let columns = try table.imagedColumns(db)
            let selected = (columns + table.key.filter { !columns.contains($0) }).map { "\"\($0)\"" }
            let rows = try Row.fetchCursor(
                db, sql: "SELECT \(selected.joined(separator: ", ")) FROM \"\(table.name)\"")
            while let row = try rows.next() { images.append(RowImage(table: table, row: row, columns: columns)) }
        }
        return images
    }

    /// Appends the seal event when there is anything to seal.
    static func seal(_ db: Database, at: String) throws {
        let images = try images(db)
        guard !images.isEmpty,
            let head = try Row.fetchOne(db, sql: "SELECT count, last_hash FROM chain_head WHERE id = 1")
        else { return }
        let count: Int64 = head["count"]
        let previous: String = head["last_hash"]
        var counts: [String: Int] = [:]
        for image in images { counts[image.table, default: 0] += 1 }
        let after = CanonicalJSONValue.object([
            "reason": .string("rows written before the audit trail covered every fact, sealed as they were"),
            "rows": .object(counts.mapValues { .int($0) }),
        ]).text
        let seq = count + 1
        let rowImages = RowImage.column(images)
        let hash = AuditChain.hash(
            prevHash: previous, seq: seq, customer: nil, actor: "sop", at: at, action: action, target: "tracker",
            before: "{}", after: after, rowImages: rowImages)
        try db.execute(
            sql: """
                INSERT INTO audit_event (seq, customer, actor, at, action, target, before, after, prev_hash, hash, row_images)
                VALUES (?, NULL, 'sop', ?, ?, 'tracker', '{}', ?, ?, ?, ?)
                """, arguments: [seq, at, action, after, previous, hash, rowImages])
        try db.execute(sql: "UPDATE chain_head SET count = ?, last_hash = ? WHERE id = 1", arguments: [seq, hash])
    }
}
