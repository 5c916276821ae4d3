import Foundation
import GRDB
import SOPJSON

/// What an updated row held before the update, so an event can state it and `sop audit verify`
/// can tell a row edited behind sop's back and then rewritten by sop (which would otherwise
/// carry the edit into the trail) from one that only sop changed.
///
/// SQLite's update hook reports a row after the change; a temporary `BEFORE UPDATE` trigger
/// on the writer connection keeps the row's first image since the last event in a temporary
/// table (gone with the connection, rolled back with the transaction). PostgreSQL would use
/// the same kind of trigger.
enum BeforeImages {
    /// Creates the temporary table and one trigger per tracked table on this connection.
    static func install(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TEMP TABLE IF NOT EXISTS sop_before (
                    tbl TEXT NOT NULL, rid INTEGER NOT NULL, image TEXT NOT NULL, PRIMARY KEY (tbl, rid))
                """)
        for table in TrackedTable.all {
            let columns = try table.imagedColumns(db)
            let quoted = columns.map { "\"\($0)\"" }.joined(separator: ", ")
            let pairs = columns.map { "'\($0)', OLD.\"\($0)\"" }.joined(separator: ", ")
            try db.execute(
                sql: """
                    CREATE TEMP TRIGGER IF NOT EXISTS "sop_before_\(table.name)"
                    BEFORE UPDATE OF \(quoted) ON main."\(table.name)"
                    BEGIN
                        INSERT OR IGNORE INTO sop_before (tbl, rid, image)
                        VALUES ('\(table.name)', OLD.rowid, json_object(\(pairs)));
                    END
                    """)
        }
    }

    /// The images kept since the last event, by table and rowid, and a fresh start.
    static func take(_ db: Database) throws -> [String: [Int64: [String: CanonicalJSONValue]]] {
        var images: [String: [Int64: [String: CanonicalJSONValue]]] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT tbl, rid, image FROM temp.sop_before")) {
            let table: String = row["tbl"]
            let rowID: Int64 = row["rid"]
            let text: String = row["image"]
            guard let object = ImageValues.object(text) else {
                throw StoreError(.integrity, "the earlier image of a \(table) row is unreadable")
            }
            images[table, default: [:]][rowID] = object
        }
        if !images.isEmpty { try db.execute(sql: "DELETE FROM temp.sop_before") }
        return images
    }
}

/// Images as column → value maps, for comparing two of them column by column.
enum ImageValues {
    /// The members of a JSON object whose values are strings, numbers or null.
    static func object(_ text: String) -> [String: CanonicalJSONValue]? {
        guard
            let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        else { return nil }
        var values: [String: CanonicalJSONValue] = [:]
        for (key, value) in object {
            switch value {
            case is NSNull: values[key] = .null
            case let text as String: values[key] = .string(text)
            case let number as NSNumber:
                let integer = number.int64Value
                values[key] = Double(integer) == number.doubleValue ? .int(Int(integer)) : .double(number.doubleValue)
            default: return nil
            }
        }
        return values
    }

    /// The columns of `before` whose values differ from `after`, with their earlier values.
    static func changed(from before: [String: CanonicalJSONValue], to after: [String: CanonicalJSONValue])
        -> [String: CanonicalJSONValue]
    {
        before.filter { after[$0.key] != $0.value }
    }
}
