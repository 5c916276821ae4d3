import GRDB
import SOPJSON

/// The tables whose rows are facts a report, a packet, a JSON output or a rule reads, and how
/// each of their rows enters the audit chain.
///
/// Every write to one of these tables is captured (``ChangeRecorder``) and its row image, all
/// columns but the few listed in ``TrackedTable/derived``, goes into the `rows` of the audit
/// event that explains it; `sop audit verify` replays those images and compares them with the
/// tables column by column (``StateReplay``). The images are built from the live schema, not
/// from a column list kept here, so a column added by a later migration is covered the moment it
/// exists (and such a migration must seal the rows it changes, as `v4` does).
struct TrackedTable: Sendable {
    /// The SQL table name.
    let name: String
    /// How a problem report names a row: `item`, `evidence`, `sign-off`.
    let label: String
    /// The primary-key columns, in order: the key of a row in the replayed state.
    let key: [String]
    /// Columns left out of the image, each covered another way: a content hash checked by
    /// the verifier, or a value the verifier derives from the trail itself.
    let derived: [String: String]

    static let all: [TrackedTable] = [
        TrackedTable(
            name: "customer", label: "customer", key: ["id"],
            derived: ["last_activity_at": "the time of the customer's latest event, checked against the trail"]),
        TrackedTable(name: "section", label: "section", key: ["customer_id", "number"], derived: [:]),
        TrackedTable(name: "item", label: "item", key: ["customer_id", "item_id"], derived: [:]),
        TrackedTable(
            name: "blob", label: "blob", key: ["sha256"],
            derived: ["bytes": "hashed into the key, re-hashed by the verifier"]),
        TrackedTable(
            name: "verification_run", label: "verification run", key: ["id"],
            derived: ["content": "hashed into the imaged sha256 column, re-hashed by the verifier"]),
        TrackedTable(
            name: "evidence", label: "evidence", key: ["id"],
            derived: ["text": "hashed into the imaged sha256 column, re-hashed by the verifier"]),
        TrackedTable(
            name: "check_state", label: "check state", key: ["customer_id", "item_id", "check_id", "region"],
            derived: [:]),
        TrackedTable(name: "signoff", label: "sign-off", key: ["id"], derived: [:]),
        TrackedTable(name: "app_user", label: "user", key: ["name"], derived: [:]),
        TrackedTable(name: "api_token", label: "token", key: ["id"], derived: [:]),
        TrackedTable(name: "invite", label: "invitation", key: ["id"], derived: [:]),
        TrackedTable(name: "waiver", label: "waiver", key: ["id"], derived: [:]),
        TrackedTable(name: "baseline", label: "baseline", key: ["customer_id"], derived: [:]),
    ]

    /// The tables migration `v4` put under the chain (its PostgreSQL triggers cover these).
    static let firstTracked = [
        "customer", "section", "item", "blob", "verification_run", "evidence", "check_state", "signoff",
    ]

    /// The tables migration `v5` added for `sop serve`'s sign-in.
    static let accountTables = ["app_user", "api_token", "invite"]

    /// The tables migration `v6` added for waivers and the regression gate.
    static let governanceTables = ["waiver", "baseline"]

    static let byName: [String: TrackedTable] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The imaged columns of this table in the live schema, in schema order.
    func imagedColumns(_ db: Database) throws -> [String] {
        try db.columns(in: name).map(\.name).filter { derived[$0] == nil }
    }
}

/// One row as the chain records it: its key and its image, both canonical JSON text.
///
/// The image is an object of every imaged column: text as a string, integers as numbers, NULL
/// as `null`, a blob as `"x'…'"` hex (so a value's type is part of the fact). Comparing two
/// images is comparing two strings; only a difference is parsed, to name the columns.
struct RowImage: Sendable, Equatable {
    var table: String
    var key: String
    var image: String
    /// For a row the event updated: the columns whose values the update changed, with the
    /// values they had before (an object, `{}` when none changed). Replaying, the row before
    /// the event must be what the trail last said; nil for a row the event inserted.
    var before: String?

    /// The image of a row fetched with the table's imaged columns (and possibly more).
    init(table: TrackedTable, row: Row, columns: [String]) {
        self.init(table: table, values: Self.values(row, columns), row: row)
    }

    init(table: TrackedTable, values: [String: CanonicalJSONValue], row: Row) {
        self.table = table.name
        key = CanonicalJSONValue.array(table.key.map { Self.value(row[$0] as DatabaseValue) }).text
        image = CanonicalJSONValue.object(values).text
    }

    init(table: String, key: String, image: String, before: String? = nil) {
        self.table = table
        self.key = key
        self.image = image
        self.before = before
    }

    static func values(_ row: Row, _ columns: [String]) -> [String: CanonicalJSONValue] {
        var members: [String: CanonicalJSONValue] = [:]
        for column in columns { members[column] = value(row[column] as DatabaseValue) }
        return members
    }

    static func value(_ value: DatabaseValue) -> CanonicalJSONValue {
        switch value.storage {
        case .null: return .null
        case .int64(let number): return .int(Int(number))
        case .double(let number): return .double(number)
        case .string(let text): return .string(text)
        case .blob(let data): return .string("x'" + data.map { String(format: "%02x", $0) }.joined() + "'")
        }
    }

    /// The `row_images` column of an audit event: `[[table, key, image], …]` (with a fourth
    /// member, ``before``, for an updated row), in a canonical order
    /// (table order of ``TrackedTable/all``, then key), so the same changes give the same bytes.
    static func column(_ images: [RowImage]) -> String {
        let order = Dictionary(uniqueKeysWithValues: TrackedTable.all.enumerated().map { ($1.name, $0) })
        let sorted = images.sorted {
            let left = order[$0.table] ?? Int.max
            let right = order[$1.table] ?? Int.max
            return left != right ? left < right : CanonicalJSONValue.precedes($0.key, $1.key)
        }
        return CanonicalJSONValue.array(
            sorted.map { .strings([$0.table, $0.key, $0.image] + ($0.before.map { [$0] } ?? [])) }
        ).text
    }

    /// The images of an event's `rows` column, or nil when it is not in that form.
    static func parse(column text: String) -> [RowImage]? {
        var reader = JSONReader(Array(text.utf8))
        var images: [RowImage] = []
        let ok = reader.array { element in
            guard let parts = element.stringArray(), parts.count == 3 || parts.count == 4 else { return false }
            images.append(
                RowImage(table: parts[0], key: parts[1], image: parts[2], before: parts.count == 4 ? parts[3] : nil))
            return true
        }
        return ok && reader.atEnd ? images : nil
    }
}
