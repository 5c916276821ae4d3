import SOPJSON

extension Agenda {
    /// `sop agenda --json`, a documented contract (README): extend, never rename.
    ///
    /// `{"days":7,"entries":[{"customer","date","detail","item","kind","title"}],"last_day",
    ///   "owner":null,"today"}`, entries most urgent first, keys sorted.
    public func json() -> String {
        func optional(_ text: String?) -> PrettyJSON.Value { text.map { .string($0) } ?? .null }
        let rows: [PrettyJSON.Value] = entries.map { entry in
            .object([
                ("customer", .string(entry.customer)), ("date", .string(entry.date)),
                ("detail", .string(entry.detail)), ("item", optional(entry.item)),
                ("kind", .string(entry.kind.rawValue)), ("title", .string(entry.title)),
            ])
        }
        return PrettyJSON.render(
            .object([
                ("days", .int(days)), ("entries", .array(rows)), ("last_day", .string(lastDay)),
                ("owner", optional(owner)), ("today", .string(today)),
            ]))
    }
}
