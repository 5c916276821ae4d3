import Foundation
import GRDB
import SOPJSON

/// One way the tables differ from the state the audit trail describes.
public struct StateDifference: Sendable, Codable, Equatable {
    /// The SQL table.
    public var table: String
    /// The row as people name it: `item acme/root.mfa`, `sign-off S6`, `evidence E2`.
    public var key: String
    /// The column that differs; nil when the whole row is unexplained or missing.
    public var column: String?
    /// The value the trail says (JSON text); nil for a row no event wrote.
    public var expected: String?
    /// The value in the table (JSON text); nil for a row that is gone.
    public var found: String?
    /// For a change found in the trail itself: the event that rewrote a row sop had not left as
    /// the trail says (`found` is then the value the row held just before that event).
    public var event: Int64?

    /// The problem line `sop audit verify` prints.
    public var line: String {
        if let event {
            guard let column else {
                return "\(key): rewritten by event \(event), but no earlier event wrote it (inserted)"
            }
            return "\(key): \(column) was \(Self.shown(found)) before event \(event) rewrote the row, "
                + "the audit trail says \(Self.shown(expected)) (changed behind sop's back)"
        }
        switch (column, expected, found) {
        case (let column?, let expected, let found):
            return "\(key): \(column) is \(Self.shown(found)), the audit trail says \(Self.shown(expected))"
        case (nil, nil, _): return "\(key): not in the audit trail (inserted)"
        case (nil, _, nil): return "\(key): deleted"
        case (nil, _, _): return "\(key): row changed"
        }
    }

    private static func shown(_ value: String?) -> String {
        guard let value else { return "absent" }
        return value.count > 80 ? String(value.prefix(77)) + "…" : value
    }
}

/// The tracked state as the audit trail describes it: every event's row images applied in
/// order (a later image of the same key replaces the earlier one; sop never deletes a row), and
/// each customer's last activity. ``differences(_:)`` compares it with the tables.
struct StateReplay {
    private var rows: [String: [String: String]] = [:]
    private var lastActivity: [String: String] = [:]
    /// Rows an event rewrote that were not, just before it, what the trail said (key not yet named).
    private var rewritten: [StateDifference] = []
    /// Events whose `row_images` could not be read; their content hash already failed or not.
    private(set) var unreadable: [Int64] = []

    mutating func apply(_ event: AuditEventRecord) {
        if let customer = event.customer { lastActivity[customer] = event.at }
        guard let column = event.rowImages else { return }
        guard let images = RowImage.parse(column: column) else {
            unreadable.append(event.seq)
            return
        }
        for image in images {
            if let before = image.before { checkBefore(image, before, event: event.seq) }
            rows[image.table, default: [:]][image.key] = image.image
        }
    }

    /// An updated row must have been, before the update, what the trail last said: the image
    /// with the columns the update changed put back to their earlier values.
    private mutating func checkBefore(_ image: RowImage, _ before: String, event: Int64) {
        guard let expected = rows[image.table]?[image.key] else {
            rewritten.append(
                StateDifference(
                    table: image.table, key: image.key, column: nil, expected: nil, found: nil, event: event))
            return
        }
        if before == "{}" && expected == image.image { return }
        guard let after = ImageValues.object(image.image), let changed = ImageValues.object(before),
            let want = ImageValues.object(expected)
        else {
            unreadable.append(event)
            return
        }
        let earlier = after.merging(changed) { $1 }
        for column in Set(earlier.keys).union(want.keys).sorted() where earlier[column] != want[column] {
            rewritten.append(
                StateDifference(
                    table: image.table, key: image.key, column: column, expected: want[column]?.text,
                    found: earlier[column]?.text, event: event))
        }
    }

    /// Every difference between the replayed state and the tables, table by table.
    func differences(_ db: Database) throws -> [StateDifference] {
        var slugs: [Int64: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, slug FROM customer") {
            if let id = row["id"] as Int64?, let slug = row["slug"] as String? { slugs[id] = slug }
        }
        for (key, image) in rows["customer"] ?? [:] {
            if let id = (Self.array(key)?.first as? NSNumber)?.int64Value, slugs[id] == nil,
                let slug = Self.object(image)?["slug"] as? String
            {
                slugs[id] = slug
            }
        }
        let names = KeyNames(slugs: slugs)
        var found: [StateDifference] = rewritten.map { difference in
            var named = difference
            named.key = TrackedTable.byName[difference.table].map { names.name($0, difference.key) } ?? difference.key
            return named
        }
        for table in TrackedTable.all {
            var expected = rows[table.name] ?? [:]
            let columns = try table.imagedColumns(db)
            let selected = (columns + table.key.filter { !columns.contains($0) }).map { "\"\($0)\"" }
            // In key order, not storage order: a tracker and its copy on either engine name their
            // differences in the same order.
            let order = table.key.map { "\"\($0)\"" }.joined(separator: ", ")
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT \(selected.joined(separator: ", ")) FROM \"\(table.name)\" ORDER BY \(order)")
            while let row = try cursor.next() {
                let image = RowImage(table: table, row: row, columns: columns)
                let name = names.name(table, image.key)
                guard let want = expected.removeValue(forKey: image.key) else {
                    found.append(
                        StateDifference(table: table.name, key: name, column: nil, expected: nil, found: image.image))
                    continue
                }
                if want != image.image {
                    found += Self.columnDifferences(table: table.name, key: name, expected: want, found: image.image)
                }
            }
            for key in expected.keys.sorted(by: CanonicalJSONValue.precedes) {
                found.append(
                    StateDifference(
                        table: table.name, key: names.name(table, key), column: nil, expected: expected[key], found: nil
                    ))
            }
        }
        for row in try Row.fetchAll(db, sql: "SELECT slug, last_activity_at FROM customer ORDER BY id") {
            let slug: String? = row["slug"]
            let at: String? = row["last_activity_at"]
            guard let slug, let want = lastActivity[slug] else { continue }
            if at != want {
                found.append(
                    StateDifference(
                        table: "customer", key: "customer \(slug)", column: "last_activity_at",
                        expected: CanonicalJSONValue.string(want).text,
                        found: at.map { CanonicalJSONValue.string($0).text } ?? "null"))
            }
        }
        return found
    }

    /// The columns in which two images differ, each with both values as JSON text.
    static func columnDifferences(table: String, key: String, expected: String, found: String) -> [StateDifference] {
        guard let want = object(expected), let have = object(found) else {
            return [StateDifference(table: table, key: key, column: nil, expected: expected, found: found)]
        }
        var differences: [StateDifference] = []
        for column in Set(want.keys).union(have.keys).sorted() {
            let left = want[column].map(json)
            let right = have[column].map(json)
            if left != right {
                differences.append(
                    StateDifference(table: table, key: key, column: column, expected: left, found: right))
            }
        }
        return differences
    }

    private static func object(_ text: String) -> [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) as? [String: Any]
    }

    static func array(_ text: String) -> [Any]? {
        try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Any]
    }

    private static func json(_ value: Any) -> String {
        switch value {
        case is NSNull: return "null"
        case let text as String: return CanonicalJSONValue.string(text).text
        case let number as NSNumber: return number.stringValue
        default: return String(describing: value)
        }
    }
}

/// How a row key reads in a problem line, with customer ids shown as slugs.
private struct KeyNames {
    var slugs: [Int64: String]

    func name(_ table: TrackedTable, _ key: String) -> String {
        let parts = (StateReplay.array(key) ?? []).map { part -> String in
            if let number = part as? NSNumber { return number.stringValue }
            return part as? String ?? "?"
        }
        func customer(_ index: Int) -> String {
            guard index < parts.count else { return "?" }
            return Int64(parts[index]).flatMap { slugs[$0] } ?? "#\(parts[index])"
        }
        func part(_ index: Int) -> String { index < parts.count ? parts[index] : "?" }
        switch table.name {
        case "customer": return "customer \(customer(0))"
        case "section": return "section \(customer(0))/\(part(1))"
        case "item": return "item \(customer(0))/\(part(1))"
        case "blob": return "blob \(part(0).prefix(12))"
        case "verification_run": return "verification run V\(part(0))"
        case "evidence": return "evidence E\(part(0))"
        case "signoff": return "sign-off S\(part(0))"
        case "app_user": return "user \(part(0))"
        case "api_token": return "token \(part(0))"
        case "invite": return "invitation \(part(0))"
        case "waiver": return "waiver W-\(part(0))"
        case "baseline": return "baseline of \(customer(0))"
        case "check_state":
            return "check state \(customer(0))/\(part(1)) \(part(2))@\(part(3).isEmpty ? "global" : part(3))"
        default: return "\(table.label) \(key)"
        }
    }
}
